#!/bin/bash
# A private apt configuration for fetching our bases (Linux 6.12, Xen 4.20)
# from the same registry this machine already uses, without touching the
# system's sources.  The entries are derived at run time from
# /etc/apt/sources.list.d/*.sources (deb822) and from the one-line format of
# /etc/apt/sources.list and /etc/apt/sources.list.d/*.list (a standard
# Debian 12 install): each entry's suites are renamed from this machine's
# release to $SUITE and deb-src is added.
#
#   apt-private.sh gen <dir>     write <dir>/sources.sources from the system's files
#   apt-private.sh update        generate + apt-get update into the private state
#   apt-private.sh run <apt-get args...>   apt-get with the private configuration
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SUITE=${SUITE:-trixie}
SYS_SOURCES=${SYS_SOURCES:-/etc/apt/sources.list.d}
SYS_SOURCES_LIST=${SYS_SOURCES_LIST:-/etc/apt/sources.list}
APT_DIR=${APT_DIR:-$CACHE/apt}

host_codename() {
	local c
	c=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
	[ -n "$c" ] || die "cannot tell this machine's release codename from /etc/os-release"
	echo "$c"
}

# one_line_to_deb822 <file...>: "deb [opts] uri suite comps" lines as stanzas
# (deb-src lines are dropped: every derived stanza gets deb-src)
one_line_to_deb822() {
	awk '
	/^[ \t]*(#|$)/ || $1 != "deb" { next }
	{
		i = 2; signed = ""
		if ($2 ~ /^\[/) {
			opts = ""
			for (; i <= NF; i++) { opts = opts " " $i; if ($i ~ /\]$/) { i++; break } }
			if (match(opts, /signed-by=[^] ]*/))
				signed = substr(opts, RSTART + 10, RLENGTH - 10)
		}
		uri = $i; suite = $(i + 1); comps = ""
		for (j = i + 2; j <= NF; j++) comps = comps (comps == "" ? "" : " ") $j
		printf "Types: deb\nURIs: %s\nSuites: %s\nComponents: %s\n", uri, suite, comps
		if (signed != "") printf "Signed-By: %s\n", signed
		printf "\n"
	}' "$@"
}

# system_sources: every enabled source of this machine, as deb822 stanzas
system_sources() {
	local deb822 oneline
	deb822=$(find "$SYS_SOURCES" -maxdepth 1 -name '*.sources' 2>/dev/null | sort)
	oneline=$({ [ -f "$SYS_SOURCES_LIST" ] && echo "$SYS_SOURCES_LIST"
		find "$SYS_SOURCES" -maxdepth 1 -name '*.list' 2>/dev/null | sort; } || true)
	[ -n "$deb822$oneline" ] ||
		die "no *.sources file in $SYS_SOURCES and no $SYS_SOURCES_LIST to derive a private apt source from"
	# shellcheck disable=SC2086
	[ -z "$deb822" ] || { cat $deb822; echo; }
	# shellcheck disable=SC2086
	[ -z "$oneline" ] || one_line_to_deb822 $oneline
}

# Rewrite deb822 stanzas: Types -> "deb deb-src", suites <host>[-x] -> $SUITE[-x].
derive() {
	local from=$1
	system_sources | awk -v from="$from" -v to="$SUITE" '
	function flush() {
		if (uris != "" && suites != "" && enabled)
			printf "Types: deb deb-src\nURIs: %s\nSuites: %s\nComponents: %s\n%s\n", \
				uris, suites, comps, (signed != "" ? "Signed-By: " signed "\n" : "")
		uris = suites = comps = signed = ""; enabled = 1; deb = 0
	}
	BEGIN { enabled = 1 }
	/^[ \t]*#/ { next }
	/^[ \t]*$/ { flush(); next }
	{
		key = tolower($1); sub(/:$/, "", key)
		val = $0; sub(/^[^:]*:[ \t]*/, "", val)
		if (key == "types") { if (val !~ /(^| )deb( |$)/) enabled = 0 }
		else if (key == "enabled") { if (tolower(val) == "no") enabled = 0 }
		else if (key == "uris") uris = val
		else if (key == "components") comps = val
		else if (key == "signed-by") signed = val
		else if (key == "suites") {
			n = split(val, s, /[ \t]+/); suites = ""
			for (i = 1; i <= n; i++) {
				if (s[i] == from || index(s[i], from "-") == 1)
					suites = suites (suites == "" ? "" : " ") to substr(s[i], length(from) + 1)
			}
		}
	}
	END { flush() }'
}

gen() {
	local dir=$1 out
	mkdir -p "$dir/lists/partial" "$dir/archives/partial"
	out=$(derive "$(host_codename)")
	[ -n "$out" ] || die "no enabled deb stanza for $(host_codename) in $SYS_SOURCES"
	printf '%s\n' "$out" >"$dir/sources.sources"
}

apt_opts() {
	echo -o "Dir::Etc::SourceList=$APT_DIR/sources.sources" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o "Dir::State::Lists=$APT_DIR/lists" \
		-o "Dir::Cache::Archives=$APT_DIR/archives" \
		-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
		-o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root
}

case "${1:-}" in
gen) gen "${2:?directory}" ;;
update)
	gen "$APT_DIR"
	# shellcheck disable=SC2046
	apt-get $(apt_opts) update
	;;
run)
	shift
	# shellcheck disable=SC2046
	apt-get $(apt_opts) "$@"
	;;
policy)
	shift
	# shellcheck disable=SC2046
	apt-cache $(apt_opts) policy "$@"
	;;
*) die "usage: $0 gen <dir> | update | run <apt-get args> | policy <pkg>" ;;
esac

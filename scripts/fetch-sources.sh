#!/bin/bash
# Fetch the bases we patch: Debian's linux-source-6.12 (binary package holding
# the tarball) and the Xen 4.20 orig tarball (source package).  Both come from
# Debian's registry through a private apt configuration (apt-private.sh).
#
# config/sources.lock pins versions and sha256, and only `make update-lock`
# (UPDATE_LOCK=1) changes it.  A locked version is used and verified: from the
# download cache, or from the registry while it serves it.  When the registry
# serves another point release we warn.  When the locked one can be had
# neither way (Debian's registry serves only the newest point release of a
# suite) we warn and use the newest served one: the series is applied next
# and says at once if it no longer fits; make update-lock then records it.
#
# UPDATE_LOCK=linux or =xen moves only that base.  With CI=true (as CI sets
# it) a locked version the registry no longer serves is an error, not a
# warning: CI says when the bases need moving.
#
# LINUX_SRC= / XEN_SRC= (a source tree or a tarball) skip the download.
# Writes build/sources.env for the later stages.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LOCK=${LOCK:-$TOP/config/sources.lock}
DL=$CACHE/dl
LINUX_PKG=linux-source-6.12
XEN_PKG=xen
APT="$TOP/scripts/apt-private.sh"
mkdir -p "$DL" "$BUILD"

# moving <linux|xen>: does this run move that base's lock (make update-lock)?
moving() { [ "${UPDATE_LOCK:-0}" = 1 ] || [ "${UPDATE_LOCK:-0}" = "$1" ]; }

# not_served <message>: a locked version that left the registry's index
not_served() {
	[ "${CI:-}" != true ] || die "$1 (CI=true: make update-lock, then commit config/sources.lock)"
	warn "$1"
}

lock_get() { [ -f "$LOCK" ] && sed -n "s/^$1=//p" "$LOCK" | head -n1 || true; }
sha256() { sha256sum "$1" | cut -d' ' -f1; }

# Versions of a binary package the registry serves, newest first.
binary_versions() {
	"$APT" policy "$1" | awk '/Version table:/ {t = 1; next}
		t && /^ ( \*\*\*)? +[0-9]/ {sub(/\*\*\*/, ""); print $1}'
}

# Versions of a source package the registry lists, newest first.
source_versions() {
	"$APT" run -qq source --print-uris --only-source "$1" >/dev/null 2>&1 || true
	apt-cache -o "Dir::Etc::SourceList=$CACHE/apt/sources.sources" \
		-o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$CACHE/apt/lists" \
		-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= showsrc "$1" |
		awk '/^Version:/ {print $2}' | sort -rV | uniq
}

# Pick the version to use: the locked one (served, from the archive's pool:
# cached=pool, or in the cache: cached=1),
# else, with no lock or with UPDATE_LOCK=1, the newest served.
pick_version() {
	local what=$1 locked=$2 newest=$3 served=$4 cached=${5:-0} base=xen
	case $what in linux*) base=linux ;; esac
	if [ -n "$locked" ] && ! moving $base; then
		if grep -qxF "$locked" <<<"$served"; then
			[ "$locked" = "$newest" ] ||
				warn "$what: the registry now serves $newest; using the locked $locked (make update-lock to move)"
		elif [ "$cached" = pool ]; then
			: # the archive's pool still serves it (warned by the caller)
		elif [ "$cached" = 1 ]; then
			not_served "$what: the locked $locked is no longer served; using the cached copy (make update-lock to move)"
		else
			[ -n "$newest" ] || die "$what: the locked $locked is neither served nor cached, and nothing else is served"
			not_served "$what: the locked $locked is neither served nor cached; using the newest served $newest (make update-lock to record it)"
			echo "$newest"
			return
		fi
		echo "$locked"
		return
	fi
	[ -n "$newest" ] || die "the registry serves no $what (check /etc/apt/sources.list.d)"
	echo "$newest"
}

fetch_linux() {
	local served ver deb tarball want
	served=$(binary_versions $LINUX_PKG)
	ver=$(lock_get LINUX_VERSION)
	cached=0
	[ -n "$ver" ] && [ -s "$DL/${LINUX_PKG}_${ver}_all.deb" ] && cached=1
	ver=$(pick_version $LINUX_PKG "$ver" "$(head -n1 <<<"$served")" "$served" $cached)
	deb=$DL/${LINUX_PKG}_${ver}_all.deb
	if [ ! -s "$deb" ]; then
		(cd "$DL" && "$APT" run -q download "$LINUX_PKG=$ver") || die "could not download $LINUX_PKG=$ver"
	fi
	want=$(lock_get LINUX_DEB_SHA256)
	if [ "$(lock_get LINUX_VERSION)" = "$ver" ] && [ -n "$want" ] && [ "$(sha256 "$deb")" != "$want" ]; then
		die "$deb: sha256 $(sha256 "$deb") does not match the lock ($want)"
	fi
	tarball=$DL/linux-source-$ver.tar.xz
	if [ ! -s "$tarball" ]; then
		dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.12.tar.xz >"$tarball.tmp"
		mv "$tarball.tmp" "$tarball"
	fi
	LINUX_VERSION=$ver LINUX_DEB_SHA256=$(sha256 "$deb") LINUX_TARBALL=$tarball
}

# The orig tarball's expected sha256, from the Sources index.
xen_orig_sum() {
	"$APT" run -qq source --print-uris --only-source "$XEN_PKG=$1" 2>/dev/null |
		awk '$2 ~ /\.orig\.tar\./ {print $2, $4}' | sed 's/SHA256://'
}

# cached_xen_orig <sha256>: the cached orig tarball with that sum, if any
cached_xen_orig() {
	local f
	[ -n "$1" ] || return 0
	for f in "$DL"/xen_*.orig.tar.*; do
		[ -s "$f" ] && [ "$(sha256 "$f")" = "$1" ] && { echo "$f"; return; }
	done
	return 0
}

# Archive URIs of the private apt sources (deb.debian.org-style mirrors).
archive_uris() {
	sed -n 's/^URIs: *//p' "$CACHE/apt/sources.sources" | tr ' ' '\n' | grep -v '^$' | grep -v -- '-security' || true
}

# pool_xen_orig <version> <sha256>: the orig tarball of a version the index no
# longer lists, fetched from the archive's pool (where Debian keeps a file for
# a while after a point release replaces it) by apt's own downloader, which
# checks the locked sha256.  Prints the file on success.
pool_xen_orig() {
	local upstream=${1%-*} sum=$2 uri name ext
	[ -n "$1" ] && [ -n "$sum" ] || return 0
	for uri in $(archive_uris); do
		for ext in xz gz bz2; do
			name=${XEN_PKG}_$upstream.orig.tar.$ext
			if /usr/lib/apt/apt-helper -qq download-file \
				"${uri%/}/pool/main/x/$XEN_PKG/${name//+/%2b}" "$DL/$name" "SHA256:$sum" \
				>/dev/null 2>&1; then
				echo "$DL/$name"
				return
			fi
			rm -f "$DL/$name"
		done
	done
	return 0
}

fetch_xen() {
	local served ver name want got cached from_pool= others=
	served=$(source_versions $XEN_PKG | grep '^4\.20\.' || true)
	cached=$(cached_xen_orig "$(lock_get XEN_ORIG_SHA256)")
	# A locked version the index no longer lists may still be in the pool:
	# fetched from there when not cached, and with CI=true again to prove
	# the registry still serves it.
	if { [ -z "$cached" ] || [ "${CI:-}" = true ]; } && ! moving xen && [ -n "$(lock_get XEN_VERSION)" ] &&
		! grep -qxF "$(lock_get XEN_VERSION)" <<<"$served"; then
		from_pool=$(pool_xen_orig "$(lock_get XEN_VERSION)" "$(lock_get XEN_ORIG_SHA256)")
		[ -z "$from_pool" ] || {
			cached=$from_pool
			warn "xen $(lock_get XEN_VERSION): no longer listed; fetched the locked orig tarball from the archive's pool"
		}
	fi
	ver=$(pick_version "xen 4.20 source" "$(lock_get XEN_VERSION)" "$(head -n1 <<<"$served")" \
		"$served" "$([ -n "$from_pool" ] && echo pool || { [ -n "$cached" ] && echo 1; })")
	if [ -n "$cached" ] && [ "$ver" = "$(lock_get XEN_VERSION)" ]; then
		XEN_VERSION=$ver XEN_ORIG_SHA256=$(lock_get XEN_ORIG_SHA256) XEN_TARBALL=$cached
		return
	fi
	# Security-suite source packages may not be served: without a lock to
	# keep, walk down the versions.
	[ -n "$(lock_get XEN_VERSION)" ] && ! moving xen || others=$(grep -vxF "$ver" <<<"$served" || true)
	for v in $ver $others; do
		read -r name want < <(xen_orig_sum "$v") || continue
		if [ ! -s "$DL/$name" ]; then
			# The .dsc may be missing on the mirror; the orig tarball is what we need.
			(cd "$DL" && "$APT" run -q source --download-only --only-source "$XEN_PKG=$v") || true
		fi
		if [ -s "$DL/$name" ]; then
			got=$(sha256 "$DL/$name")
			[ "$got" = "$want" ] || die "$name: sha256 $got does not match the registry's $want"
			[ "$v" != "$(lock_get XEN_VERSION)" ] || [ "$got" = "$(lock_get XEN_ORIG_SHA256)" ] ||
				die "$name: sha256 $got does not match the lock"
			[ "$v" = "$ver" ] || warn "xen $ver: orig tarball not served; using $v"
			XEN_VERSION=$v XEN_ORIG_SHA256=$got XEN_TARBALL=$DL/$name
			return
		fi
		warn "xen $v: orig tarball not served by the registry"
	done
	die "no Xen 4.20 orig tarball could be fetched"
}

write_lock() {
	cat >"$LOCK.tmp" <<-EOF
		# Bases of the patch series, as fetched by scripts/fetch-sources.sh.
		# Changed only by make update-lock.
		LINUX_PKG=$LINUX_PKG
		LINUX_VERSION=$LINUX_VERSION
		LINUX_DEB_SHA256=$LINUX_DEB_SHA256
		XEN_PKG=$XEN_PKG
		XEN_VERSION=$XEN_VERSION
		XEN_ORIG_SHA256=$XEN_ORIG_SHA256
	EOF
	if ! cmp -s "$LOCK.tmp" "$LOCK"; then
		mv "$LOCK.tmp" "$LOCK"
		note "updated $LOCK"
	else
		rm -f "$LOCK.tmp"
	fi
}

main() {
	local update_ok=1
	if [ -z "${LINUX_SRC:-}" ] || [ -z "${XEN_SRC:-}" ]; then
		"$APT" update >/dev/null 2>&1 || update_ok=0
		# with CI=true stale lists could hide that a locked version left
		[ $update_ok = 1 ] || [ "${CI:-}" != true ] || die "apt-get update of the private lists failed (CI=true)"
		[ $update_ok = 1 ] || warn "apt-get update of the private lists failed; using cached lists"
	fi
	if [ -n "${LINUX_SRC:-}" ]; then
		[ -e "$LINUX_SRC" ] || die "LINUX_SRC=$LINUX_SRC does not exist"
		LINUX_VERSION=user LINUX_TARBALL=$(realpath "$LINUX_SRC")
	else
		fetch_linux
	fi
	if [ -n "${XEN_SRC:-}" ]; then
		[ -e "$XEN_SRC" ] || die "XEN_SRC=$XEN_SRC does not exist"
		XEN_VERSION=user XEN_TARBALL=$(realpath "$XEN_SRC")
	else
		fetch_xen
	fi
	# The lock changes only when asked (make update-lock) or when there is none.
	if [ -z "${LINUX_SRC:-}${XEN_SRC:-}" ] && { [ "${UPDATE_LOCK:-0}" != 0 ] || [ ! -f "$LOCK" ]; }; then
		write_lock
	fi
	cat >"$BUILD/sources.env" <<-EOF
		LINUX_VERSION=$LINUX_VERSION
		LINUX_BASE=$LINUX_TARBALL
		XEN_VERSION=$XEN_VERSION
		XEN_BASE=$XEN_TARBALL
	EOF
	note "Linux: $LINUX_VERSION ($LINUX_TARBALL)"
	note "Xen:   $XEN_VERSION ($XEN_TARBALL)"
}

# sourced by tests/unit/fetch-lock.sh for its functions
[ "${BASH_SOURCE[0]}" != "$0" ] || main "$@"

# The private apt source is derived from the machine's deb822 files: suites
# renamed to the target release, deb-src added, disabled and non-deb stanzas
# dropped, nothing else invented.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SYS_SOURCES_LIST=$tmp/no-sources.list # never this machine's own
mkdir -p "$tmp/sys"
cat >"$tmp/sys/debian.sources" <<'SRC'
Types: deb
# a comment
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/old
Suites: bookworm
Components: main
Enabled: no
SRC
cat >"$tmp/sys/other.sources" <<'SRC'
Types: deb
URIs: http://elsewhere.example/repo
Suites: nodistro
Components: main
SRC
SYS_SOURCES=$tmp/sys SUITE=trixie "$TOP/scripts/apt-private.sh" gen "$tmp/out"
out=$(cat "$tmp/out/sources.sources")
check_eq "two stanzas derived" 2 "$(grep -c '^Types:' <<<"$out")"
check_eq "deb-src added" 2 "$(grep -c '^Types: deb deb-src$' <<<"$out")"
check "main suites renamed" grep -qx 'Suites: trixie trixie-updates' <<<"$out"
check "security suite renamed" grep -qx 'Suites: trixie-security' <<<"$out"
check "components kept" grep -qx 'Components: main contrib' <<<"$out"
check "keyring kept" grep -q '^Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' <<<"$out"
check_eq "disabled stanza dropped" 0 "$(grep -c /old <<<"$out")"
check_eq "foreign suites dropped" 0 "$(grep -c elsewhere <<<"$out")"
check "other suite selectable" sh -c "SYS_SOURCES=$tmp/sys SUITE=sid '$TOP/scripts/apt-private.sh' gen '$tmp/sid' && grep -qx 'Suites: sid sid-updates' '$tmp/sid/sources.sources'"
mkdir -p "$tmp/empty"
gen_fails_clearly() {
	local o
	o=$(SYS_SOURCES=$tmp/empty "$TOP/scripts/apt-private.sh" gen "$tmp/x" 2>&1) && return 1
	grep -q 'no \*.sources file' <<<"$o"
}
check "no sources file is a clear error" gen_fails_clearly

# A standard Debian 12 install: one-line /etc/apt/sources.list, no *.sources
mkdir -p "$tmp/d12/sources.list.d"
cat >"$tmp/d12/sources.list" <<'SRC'
# deb cdrom:[Debian GNU/Linux 12]/ bookworm main
deb http://deb.example/debian/ bookworm main non-free-firmware
deb-src http://deb.example/debian/ bookworm main non-free-firmware

deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://security.example/debian-security bookworm-security main
deb http://deb.example/debian/ bookworm-updates main
deb http://elsewhere.example/repo nodistro main
SRC
echo 'deb http://extra.example/debian bookworm-backports main' >"$tmp/d12/sources.list.d/bp.list"
gen_d12() {
	SYS_SOURCES=$tmp/d12/sources.list.d SYS_SOURCES_LIST=$tmp/d12/sources.list SUITE=trixie \
		"$TOP/scripts/apt-private.sh" gen "$tmp/d12out" && cat "$tmp/d12out/sources.sources"
}
out=$(gen_d12)
check_eq "one-line format: a stanza per deb line of this release" 4 "$(grep -c '^Types: deb deb-src$' <<<"$out")"
check "one-line format: main suite renamed" grep -qx 'Suites: trixie' <<<"$(grep -A1 '^URIs: http://deb.example/debian/$' <<<"$out")"
check "one-line format: security suite renamed" grep -q 'security.example' <<<"$(grep -B1 '^Suites: trixie-security$' <<<"$out")"
check "one-line format: signed-by kept" grep -qx 'Signed-By: /usr/share/keyrings/k.gpg' <<<"$out"
check "one-line format: components kept" grep -qx 'Components: main non-free-firmware' <<<"$out"
check "one-line format: *.list files read too" grep -qx 'Suites: trixie-backports' <<<"$out"
check_eq "one-line format: foreign suites and comments dropped" 0 "$(grep -c 'elsewhere\|cdrom' <<<"$out")"

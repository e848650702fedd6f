# The private apt source is derived from the machine's deb822 files: suites
# renamed to the target release, deb-src added, disabled and non-deb stanzas
# dropped, nothing else invented.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
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

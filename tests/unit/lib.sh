# Helpers for host unit tests: one PASS:/FAIL: line per check.
# shellcheck shell=bash
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SUITE=$(basename "$0" .sh)
pass() { echo "PASS: unit/$SUITE: $1"; }
fail() { echo "FAIL: unit/$SUITE: $1${2:+: $2}"; }
check_eq() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected '$2', got '$3'"; fi; }
check() {
	local d=$1 o
	shift
	if o=$("$@" 2>&1); then pass "$d"; else fail "$d" "$(tail -n 3 <<<"$o" | tr '\n' ' ')"; fi
}

# kunit_dir: Linux's KUnit tool (its KTAP parser), from the prepared tree,
# else unpacked once from the fetched Linux tarball; empty when neither is here.
kunit_dir() {
	local d=$TOP/build/linux/tools/testing/kunit base cache
	[ -f "$d/kunit_parser.py" ] && { echo "$d"; return; }
	cache=${XEN_TTM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xen-ttm}
	base=$(sed -n 's/^LINUX_BASE=//p' "$TOP/build/sources.env" 2>/dev/null)
	[ -f "$base" ] || base=$(ls "$cache"/dl/linux-source-*.tar.xz 2>/dev/null | tail -n1)
	cache=$cache/kunit-tool
	if [ ! -f "$cache/kunit_parser.py" ] && [ -f "$base" ]; then
		mkdir -p "$cache"
		tar -xf "$base" -C "$cache" --strip-components=4 --wildcards '*/tools/testing/kunit/*.py' 2>/dev/null
	fi
	[ -f "$cache/kunit_parser.py" ] && echo "$cache"
}

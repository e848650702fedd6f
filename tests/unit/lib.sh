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

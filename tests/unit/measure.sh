# The scenario helpers rerun a read-only measuring command only when it died
# by a signal (or, for values, printed nothing); a wrong result is never
# rerun.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC1091
. "$TOP/tests/system/lib.sh"
# ... and our own pass/fail/check again, over the scenario ones
. "$(dirname "$0")/lib.sh"
crash_once() { [ -e "$tmp/crashed" ] && { echo 42; return 0; }; touch "$tmp/crashed"; sh -c 'kill -SEGV $$'; }
wrong() { echo $((n = n + 1)); }

out=$(rerun 0 crash_once 2>"$tmp/err")
check_eq "a command that crashed once is rerun" 42 "$out"
check "the rerun is reported" grep -q "XTEST-NOTE: 'crash_once' died or printed nothing (rc 139); rerun 1" "$tmp/err"
n=0
out=$(measure wrong 2>"$tmp/err2")
check_eq "a wrong value is not rerun" 1 "$out"
check_eq "and nothing is reported" "" "$(cat "$tmp/err2")"
always() { sh -c 'kill -SEGV $$'; }
rerun 0 always >/dev/null 2>"$tmp/err3"
check_eq "a command that always crashes fails after two reruns" 2 "$(grep -c XTEST-NOTE "$tmp/err3")"
out=$(measure sh -c 'true' 2>"$tmp/err4")
check_eq "an empty value is rerun twice, then returned empty" "2|" "$(grep -c XTEST-NOTE "$tmp/err4")|$out"

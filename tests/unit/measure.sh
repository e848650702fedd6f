# The scenario helpers rerun a read-only measuring command only when it died
# by a signal (or, for values, printed nothing); a wrong result is never
# rerun; every rerun is a counted failure on the results channel.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# dom0's results channel and counts, here in files
export XTEST_CHANNEL=$tmp/channel XTEST_COUNTS=$tmp/counts XTEST_TESTS=$TOP/tests
# shellcheck disable=SC1091
. "$TOP/tests/system/lib.sh"
# ... and our own pass/fail/check again, over the scenario ones
. "$(dirname "$0")/lib.sh"
crash_once() { [ -e "$tmp/crashed" ] && { echo 42; return 0; }; touch "$tmp/crashed"; sh -c 'kill -SEGV $$'; }
wrong() { echo $((n = n + 1)); }

out=$(rerun 0 crash_once 2>"$tmp/err")
check_eq "a command that crashed once is rerun" 42 "$out"
check "the rerun is reported on the results channel" grep -q "XTEST-RERUN: 'crash_once' died or printed nothing (rc 139); rerun 1" "$tmp/channel"
check_eq "... and counted as a failure" 1 "$(counted fail)"
n=0
out=$(measure wrong 2>"$tmp/err2")
check_eq "a wrong value is not rerun" 1 "$out"
check_eq "and nothing is reported" "" "$(cat "$tmp/err2")"
check_eq "nor counted" 1 "$(counted fail)"
always() { sh -c 'kill -SEGV $$'; }
: >"$tmp/channel"
rerun 0 always >/dev/null 2>&1
check_eq "a command that always crashes fails after two reruns" 2 "$(grep -c XTEST-RERUN "$tmp/channel")"
: >"$tmp/channel"
out=$(measure sh -c 'true' 2>/dev/null)
check_eq "an empty value is rerun twice, then returned empty" "2|" "$(grep -c XTEST-RERUN "$tmp/channel")|$out"

# The other dom0 helpers, on the same files
: >"$tmp/channel"
rm -rf "$XTEST_COUNTS" && mkdir -p "$XTEST_COUNTS"
(. "$TOP/tests/system/lib.sh" && ktap no_such_suite) >/dev/null
check "a KUnit suite that is not registered is a failure" grep -q '^XTEST-FAIL: KUnit suite no_such_suite is registered' "$tmp/channel"
check_eq "... counted, with no KTAP block" "1 0" "$(counted fail) $(counted ktap)"
check_eq "... and no block on the channel" 0 "$(grep -c KTAP-BEGIN "$tmp/channel")"
printf '[ 1.0] ok\n[ 2.0] list_add corruption. prev->next should be next\n' >"$tmp/guest.log"
check "a guest log's debug report is found" grep -q 'list_add corruption' <<<"$(bad_lines "$tmp/guest.log")"
printf '[ 1.0] booted\n[ 2.0] GUEST-UP\n' >"$tmp/clean.log"
check_eq "a clean guest log has nothing" "" "$(bad_lines "$tmp/clean.log")"

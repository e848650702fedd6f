# The scenario runner's verdicts, from canned logs (BOOT_CMD replaces QEMU:
# it writes a console log and a results channel): a scenario fails in every
# way it should, and each way below is a mutation of a passing run.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export BUILD=$tmp/build
cat >"$tmp/fake-boot" <<'SH'
#!/bin/bash
# Replay $FAKE_LOG as the serial console and $FAKE_RESULTS as the results
# channel, then idle like a running QEMU (or exit, with FAKE_EXIT=1).
echo "$DOM0_ARGS " >"$FAKE_ARGS"
printf '%b' "$FAKE_LOG" >"$SERIAL"
printf '%b' "${FAKE_RESULTS:-}" >"$RESULTS.out"
[ "${FAKE_EXIT:-0}" = 1 ] && exit 0
[ -n "${FAKE_STATUS:-}" ] && exit "$FAKE_STATUS"
exec sleep 60
SH
chmod +x "$tmp/fake-boot"
export BOOT_CMD=$tmp/fake-boot FAKE_ARGS=$tmp/args
KUNIT=$(kunit_dir)
export KUNIT_DIR=${KUNIT:-$tmp/no-kunit}
UP='XEN-TTM-DOM0-READY\n'

# verdict <name> <console> <results> [header lines]: run one fake scenario,
# print the runner's result lines; its exit status goes to $tmp/<name>.rc
verdict() {
	mkdir -p "$tmp/sc/$1"
	printf '# timeout: 4\n%b' "${4:-}" >"$tmp/sc/$1/test.sh"
	FAKE_LOG=$2 FAKE_RESULTS=$3 "$TOP/tests/run-scenario.sh" "$tmp/sc/$1" >"$tmp/$1.out"
	echo $? >"$tmp/$1.rc"
	grep -E '^(PASS|FAIL|SKIP): ' "$tmp/$1.out"
}
end() { echo "XTEST-END $1 rc=${2:-0} pass=${3:-0} fail=${4:-0} skip=${7:-0} ktap=${5:-0} shots=${6:-0}"; }

r=$(verdict good "Xen 4.20\r\n$UP" "XTEST-PASS: a\r\nXTEST-PASS: b\r\n$(end good 0 2)\r\n")
check_eq "passing scenario: two passes, no failure" "PASS: good: a|PASS: good: b" "$(paste -sd'|' <<<"$r")"
check_eq "a passing scenario exits 0" 0 "$(cat "$tmp/good.rc")"
r=$(verdict bad "$UP" "XTEST-PASS: a\nXTEST-FAIL: b: expected 1, got 2\n$(end bad 0 1 1)\n")
check_eq "a failed check is a failure" "FAIL: bad: b: expected 1, got 2" "$(grep ^FAIL <<<"$r")"
check_eq "a failing scenario exits 1 (make bench stops on it)" 1 "$(cat "$tmp/bad.rc")"

# Results are read from their own channel: a check the console splits or
# interleaves with kernel messages is still counted; one lost from the
# channel shows as a count that does not match the end marker.
r=$(verdict split "$UP"'XTEST-FA[   9.1] xen:balloon: ...\nIL: b\n' "XTEST-PASS: a\nXTEST-FAIL: b\n$(end split 0 1 1)\n")
check "a FAIL line split on the console is still a failure" grep -qx 'FAIL: split: b' <<<"$r"
r=$(verdict lost "$UP" "XTEST-PASS: a\n$(end lost 0 1 1)\n")
check "a FAIL line lost from the channel: the end marker's count fails" \
	grep -qx 'FAIL: lost: end marker counts 1 failures, the results channel holds 0' <<<"$r"
r=$(verdict lostpass "$UP" "$(end lostpass 0 3)\nXTEST-PASS: a\n")
check "passes the end marker counts must all be there" grep -q '^FAIL: lostpass: end marker counts 3 passes' <<<"$r"

r=$(verdict hang "$UP" 'XTEST-PASS: a\n')
check "a scenario that never ends fails on its timeout" grep -q '^FAIL: hang: no XTEST-END within 4s' <<<"$r"
FAKE_EXIT=1 verdict exited "$UP" 'XTEST-PASS: a\n' >"$tmp/exited.r"
check "QEMU exiting before the end fails" grep -q '^FAIL: exited: QEMU exited before the scenario ended' "$tmp/exited.r"
FAKE_STATUS=3 verdict died "" '' >"$tmp/died.r"
check "a boot command that dies silently fails with its status" \
	grep -q '^FAIL: died: QEMU exited before the scenario ended (status 3' "$tmp/died.r"

# Crashes: seen at once (the timeout is far), and wherever they are.
t0=$(date +%s)
r=$(verdict dom0crash "(XEN) Hardware Dom0 crashed: rebooting machine in 5 seconds.\n" '' '# timeout: 60\n')
check "Xen's 'Hardware Dom0 crashed' fails the scenario" grep -q '^FAIL: dom0crash: Xen or dom0 crashed' <<<"$r"
check "... at once, not at the timeout" test $(($(date +%s) - t0)) -lt 45
r=$(verdict panic "$UP(XEN) Panic on CPU 0:\n" 'XTEST-PASS: a\n' '# timeout: 60\n')
check "a Xen panic fails the scenario" grep -q '^FAIL: panic: Xen or dom0 crashed' <<<"$r"
r=$(verdict oops "$UP"'Kernel panic - not syncing: Attempted to kill init!\n' '' '# timeout: 60\n')
check "a dom0 panic fails the scenario" grep -q '^FAIL: oops: Xen or dom0 crashed' <<<"$r"
r=$(verdict noboot 'Xen 4.20\n' '' '# timeout: 60\n# boot-timeout: 2\n')
check "dom0 not up by the boot deadline fails at once" grep -q '^FAIL: noboot: dom0 not up within 2s' <<<"$r"
r=$(verdict fatal "$UP"'XTEST-FATAL: no results channel (/dev/ttyS1)\n' '' '# timeout: 60\n')
check "dom0 without a results channel fails" grep -q '^FAIL: fatal: no results channel' <<<"$r"

# Reports on the console after or outside the scenario's own checks
for report in \
	'[  12.3] WARNING: possible circular locking dependency detected' \
	'[  12.3] list_add corruption. prev->next should be next (ffffffffc000d130), but was cccccccccccccccc' \
	'[  12.3] BUG: sleeping function called from invalid context at mm/slab.h:1' \
	'[  12.3] =============================================================================\n[  12.3] BUG kmalloc-64 (Not tainted): Poison overwritten' \
	'[  12.3] WARNING: CPU: 0 PID: 1 at drivers/gpu/drm/ttm/ttm_pool.c:1 ttm_pool_fini+0x1/0x2' \
	'[  12.3] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI' \
	'(XEN) Xen WARN at common/page_alloc.c:1:' \
	"(XEN) Assertion 'd->dma32_pages >= n' failed at common/page_alloc.c:1" \
	'[  12.3] xl[344]: segfault at 10 ip 00007f sp 00007ffd error 4 in libc.so.6'; do
	r=$(verdict rep "$UP$report\n" "XTEST-PASS: a\n$(end rep 0 1)\n")
	check "console report fails: ${report:10:40}..." grep -q '^FAIL: rep: console: ' <<<"$r"
done
r=$(verdict guestlog "$UP"'GUEST-LOG w1| [ 3.1] WARNING: CPU: 0\nXTEST-FAIL: w1 ran: WARNING: x\n' \
	"XTEST-PASS: a\n$(end guestlog 0 1)\n")
check "guest lines dom0 copies are not dom0's reports (checked in dom0)" \
	test -z "$(grep '^FAIL: guestlog' <<<"$r")"
printf '# why\nWARNING: allowed for the unit test$\n' >"$tmp/allowed"
r=$(verdict allowed "${UP}[  12.3] WARNING: allowed for the unit test\n" "XTEST-PASS: a\n$(end allowed 0 1)\n")
check "a report not in tests/allowed-reports fails" grep -q '^FAIL: allowed: console' <<<"$r"
r=$(ALLOWED_REPORTS=$tmp/allowed verdict allowed "${UP}[  12.3] WARNING: allowed for the unit test\n" "XTEST-PASS: a\n$(end allowed 0 1)\n")
check_eq "a report tests/allowed-reports allows does not" "PASS: allowed: a" "$r"

r=$(verdict rc "$UP" "XTEST-PASS: a\n$(end rc 2 1)\n")
check "a test.sh that exits non-zero fails" grep -q '^FAIL: rc: test.sh exited with rc=2' <<<"$r"
r=$(verdict empty "$UP" "$(end empty)\n")
check "a scenario that checked nothing fails" grep -q '^FAIL: empty: no check ran' <<<"$r"
r=$(verdict rerun "$UP" "XTEST-PASS: a\nXTEST-RERUN: 'xl list -l' died or printed nothing (rc 139); rerun 1\n$(end rerun 0 1 1)\n")
check "a rerun command is a failure, counted" grep -q "^FAIL: rerun: rerun: 'xl list -l' died" <<<"$r"

# KTAP, read by Linux's own parser (tools/testing/kunit)
if [ -z "$KUNIT" ]; then
	echo "SKIP: unit/$SUITE: KTAP checks: no Linux tree or tarball for its KUnit parser (make fetch)"
else
	suite() { printf 'XTEST-KTAP-BEGIN %s\nKTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: %s\n%b' "$1" "$1" "$2"; }
	ktap=$(suite ttm_pool '    1..4
        KTAP version 1
        # Subtest: ttm_pool_alloc_basic
        ok 1 One page
        not ok 2 More than one page
    # ttm_pool_alloc_basic: pass:1 fail:1 skip:0 total:2
    not ok 1 ttm_pool_alloc_basic
    ok 2 ttm_pool_fini_basic
    ok 3 ttm_pool_needs_uml # SKIP not on UML
        KTAP version 1
        # Subtest: ttm_pool_params_broken
    not ok 4 ttm_pool_params_broken
not ok 1 ttm_pool
XTEST-KTAP-END ttm_pool\n')
	r=$(verdict kt "$UP" "$ktap\n$(end kt 0 0 0 1)\n")
	check_eq "KTAP: one result per leaf" 5 "$(wc -l <<<"$r")"
	check "KTAP: passing parameter" grep -qx 'PASS: kt: ttm_pool.ttm_pool_alloc_basic.One page' <<<"$r"
	check "KTAP: failing parameter" grep -qx 'FAIL: kt: ttm_pool.ttm_pool_alloc_basic.More than one page' <<<"$r"
	check "KTAP: plain case" grep -qx 'PASS: kt: ttm_pool.ttm_pool_fini_basic' <<<"$r"
	check "KTAP: skipped case" grep -qx 'SKIP: kt: ttm_pool.ttm_pool_needs_uml' <<<"$r"
	check "KTAP: parameterised case failing on its own" grep -q '^FAIL: kt: ttm_pool.ttm_pool_params_broken' <<<"$r"
	r=$(verdict ktnocase "$UP" "$(suite s '    1..0\nnot ok 1 s\nXTEST-KTAP-END s\n')\n$(end ktnocase 0 0 0 1)\n")
	check "KTAP: a suite reporting 'not ok' with no cases fails" grep -q '^FAIL: ktnocase: s: ' <<<"$r"
	r=$(verdict ktempty "$UP" "XTEST-KTAP-BEGIN s\nXTEST-KTAP-END s\n$(end ktempty 0 0 0 1)\n")
	check "KTAP: an empty block fails" grep -q '^FAIL: ktempty: s: ' <<<"$r"
	r=$(verdict ktplan "$UP" "$(suite s '    1..3\n    ok 1 a\nok 1 s\nXTEST-KTAP-END s\n')\n$(end ktplan 0 0 0 1)\n")
	check "KTAP: a plan of 3 with 1 result fails" grep -q '^FAIL: ktplan: s' <<<"$r"
	check "KTAP: ... and its one result is still read" grep -qx 'PASS: ktplan: s.a' <<<"$r"
	r=$(verdict ktcut "$UP" "$(suite s '    1..1\n    ok 1 a\n')\n$(end ktcut 0 0 0 1)\n")
	check "KTAP: a block cut off fails" grep -q '^FAIL: ktcut: s: KTAP block cut off' <<<"$r"
	r=$(verdict ktgone "$UP" "XTEST-PASS: a\n$(end ktgone 0 1 0 1)\n")
	check "KTAP: a suite block the end marker counts must be there" \
		grep -q '^FAIL: ktgone: end marker counts 1 KUnit suites' <<<"$r"
fi

# Screenshots: asked for on the results channel, answered by the host
r=$(verdict shot "$UP" "XTEST-PASS: a\nXTEST-SCREENSHOT 1 - -\n$(end shot 0 1 0 0 1)\n")
check "a missing display screenshot is a failure" grep -q '^FAIL: shot: display screenshot missing or blank' <<<"$r"
r=$(verdict shots "$UP" "XTEST-SCREENSHOT 1 vga0 dom0\nXTEST-PASS: a\nXTEST-SCREENSHOT 2 vga1 guest\n$(end shots 0 1 0 0 2)\n")
check "a screenshot per display asked for (dom0's)" grep -qx 'FAIL: shots: display dom0 (vga0) screenshot missing or blank' <<<"$r"
check "a screenshot per display asked for (the guest's)" grep -qx 'FAIL: shots: display guest (vga1) screenshot missing or blank' <<<"$r"
r=$(verdict shotlost "$UP" "XTEST-PASS: a\n$(end shotlost 0 1 0 0 1)\n")
check "a screenshot asked for and never taken fails" grep -q '^FAIL: shotlost: end marker counts 1 screenshots' <<<"$r"

# Report lines are passed on, and are not results.
verdict rep2 "$UP" "XTEST-PASS: a\r\nXTEST-REPORT: q: quota 1 kB\r\n$(end rep2 0 1)\r\n" >/dev/null
check "a report line is passed on with the scenario's name" grep -qx 'REPORT: rep2: q: quota 1 kB' "$tmp/rep2.out"
check "a report line is not a result" test "$(grep -c '^PASS: rep2' "$tmp/rep2.out")" = 1

# make judge: the verdict again from the saved logs, nothing booted
judge() { JUDGE=1 BOOT_CMD=false "$TOP/tests/run-scenario.sh" "$tmp/sc/$1" 2>&1; }
check_eq "judge: a passing scenario's saved logs pass again" "PASS: good: a|PASS: good: b" \
	"$(judge good | grep -E '^(PASS|FAIL)' | paste -sd'|')"
check_eq "judge: a failing scenario's saved logs fail again" "$(grep -E '^(PASS|FAIL)' "$tmp/bad.out")" \
	"$(judge bad | grep -E '^(PASS|FAIL)')"
check "judge: a timed-out scenario is judged timed out again" grep -q '^FAIL: hang: no XTEST-END within 4s' <<<"$(judge hang)"
check "judge: a crash is judged a crash again" grep -q '^FAIL: panic: Xen or dom0 crashed' <<<"$(judge panic)"
mkdir -p "$tmp/sc/never"
printf '# timeout: 4\n' >"$tmp/sc/never/test.sh"
check "judge: a scenario without saved logs is an error, not a pass" sh -c "! JUDGE=1 '$TOP/tests/run-scenario.sh' '$tmp/sc/never' >/dev/null 2>&1"
# the parsing changed after the run: a report allowed now is judged by today's list
printf 'WARNING: allowed for the unit test$\n' >"$tmp/allowed2"
r=$(verdict rejudge "${UP}[  12.3] WARNING: allowed for the unit test\n" "XTEST-PASS: a\n$(end rejudge 0 1)\n")
check "judge: before the change, the report fails the scenario" grep -q '^FAIL: rejudge: console' <<<"$r"
check "judge: after it, the saved logs are judged by the new list" sh -c \
	"! ALLOWED_REPORTS='$tmp/allowed2' JUDGE=1 BOOT_CMD=false '$TOP/tests/run-scenario.sh' '$tmp/sc/rejudge' | grep -q '^FAIL'"

# The time budget cuts a scenario's timeout (tests/run.sh passes TIMEOUT_CAP)
r=$(TIMEOUT_CAP=1 verdict capped "$UP" 'XTEST-PASS: a\n')
check "a capped timeout ends the scenario and says why" \
	grep -q '^FAIL: capped: no XTEST-END within 1s (cut to what was left of the time budget)' <<<"$r"

# Scenarios sharing a boot: one QEMU, logs split at each one's markers, a
# verdict each
group() {
	local d
	for d in "$@"; do mkdir -p "$tmp/sc/$d" && printf '# timeout: 2\n# group: g\n' >"$tmp/sc/$d/test.sh"; done
	(cd "$tmp/sc" && FAKE_LOG=$GLOG FAKE_RESULTS=$GRES "$TOP/tests/run-scenario.sh" "$@") >"$tmp/group.out" 2>&1
	echo $? >"$tmp/group.rc"
	grep -E '^(PASS|FAIL|SKIP): ' "$tmp/group.out"
}
GLOG="${UP}XTEST-BEGIN ga\nXTEST-BEGIN gb\n[  5.0] WARNING: CPU: 0 in gb\nXTEST-END gb rc=0\nXTEST-BEGIN gc\n"
GRES="XTEST-BEGIN ga\nXTEST-PASS: a1\n$(end ga 0 1) secs=3\nXTEST-BEGIN gb\nXTEST-PASS: b1\n$(end gb 0 1) secs=4\nXTEST-BEGIN gc\nXTEST-PASS: c1\n$(end gc 0 1) secs=5\n"
r=$(group ga gb gc)
check_eq "shared boot: each member's checks under its own name" "PASS: ga: a1|PASS: gb: b1|PASS: gc: c1" \
	"$(grep '^PASS' <<<"$r" | paste -sd'|')"
check "shared boot: a console report is the failure of the member it appeared in" \
	grep -qx "FAIL: gb: console: \[  5.0\] WARNING: CPU: 0 in gb" <<<"$r"
check_eq "shared boot: the others are not blamed for it" 1 "$(grep -c '^FAIL' <<<"$r")"
check_eq "shared boot: the runner fails when a member failed" 1 "$(cat "$tmp/group.rc")"
check "shared boot: each member's logs and verdict saved for make judge" \
	test -s "$BUILD/logs/system-gb.serial" -a -s "$BUILD/logs/system-gc.results" -a -f "$BUILD/logs/system-ga.verdict"
check_eq "shared boot: make judge gives a member's verdict again" "FAIL: gb: console: [  5.0] WARNING: CPU: 0 in gb" \
	"$(JUDGE=1 BOOT_CMD=false "$TOP/tests/run-scenario.sh" "$tmp/sc/gb" | grep '^FAIL')"
GLOG="${UP}XTEST-BEGIN ga\nXTEST-END ga\nXTEST-BEGIN gb\n(XEN) Panic on CPU 0:\n"
GRES="XTEST-BEGIN ga\nXTEST-PASS: a1\n$(end ga 0 1) secs=3\nXTEST-BEGIN gb\nXTEST-PASS: b1\n"
r=$(group ga gb gc)
check "shared boot, Xen crashed in the second: the first passes" grep -qx 'PASS: ga: a1' <<<"$r"
check "shared boot, Xen crashed in the second: it is the crash's failure" grep -q '^FAIL: gb: Xen or dom0 crashed' <<<"$r"
check "shared boot, Xen crashed in the second: the third fails as not run" \
	grep -q '^FAIL: gc: not run: the boot it shared ended before it' <<<"$r"
GLOG="${UP}XTEST-BEGIN ga\n"
GRES="XTEST-BEGIN ga\nXTEST-PASS: a1\n"
r=$(group ga gb)
check "shared boot, a member hangs: it times out within the members' summed timeouts" \
	grep -q '^FAIL: ga: no XTEST-END within 4s' <<<"$r"
# dom0's command line names the members with no comma: QEMU's multiboot
# -initrd takes a comma for the next module
GLOG="" GRES="" group ga gb >/dev/null
check "shared boot: dom0 gets the members as xtest=a:b (no comma for QEMU's -initrd)" \
	grep -q "xtest=system/ga:system/gb " "$tmp/args"
GLOG="Xen 4.20\n" GRES=""
r=$(FAKE_STATUS=3 group ga gb)
check "shared boot, QEMU failed at once: the first member has QEMU's exit" grep -q '^FAIL: ga: QEMU exited' <<<"$r"
check "shared boot, QEMU failed at once: the second is not run" grep -q '^FAIL: gb: not run' <<<"$r"
# what a member's teardown printed after its end marker is its own
GLOG="${UP}XTEST-BEGIN ga\nXTEST-END ga rc=0\n[  9.0] WARNING: CPU: 0 after ga ended\nXTEST-BEGIN gb\nXTEST-END gb rc=0\n"
GRES="XTEST-BEGIN ga\nXTEST-PASS: a1\n$(end ga 0 1) secs=3\nXTEST-BEGIN gb\nXTEST-PASS: b1\n$(end gb 0 1) secs=4\n"
r=$(group ga gb)
check "shared boot: a report after a member's end marker is that member's" \
	grep -q '^FAIL: ga: console: \[  9.0\] WARNING: CPU: 0 after ga ended' <<<"$r"
check_eq "... and not the next one's" 0 "$(grep -c '^FAIL: gb' <<<"$r")"
# a member whose end marker was lost fails, even when the boot ended well
GLOG="${UP}XTEST-BEGIN ga\nXTEST-BEGIN gb\nXTEST-END gb rc=0\n"
GRES="XTEST-BEGIN ga\nXTEST-PASS: a1\nXTEST-BEGIN gb\nXTEST-PASS: b1\n$(end gb 0 1) secs=4\n"
r=$(group ga gb)
check "shared boot: a member's lost end marker is its failure" grep -q '^FAIL: ga: no XTEST-END ga on the results channel' <<<"$r"
# a failure dom0 reported before the first member began (the warm-up guest)
GLOG="${UP}XTEST-BEGIN ga\nXTEST-END ga rc=0\n"
GRES="XTEST-RERUN: 'xl create' died; rerun 1\nXTEST-BEGIN ga\nXTEST-PASS: a1\n$(end ga 0 1 1) secs=3\n"
r=$(group ga)
check "shared boot: a rerun before the first member is the first member's failure" \
	grep -q "^FAIL: ga: rerun: 'xl create' died" <<<"$r"
# an interrupted boot leaves no verdict for make judge to take as the last one
r=$(verdict good "Xen 4.20\r\n$UP" "XTEST-PASS: a\r\nXTEST-PASS: b\r\n$(end good 0 2)\r\n")
FAKE_LOG=$UP "$TOP/tests/run-scenario.sh" "$tmp/sc/good" >/dev/null 2>&1 &
runner=$!
sleep 2
kill -TERM $runner
wait $runner 2>/dev/null
check "an interrupted run leaves no saved verdict behind" test ! -e "$BUILD/logs/system-good.verdict"

mkdir -p "$tmp/sc/gx" && printf '# timeout: 2\n# group: g\n# machine: q35\n' >"$tmp/sc/gx/test.sh"
check "members whose boot headers differ cannot share a boot" sh -c \
	"FAKE_LOG='' '$TOP/tests/run-scenario.sh' '$tmp/sc/ga' '$tmp/sc/gx' 2>&1 | grep -q 'cannot share a boot'"

# A killed runner leaves no QEMU behind.
mkdir -p "$tmp/sc/killed"
printf '# timeout: 60\n' >"$tmp/sc/killed/test.sh"
FAKE_LOG=$UP "$TOP/tests/run-scenario.sh" "$tmp/sc/killed" >/dev/null 2>&1 &
runner=$!
sleep 2
fake=$(pgrep -x -f "sleep 60" -P $runner | head -n1)
kill -TERM $runner
wait $runner 2>/dev/null
sleep 1
check "the fake QEMU was running" test -n "$fake"
check "a killed runner kills QEMU" sh -c "! kill -0 ${fake:-1} 2>/dev/null || [ -z '$fake' ]"

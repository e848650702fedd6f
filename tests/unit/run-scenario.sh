# The scenario runner's verdicts, from canned serial logs (BOOT_CMD replaces
# QEMU): a scenario can fail in every way it should.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export BUILD=$tmp/build
cat >"$tmp/fake-boot" <<'SH'
#!/bin/sh
# Replay $FAKE_LOG as the serial console, then idle like a running QEMU.
cat "$FAKE_LOG" >"$SERIAL"
exec sleep 60
SH
chmod +x "$tmp/fake-boot"
export BOOT_CMD=$tmp/fake-boot

# verdict <name> <log text>: run one fake scenario, print the runner's results.
verdict() {
	mkdir -p "$tmp/sc/$1"
	printf '# timeout: 3\n' >"$tmp/sc/$1/test.sh"
	printf '%b' "$2" >"$tmp/$1.log"
	FAKE_LOG=$tmp/$1.log "$TOP/tests/run-scenario.sh" "$tmp/sc/$1" | grep -E '^(PASS|FAIL|SKIP): '
}

r=$(verdict good 'Xen 4.20\r\nXTEST-PASS: a\r\nXTEST-PASS: b\r\nXTEST-END good rc=0\r\n')
check_eq "passing scenario: two passes, no failure" "PASS: good: a|PASS: good: b" "$(paste -sd'|' <<<"$r")"
r=$(verdict bad 'XTEST-PASS: a\nXTEST-FAIL: b: expected 1, got 2\nXTEST-END bad rc=0\n')
check_eq "a failed check is a failure" "FAIL: bad: b: expected 1, got 2" "$(grep ^FAIL <<<"$r")"
r=$(verdict hang 'XTEST-PASS: a\n')
check "a scenario that never ends fails on its timeout" grep -q '^FAIL: hang: no XTEST-END within 3s' <<<"$r"
r=$(verdict panic 'XTEST-PASS: a\n(XEN) Panic on CPU 0:\n')
check "a Xen panic fails the scenario" grep -q '^FAIL: panic: panic' <<<"$r"
r=$(verdict oops 'Kernel panic - not syncing: Attempted to kill init!\n')
check "a dom0 panic fails the scenario" grep -q '^FAIL: oops: panic' <<<"$r"
r=$(verdict rc 'XTEST-PASS: a\nXTEST-END rc rc=2\n')
check "a test.sh that exits non-zero fails" grep -q '^FAIL: rc: test.sh exited with rc=2' <<<"$r"
r=$(verdict empty 'XTEST-END empty rc=0\n')
check "a scenario that checked nothing fails" grep -q '^FAIL: empty: no check ran' <<<"$r"

ktap='XTEST-KTAP-BEGIN ttm_pool
KTAP version 1
1..1
    KTAP version 1
    # Subtest: ttm_pool
    1..4
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
# ttm_pool: pass:1 fail:2 skip:1 total:4
not ok 1 ttm_pool
XTEST-KTAP-END ttm_pool
XTEST-END kt rc=0
'
r=$(verdict kt "$ktap")
check_eq "KTAP: one result per leaf" 5 "$(wc -l <<<"$r")"
check "KTAP: passing parameter" grep -qx 'PASS: kt: ttm_pool.ttm_pool_alloc_basic.One page' <<<"$r"
check "KTAP: failing parameter" grep -qx 'FAIL: kt: ttm_pool.ttm_pool_alloc_basic.More than one page' <<<"$r"
check "KTAP: plain case" grep -qx 'PASS: kt: ttm_pool.ttm_pool_fini_basic' <<<"$r"
check "KTAP: skipped case" grep -qx 'SKIP: kt: ttm_pool.ttm_pool_needs_uml' <<<"$r"
check "KTAP: parameterised case failing on its own" grep -qx 'FAIL: kt: ttm_pool.ttm_pool_params_broken' <<<"$r"

# A scenario that asks for a screenshot fails when none can be taken.
r=$(verdict shot 'XTEST-PASS: a\nXTEST-SCREENSHOT\nXTEST-END shot rc=0\n')
check "a missing display screenshot is a failure" grep -q '^FAIL: shot: display screenshot missing or blank' <<<"$r"
r=$(verdict shots 'XTEST-SCREENSHOT vga0 dom0\nXTEST-PASS: a\nXTEST-SCREENSHOT vga1 guest\nXTEST-END shots rc=0\n')
check "a screenshot per display asked for (dom0's)" grep -qx 'FAIL: shots: display dom0 (vga0) screenshot missing or blank' <<<"$r"
check "a screenshot per display asked for (the guest's)" grep -qx 'FAIL: shots: display guest (vga1) screenshot missing or blank' <<<"$r"
# Report lines are passed on, and are not results.
mkdir -p "$tmp/sc/rep"
printf '# timeout: 3\n' >"$tmp/sc/rep/test.sh"
printf 'XTEST-PASS: a\r\nXTEST-REPORT: q: quota 1 kB\r\nXTEST-END rep rc=0\r\n' >"$tmp/rep.log"
r=$(FAKE_LOG=$tmp/rep.log "$TOP/tests/run-scenario.sh" "$tmp/sc/rep")
check "a report line is passed on with the scenario's name" grep -qx 'REPORT: rep: q: quota 1 kB' <<<"$r"
check "a report line is not a result" test "$(grep -c '^PASS: rep' <<<"$r")" = 1

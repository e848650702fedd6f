#!/bin/bash
# tests/osstest: ts-xen-ttm-dma32 and dma32-host-checks, run here against
# stand-ins for osstest's modules (tests/osstest/stub) and a fake xl,
# xenstore and test-dma32-quota: the runvar is parsed as xl.cfg sizes
# (bad ones refused), the quota lands in the guest's config, the test
# bed's checks run on the "host" and a failed one fails the step, a
# leftover domain fails the leak check.  perl -c also against real osstest
# modules when OSSTEST_DIR names a checkout (skipped otherwise).
. "$(dirname "$0")/lib.sh"
O=$TOP/tests/osstest
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check "ts-xen-ttm-dma32 compiles (perl -c, stand-in modules)" perl -I"$O/stub" -c "$O/ts-xen-ttm-dma32"
if [ -n "${OSSTEST_DIR:-}" ] && [ -f "$OSSTEST_DIR/Osstest/TestSupport.pm" ]; then
	check "ts-xen-ttm-dma32 compiles with osstest's modules ($OSSTEST_DIR)" \
		perl -I"$OSSTEST_DIR" -c "$O/ts-xen-ttm-dma32"
else
	echo "SKIP: unit/$SUITE: perl -c with osstest's modules (set OSSTEST_DIR to an osstest checkout)"
fi

# step <runvars> [FAKE=... env]: run the step in a fresh directory; its
# status, stderr and call log stay in $tmp/<n>
n=0
step() {
	n=$((n + 1))
	d=$tmp/$n
	mkdir -p "$d/remote" "$d/state"
	printf 'name = "debian"\nmemory = 512\ndma32_quota = 4\n' >"$d/debian.cfg"
	env STUB_DIR="$d" STUB_LOG="$d/log" STUB_RUNVARS="xen_ttm_dma32_checks=$O $1" \
		XEN_TTM_STATE="$d/state" PATH="$O/stub/bin:$PATH" "${@:2}" \
		perl -I"$O/stub" "$O/ts-xen-ttm-dma32" >"$d/out" 2>&1
	echo $? >"$d/rc"
}

step "debian_dma32_quota=16" FAKE_QUOTA=16384 FAKE_USED=4096
check_eq "a good guest: the step passes" 0 "$(cat "$d/rc")"
check_eq "the runvar's 16 (MiB) is in the config, once, the old value gone" \
	'dma32_quota = "16384k"|name = "debian"|memory = 512' "$(grep -v '^$' "$d/debian.cfg" | paste -sd'|')"
check_eq "the checks and the test bed's lib.sh are copied to the host" \
	"put $O/../system/lib.sh|put $O/dma32-host-checks" "$(grep '^put' "$d/log" | paste -sd'|')"
check_eq "basis, start, checks, stop, leak check, in that order" \
	"basis|create|guest debian 16384 started|shutdown|leak after-stop" \
	"$(sed -n 's,^output .*/dma32-host-checks \([^2]*\) 2>&1.*,\1,p; s/^\(create\|shutdown\) .*/\1/p' "$d/log" | sed 's/ $//' | paste -sd'|')"
check "every check of the test bed passed (quota, xenstore, use, audit, leak)" \
	sh -c "! grep -q XTEST-FAIL '$d/log' && [ \$(grep -c XTEST-PASS '$d/log') -eq 12 ]"

step "debian_dma32_quota=2g" FAKE_QUOTA=2097152 FAKE_USED=0
check_eq "a quota in GiB (2g) is 2097152 kB" 0 "$(cat "$d/rc")"

step "" FAKE_QUOTA=16384 FAKE_USED=100
check_eq "no runvar: 16 MiB" 'dma32_quota = "16384k"' "$(head -n 1 "$d/debian.cfg")"

step "debian_dma32_quota=16" FAKE_QUOTA=16384 FAKE_USED=20000
check_eq "use above the quota fails the step" 1 "$(cat "$d/rc")"
check "... naming the check" grep -q "FAIL: .*check(s) failed: started: debian's use (20000 kB) within the quota" "$d/out"

step "debian_dma32_quota=16" FAKE_QUOTA=16384 FAKE_USED=100 FAKE_XENTOP_USED=200
check "xentop disagreeing with xl list -l fails the step" grep -q "xentop shows debian's use and quota" "$d/out"

step "debian_dma32_quota=16" FAKE_QUOTA=16384 FAKE_USED=100 FAKE_XS_QUOTA=8192
check_eq "a quota missing from the guest's xenstore area fails the step" 1 "$(cat "$d/rc")"

step "debian_dma32_quota=96 debian_dma32_pci=host" FAKE_QUOTA=98304 FAKE_USED=70000 STUB_HOST_GPU=0000:00:03.0
check_eq "a GPU from the host's property: passes" 0 "$(cat "$d/rc")"
check_eq "... made assignable first" "cmd xl pci-assignable-add 0000:00:03.0" "$(grep -m1 '^cmd xl' "$d/log")"
check_eq "... and passed through with the quota" 'pci = [ "0000:00:03.0" ]|dma32_quota = "98304k"' \
	"$(head -n 2 "$d/debian.cfg" | paste -sd'|')"
step "debian_dma32_pci=00:03" FAKE_QUOTA=16384 FAKE_USED=0
check "a PCI address that is none is refused" grep -q "debian_dma32_pci: '00:03' is not a PCI address" "$d/out"

step "debian_dma32_quota=lots" FAKE_QUOTA=1 FAKE_USED=0
check "a runvar that is no size is refused before anything runs" \
	sh -c "[ \$(cat '$d/rc') != 0 ] && grep -q \"debian_dma32_quota: 'lots' is not a size\" '$d/out' && ! grep -q '^create' '$d/log'"
step "debian_dma32_quota=0" FAKE_QUOTA=1 FAKE_USED=0
check "a runvar of 0 (no quota) is refused" grep -q "0 means no quota" "$d/out"

# A domain left behind after the guest stopped fails the leak check
d=$tmp/leak; mkdir -p "$d/remote" "$d/state"
cp "$O/dma32-host-checks" "$TOP/tests/system/lib.sh" "$d/remote/"
export STUB_DIR=$d XEN_TTM_STATE=$d/state PATH="$O/stub/bin:$PATH" FAKE_QUOTA=16384 FAKE_USED=1
touch "$d/up"
check "dma32-host-checks basis" "$d/remote/dma32-host-checks" basis
rm -f "$d/up"; touch "$d/leftover"
out=$("$d/remote/dma32-host-checks" leak after-stop 2>&1)
check_eq "a leftover domain fails the leak check" 1 "$?"
check "... naming the domains" grep -q "XTEST-FAIL: nothing left behind after-stop: domains" <<<"$out"
check_eq "bad arguments: exit 2" 2 "$("$d/remote/dma32-host-checks" guest debian lots x >/dev/null 2>&1; echo $?)"

# The osstest patch: its make-flight function is shell, its recipes Tcl
P=$O/osstest-jobs.patch
sed -n '/^diff --git a\/make-flight/,/^diff --git a\/sg-run-job/p' "$P" | sed -n 's/^+\([^+]\|$\)/\1/p' >"$tmp/make-flight.add"
check "osstest-jobs.patch: the make-flight function parses (bash -n)" bash -n "$tmp/make-flight.add"
check_eq "osstest-jobs.patch: make-flight calls do_xen_ttm_dma32_tests" 2 "$(grep -c do_xen_ttm_dma32_tests "$tmp/make-flight.add")"
sed -n '/^diff --git a\/sg-run-job/,$p' "$P" | sed -n 's/^+\([^+]\|$\)/\1/p' >"$tmp/sg-run-job.add"
if command -v tclsh >/dev/null; then
	check_eq "osstest-jobs.patch: the sg-run-job recipes are complete Tcl" 1 \
		"$(echo "set f [open $tmp/sg-run-job.add]; puts [info complete [read \$f]]" | tclsh)"
else
	echo "SKIP: unit/$SUITE: sg-run-job recipes: no tclsh here"
fi
check_eq "osstest-jobs.patch: both recipes run ts-xen-ttm-dma32" 2 "$(grep -c 'run-ts . = ts-xen-ttm-dma32 + host debian' "$tmp/sg-run-job.add")"

# Xen's own tests that run against a live hypervisor (tools/tests in the Xen
# tree, built from our patched tree), run in dom0 as Xen's CI runs them: a
# regression check of xen-hooks by tests their authors wrote.  Each program
# exits 0 when all its cases pass; a case that needs what this test bed lacks
# prints "Skip" and is reported as skipped.
#   test-xenstore    xenstored's protocol and permissions
#   test-resource    XENMEM_acquire_resource on new PV domains (HVM parts skip:
#                    QEMU TCG gives Xen no hardware virtualisation)
#   test-cpu-policy  CPUID/MSR policy serialisation (pure library test)
#   test-paging-mempool  HVM/HAP only: skips here
#   testidl          libxl's IDL test: every libxl type, filled at random,
#                    to JSON and back gives the same JSON (it aborts if not)
# Not run: test-tsx, whose checks are of the CPU: under QEMU TCG it finds
# "Host reports no RTM, but appears available" (TCG's XBEGIN aborts although
# CPUID offers no RTM) and "HVM available, but neither HAP nor Shadow";
# depriv-fd-checker (a helper for QEMU's deprivileging, no test by
# itself), vpci and x86_emulator (host-side unit tests of emulation code,
# not of a live hypervisor).
# timeout: 120
# group: guests
. ../lib.sh

bin=$(dirname "$(command -v test-xenstore 2>/dev/null || find / -name test-xenstore -type f 2>/dev/null | head -n1)")
# testidl prints each type's JSON before its round trip: the types done
"$bin/testidl" >/tmp/testidl.out 2>&1
rc=$?
types=$(grep -c '^libxl_[a-z0-9_]*: ' /tmp/testidl.out)
check_eq "testidl: every libxl type's JSON round trip (rc)" 0 "$rc"
check "testidl: the round trips ran (libxl_dominfo, libxl_domain_build_info, ...: $types types)" \
	sh -c 'grep -q "^libxl_dominfo: " /tmp/testidl.out && grep -q "^libxl_domain_build_info: " /tmp/testidl.out'
[ $rc -eq 0 ] || tail -n 5 /tmp/testidl.out
rm -f /tmp/testidl.out

for t in test-xenstore test-resource test-cpu-policy test-paging-mempool; do
	if [ ! -x "$bin/$t" ]; then
		fail "$t is installed" "not found"
		continue
	fi
	out=$("$bin/$t" 2>&1)
	rc=$?
	echo "---- $t (rc $rc)"
	echo "$out" | tail -n 40
	nskip=$(echo "$out" | grep -c 'Skip')
	if [ $rc -ne 0 ]; then
		fail "$t passes" "rc $rc: $(echo "$out" | grep -iE 'fail|error' | head -n 2 | tr '\n' ' ')"
	elif [ "$nskip" -gt 0 ] && [ "$t" = test-paging-mempool ]; then
		skip "$t" "$(echo "$out" | grep -m1 Skip | sed 's/^ *//')"
	elif [ "$nskip" -gt 0 ]; then
		pass "$t passes (its $nskip HVM part(s) skipped: no HVM under TCG)"
	else
		pass "$t passes"
	fi
done

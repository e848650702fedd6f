# The batched exchange of machine frames and xen-swiotlb's pools of
# contiguous extents built on it (linux-patches: x86/xen), tested by their
# KUnit suites against the real hypervisor in the PV dom0.
# timeout: 300
# dom0-args: xtest.nodisplay
. ../lib.sh

check "modprobe exchange_test" modprobe exchange_test
for suite in xen_exchange xen_contig_pool; do
	check "KUnit suite $suite registered" test -d /sys/kernel/debug/kunit/$suite
	ktap $suite
done

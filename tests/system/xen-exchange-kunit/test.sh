# The batched exchange of machine frames and xen-swiotlb's pools of
# contiguous extents built on it (linux-patches: x86/xen), tested by their
# KUnit suites against the real hypervisor in the PV dom0.  dom0 gets a
# DMA32 quota 4 MiB above its use while they run, for the pools' quota case.
# timeout: 300
# dom0-args: xtest.nodisplay
. ../lib.sh

used=$(dma32_kb Domain-0 used)
check "dom0 gets a DMA32 quota 4 MiB above its use ($used kB)" xl dma32-quota-set -f 0 $((used + 4096))k
check "modprobe exchange_test" modprobe exchange_test
for suite in xen_exchange xen_contig_pool; do
	check "KUnit suite $suite registered" test -d /sys/kernel/debug/kunit/$suite
	ktap $suite
done
check "dom0's quota removed again" xl dma32-quota-set 0 0
used_after=$(dma32_kb Domain-0 used)
check "dom0 holds no more below 4 GiB than before ($used_after kB, was $used kB)" test "$used_after" -le "$used"

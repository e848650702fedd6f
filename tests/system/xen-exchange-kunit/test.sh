# The batched exchange of machine frames and xen-swiotlb's pools of
# contiguous extents built on it (linux-patches: x86/xen), tested by their
# KUnit suites against the real hypervisor in the PV dom0.  dom0 gets a
# DMA32 quota 4 MiB above its use for the pools' suite (its quota case);
# then the pools are filled through dma_alloc_coherent() (xen_coherent_fill)
# and the quota lowered: the pools give their frames back; filled again
# with no quota, idle pools give their frames back by themselves.
# timeout: 120
# group: kunit
# dom0-args: xtest.nodisplay
. ../lib.sh

# One suite per load of the test module (kunit.filter_glob, written without
# a newline): the exchange suite and the pools' free-loop suite without a
# quota on dom0 (the partial exchange uses up the memory below a low limit,
# the free loop 64 MiB below 4 GiB), the pools' suite with one.
G=/sys/module/kunit/parameters/filter_glob
check "KUnit takes a suite filter" sh -c "printf %s xen_exchange >$G"
check "modprobe exchange_test (xen_exchange)" modprobe exchange_test
check "KUnit suite xen_exchange registered" test -d /sys/kernel/debug/kunit/xen_exchange
ktap xen_exchange
check "rmmod exchange_test" rmmod exchange_test
# 64 MiB of pooled pages freed in one loop, refills ahead of demand: no
# quota either
printf %s xen_contig_pool_noquota >$G
check "modprobe exchange_test (xen_contig_pool_noquota)" modprobe exchange_test
ktap xen_contig_pool_noquota
check "rmmod exchange_test" rmmod exchange_test

used=$(dma32_kb Domain-0 used)
check "dom0 gets a DMA32 quota 4 MiB above its use ($used kB)" xl dma32-quota-set -f 0 $((used + 4096))k
printf %s xen_contig_pool >$G
check "modprobe exchange_test (xen_contig_pool)" modprobe exchange_test
check "KUnit suite xen_contig_pool registered" test -d /sys/kernel/debug/kunit/xen_contig_pool
ktap xen_contig_pool
printf %s '*' >$G

# A lowered quota takes pooled frames back: the toolstack's xenstore key is
# watched beside the balloon driver.  4 MiB of 32-bit coherent buffers,
# freed again, stay in xen-swiotlb's pools.
P=/sys/kernel/debug/xen_contig_pool/pages
F=/sys/kernel/debug/xen_coherent_fill
check "modprobe xen_coherent_fill" modprobe xen_coherent_fill
check "128 coherent buffers of 32 KiB for a 32-bit device, freed again" sh -c "echo 'fill 128 3' >$F/run"
echo "fill: $(cat $F/status), pooled $(cat $P) pages, dom0 below 4 GiB: $(dma32_kb Domain-0 used) kB"
check "the pools keep their frames (at least 3 MiB)" test "$(cat $P)" -ge 768
check "dom0 within its quota" test "$(dma32_kb Domain-0 used)" -le $((used + 4096))
check "xl dma32-quota-set lowers dom0's quota to 1 MiB above its old use" xl dma32-quota-set 0 $((used + 1024))k
check "dom0 comes down to the lowered quota" wait_for 30 sh -c "[ \$(xl list -l 0 | sed -n 's/.*\"used_kb\": \([0-9]*\).*/\1/p') -le $((used + 1024)) ]"
check "the pools gave frames back (at most 1 MiB left)" test "$(cat $P)" -le 256
check "xl dma32-quota-set lowers it to the old use" xl dma32-quota-set 0 ${used}k
check "the pools give back the rest" wait_for 30 sh -c "[ \$(cat $P) = 0 ]"
check "dom0's quota removed again" xl dma32-quota-set -f 0 0
# Without a quota, pools that nobody takes from give their frames back
check "64 coherent buffers of 32 KiB again, freed" sh -c "echo 'fill 64 3' >$F/run"
check "the pools keep them a while ($(cat $P) pages)" test "$(cat $P)" -ge 256
check "then, idle, give them back (within 30 s)" wait_for 30 sh -c "[ \$(cat $P) = 0 ]"
rmmod xen_coherent_fill
used_after=$(dma32_kb Domain-0 used)
check "dom0 holds no more below 4 GiB than before ($used_after kB, was $used kB)" test "$used_after" -le "$used"

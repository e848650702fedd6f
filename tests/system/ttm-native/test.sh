# The same kernel and initramfs booted without Xen behave as mainline: no
# Xen code runs (xen-ttm-dma32 refuses to load, no pools of xen-swiotlb),
# Linux's TTM KUnit suites pass (0006's platform-limit case included), and a
# 32-bit TTM device's buffers (tests/modules/ttm_workload, dma-direct) come
# from below 4 GiB with TTM's own limit only: the workload the quota
# scenarios run completes with nothing evicted.
# timeout: 120
# native: 1
# dom0-args: xtest.nodisplay
# qemu: -smp 1
. ../lib.sh

check "no hypervisor" sh -c '[ "$(cat /sys/hypervisor/type 2>/dev/null)" != xen ]'
check "xen-ttm-dma32 refuses to load outside Xen" sh -c '! modprobe xen-ttm-dma32 2>/dev/null'
check "no xen-swiotlb pools" test ! -e /sys/kernel/debug/xen_contig_pool
check "no Xen limit on TTM" test ! -e /sys/kernel/debug/xen_ttm_dma32

for m in ttm_device_test ttm_pool_test ttm_resource_test ttm_tt_test ttm_bo_test ttm_bo_validate_test; do
	check "modprobe $m" modprobe "$m"
done
for s in $(ls /sys/kernel/debug/kunit/); do
	ktap "$s"
done
for m in ttm_bo_validate_test ttm_bo_test ttm_tt_test ttm_resource_test ttm_pool_test ttm_device_test; do
	rmmod "$m"
done

W=/sys/kernel/debug/ttm_workload
check "a 32-bit TTM device (dma-direct)" modprobe ttm_workload
check "24 buffers of 1 MiB" sh -c "echo 'create 24 1024' >$W/run"
r=0
while [ $r -lt 3 ]; do
	b=0
	while [ $b -lt 24 ]; do echo "use $b" >$W/run; b=$((b + 1)); done
	r=$((r + 1))
done
res=$(cat $W/result)
echo "workload: $res"
echo destroy >$W/run
check_eq "every buffer populated, none failed" "72 0" "$(field populated "$res") $(field failed "$res")"
check_eq "every page below 4 GiB, its DMA address its own" "0 0" "$(field above "$res") $(field dma_other "$res")"
check_eq "nothing evicted: only TTM's own limit applies" 0 "$(field swapped_in "$res")"
check "the TTM device goes" rmmod ttm_workload

# A PV guest with dma32_quota runs a DMA32 TTM buffer workload
# (tests/modules/ttm_workload: buffers of a 32-bit device from xen-swiotlb's
# coherent allocations, the guest booted with iommu=soft as it has no PCI
# device; write-back, as Xen allows no other caching to a PV guest without
# devices) that needs more than its quota: it completes with no failed
# allocation and no buffer lost, TTM swaps buffers out to stay within the
# DMA32 limit xen-ttm-dma32 derives from the quota, and the guest's use below
# 4 GiB, sampled from dom0 with xl list -l while it runs, never exceeds the
# quota.  Then the quota changes while a
# workload runs: lowered, the guest's use comes down to it; raised, the
# workload goes on; nothing fails.  Destroying the guest returns every frame.
# timeout: 870
# group: guests
. ../lib.sh

quota_mib=16
quota_kb=$((quota_mib * 1024))
free_before=$(xl_info_field free_memory)
low_free_before=$(xl_info_field dma32_free_memory)

# A 1 MiB bounce buffer: the guest's other frames below 4 GiB stay small
GUEST_EXTRA="iommu=soft swiotlb=512" guest_cfg w1 256 "dma32_quota = $quota_mib"
check "xl create with dma32_quota=$quota_mib" xl_create /tmp/w1.cfg
dom=$(xl domid w1)
check_eq "the guest reads its quota" "$quota_kb" "$(agent $dom quota)"

# limit: TTM's DMA32 limit in the guest, in KiB
limit() { echo $(($(field limit_pages "$(agent $dom ttm-dma32)") * 4)); }
limit0=$(limit)
check "TTM's DMA32 limit follows the quota: ${limit0} kB, within $quota_kb kB and above half of it" \
	test "$limit0" -le "$quota_kb" -a "$limit0" -gt $((quota_kb / 2))

# 24 buffers of 1 MiB, 50 rounds: 24 MiB of buffers for a 16 MiB quota
check_eq "xen-swiotlb's bounce high-water mark reset" reset "$(agent $dom bounce-reset)"
check_eq "workload started" started "$(agent $dom workload 24 1024 50 wb=1)"
set -- $(peak_use_while_running w1 $dom 300)
peak=$1 samples=$2
r=$(agent $dom workload-result)
echo "workload: $r; peak use ${peak} kB in $samples samples"
check "use sampled from dom0 while the workload ran ($samples samples)" test "$samples" -ge 3
check_eq "every buffer populated, none failed (24 x 50)" "1200 0" "$(field populated "$r") $(field failed "$r")"
check_eq "no buffer lost its contents across swap-out and swap-in" 0 "$(field corrupt "$r")"
check_eq "every page below the device's 32-bit limit" 0 "$(field above "$r")"
check_eq "every DMA address is the page's own machine address" 0 "$(field dma_other "$r")"
check_eq "no xen-swiotlb bounce slot was used" 0 "$(field bounce_hiwater "$(agent $dom ttm-dma32)")"
check "swapped-out buffers were swapped in again" test "$(field swapped_in "$r")" -gt 0
check "peak use sampled from dom0 (${peak} kB) within the quota, and above half of it" \
	test "$peak" -le "$quota_kb" -a "$peak" -gt $((quota_kb / 2))
check "use after the run within the quota" test "$(dma32_kb w1 used)" -le "$quota_kb"
audit_dma32 "$dom" "after the workload"
peak1=$peak evicted1=$(field swapped_in "$r") failed1=$(field failed "$r")

# The quota changes under a running workload.
check_eq "second workload started" started "$(agent $dom workload 24 1024 200)"
wait_for 60 sh -c "[ \$(xl list -l w1 | sed -n 's/.*\"used_kb\": \([0-9]*\).*/\1/p') -gt 8192 ]"
before=$(dma32_kb w1 used)
check "the workload holds more than 8 MiB (${before} kB) before the quota is lowered" test "$before" -gt 8192
check "xl dma32-quota-set w1 8 while it runs" xl dma32-quota-set w1 8
limit_within() { [ "$(limit)" -le "$1" ]; }
wait_for 30 limit_within 8192
check "lowered: TTM's DMA32 limit follows ($(limit) kB)" test "$(limit)" -le 8192
wait_for 60 sh -c "[ \$(xl list -l w1 | sed -n 's/.*\"used_kb\": \([0-9]*\).*/\1/p') -le 8192 ]"
check "lowered: the guest's use comes down to 8 MiB" test "$(dma32_kb w1 used)" -le 8192
check_eq "the workload still runs after the lowering" running "$(agent $dom workload-result)"
check "xl dma32-quota-set w1 24 while it runs" xl dma32-quota-set w1 24
set -- $(peak_use_while_running w1 $dom 300)
peak=$1 samples=$2
r=$(agent $dom workload-result)
echo "workload under changing quota: $r; peak use after raising ${peak} kB in $samples samples"
check_eq "every buffer populated, none failed (24 x 200)" "4800 0" "$(field populated "$r") $(field failed "$r")"
check_eq "no buffer lost its contents" 0 "$(field corrupt "$r")"
check "raised: the guest uses more than the old 8 MiB, within 24 MiB (${peak} kB)" \
	test "$peak" -gt 8192 -a "$peak" -le 24576
evicted2=$(field swapped_in "$r")
failed2=$(field failed "$r")
audit_dma32 "$dom" "after the quota changes"

check_guest_kernel w1
check "xl destroy w1" xl_destroy w1
wait_info_back free_memory "$free_before" 30
check_eq "free memory back to its start value (MiB)" "$free_before" "$(xl_info_field free_memory)"
low_free_after=$(xl_info_field dma32_free_memory)
check_eq "free memory below 4 GiB back to its start value (MiB)" "$low_free_before" "$low_free_after"
report "guest-ttm-quota (24 MiB of buffers)" $quota_kb $peak1 $evicted1 $failed1 $low_free_before $low_free_after
report "guest-ttm-quota (quota 16 -> 8 -> 24 MiB at run time; peak after raising)" 24576 $peak $evicted2 $failed2 \
	$low_free_before $low_free_after

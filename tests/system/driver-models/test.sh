# The GPU drivers people have, as each sets up TTM (tests/modules/ttm_workload
# model=: the DMA mask and the ttm_device_init() arguments computed as
# radeon, amdgpu, nouveau and the VRAM helpers compute them), in a PV guest
# with dma32_quota = 16 on a host whose memory ends above 4 GiB:
# - a device limited to 32 bits (radeon, nouveau) gets use_dma32 and, with
#   24 MiB of buffers for a 16 MiB quota, TTM swaps buffers out: no populate
#   fails, every page lies below 4 GiB;
# - a 40- or 44-bit device (radeon, amdgpu, nouveau) covers the host's
#   memory, gets no use_dma32 and is not held to the quota;
# - amdgpu's single-page buffers cost no hypercall, as in mainline (Xen's
#   own count of memory_op while the workload runs);
# - the VRAM helpers' buffers (pages from the page allocator, not from Xen)
#   are not held to the quota.
# One line per model goes to the DMA32 report (docs/ttm-xen-page-source.md).
# timeout: 300
# group: guests
. ../lib.sh

quota_mib=16
quota_kb=$((quota_mib * 1024))
low_free_before=$(xl_info_field dma32_free_memory)
GUEST_EXTRA="iommu=soft swiotlb=512" guest_cfg dm 256 "dma32_quota = $quota_mib"
check "xl create with dma32_quota=$quota_mib" xl_create /tmp/dm.cfg
dom=$(xl domid dm)
check_eq "the guest reads its quota" "$quota_kb" "$(agent $dom quota)"
# What the models' expectations stand on: memory above 4 GiB, below 1 TiB
total=$(xl_info_field total_memory)
low=$(xl_info_field dma32_total_memory)
check "the host has memory above 4 GiB ($((total - low)) of ${total} MiB), below 1 TiB" \
	test "$total" -gt "$low" -a "$total" -lt 1048576

# Xen's counters as the benchmarks read them (tests/bench/lib.sh)
. ../../bench/lib.sh
# Xen's count of memory_op hypercalls (every domain's; only dm works now)
memory_ops() { counters | cut -d' ' -f1; }

# run <model> <dma_bits> <buffers> <KiB> <rounds>: the workload of one
# model, from a fresh module (KEEP=1: the module already loaded); sets r
# (its result), ops (memory_op calls while it ran) and peak (the guest's
# largest use below 4 GiB, kB)
run() {
	[ -n "${KEEP:-}" ] || agent $dom unload-workload >/dev/null
	a=$(agent $dom workload-go "$3" "$4" "$5" wb=1 model=$1 dma_bits=$2)
	check_eq "$1 ($2-bit): workload loaded" started "$a"
	xenperf -r >/dev/null
	xenstore-write /local/domain/$dom/data/agent/go 1
	set -- $(peak_use_while_running dm $dom 200)
	peak=$1
	ops=$(memory_ops)
	r=$(agent $dom workload-result)
	echo "model: $r; memory_op $ops; peak use ${peak} kB"
}

# model_line <model> <bits> <MiB populated>: the report's line for a model
model_line() {
	report_text "driver model $1 ($2-bit): use_dma_alloc=$(field use_dma_alloc "$r") use_dma32=$(field use_dma32 "$r"), $ops memory_op by Xen's count for $3 MiB populated, $(field swapped_in "$r") buffers swapped in after eviction, $(field failed_nomem "$r") -ENOMEM, peak use below 4 GiB $peak of $quota_kb kB"
}

# Limited to 32 bits: held to the quota, evicting instead of failing
for m in radeon nouveau; do
	run $m 32 24 1024 3
	check_eq "$m (32-bit): use_dma_alloc and use_dma32, as the driver computes them" "1 1" \
		"$(field use_dma_alloc "$r") $(field use_dma32 "$r")"
	check_eq "$m (32-bit): every populate succeeded (24 x 3), none with -ENOMEM" "72 0 0" \
		"$(field populated "$r") $(field failed "$r") $(field failed_nomem "$r")"
	check "$m (32-bit): TTM swapped buffers out to stay within the quota" test "$(field swapped_in "$r")" -gt 0
	check_eq "$m (32-bit): every page below 4 GiB, none lost its contents" "0 0" \
		"$(field above "$r") $(field corrupt "$r")"
	check "$m (32-bit): peak use ${peak} kB within the quota" test "$peak" -le "$quota_kb"
	model_line $m 32 72
done

# Wider masks cover the host's memory: not DMA32, not held to the quota
for m in radeon:40 nouveau:40 amdgpu:44; do
	run ${m%:*} ${m#*:} 24 1024 2
	check_eq "${m%:*} (${m#*:}-bit): use_dma_alloc without use_dma32" "1 0" \
		"$(field use_dma_alloc "$r") $(field use_dma32 "$r")"
	check_eq "${m%:*} (${m#*:}-bit): every populate succeeded, no eviction" "48 0 0" \
		"$(field populated "$r") $(field failed "$r") $(field swapped_in "$r")"
	check_eq "${m%:*} (${m#*:}-bit): every page within its mask, none lost its contents" "0 0" \
		"$(field above "$r") $(field corrupt "$r")"
	check "${m%:*} (${m#*:}-bit): peak use ${peak} kB within the quota" test "$peak" -le "$quota_kb"
	model_line ${m%:*} ${m#*:} 48
done

# amdgpu's single pages: 0 hypercalls, as mainline spends on them.  First
# the extents the last model left in xen-swiotlb's pools go back to Xen (5 s
# after their last use), so that their exchange is not counted here.
pools_empty() { [ "$(field pooled_pages "$(agent $dom ttm-dma32)")" = 0 ]; }
agent $dom unload-workload >/dev/null
check "xen-swiotlb's pools empty before the single pages" wait_for 60 pools_empty
run amdgpu 44 1024 4 1
check_eq "amdgpu (44-bit), 1024 single-page buffers: all populated" "1024 0" \
	"$(field populated "$r") $(field failed "$r")"
check_eq "amdgpu (44-bit), single pages: no memory_op by Xen's count (mainline's path: 0)" 0 "$ops"
model_line amdgpu 44 4

# TTM's own pools: a 32-bit radeon fills its quota with 1 MiB buffers and
# frees them; buffers of another order must still get their pages (TTM
# keeps none of these pages while the quota limits them: xen-swiotlb's
# pools, which the quota sees, hand them to any order)
agent $dom unload-workload >/dev/null
h=$(agent $dom hold 15 1024 wb=1 model=radeon dma_bits=32)
check_eq "radeon (32-bit): 15 MiB of 1 MiB buffers populated" "15 0" "$(field populated "$h") $(field failed "$h")"
check_eq "radeon (32-bit): the 1 MiB buffers freed" dropped "$(agent $dom drop)"
KEEP=1
run radeon 32 1024 4 1
KEEP=
check_eq "radeon (32-bit): then 1024 single-page buffers, none failed (-ENOMEM: TTM's pools held the quota)" \
	"1024 0 0" "$(field populated "$r") $(field failed "$r") $(field failed_nomem "$r")"

# The VRAM helpers: pages from the page allocator, not held to the quota
run vram 32 24 1024 2
check_eq "vram helpers: use_dma32 without use_dma_alloc, as drm_gem_vram_helper.c" "0 1" \
	"$(field use_dma_alloc "$r") $(field use_dma32 "$r")"
check_eq "vram helpers: 24 MiB of buffers for a 16 MiB quota, no eviction, none failed" "48 0 0" \
	"$(field populated "$r") $(field failed "$r") $(field swapped_in "$r")"
check_eq "vram helpers: no buffer lost its contents" 0 "$(field corrupt "$r")"
model_line vram 32 48

check "use after the models within the quota" test "$(dma32_kb dm used)" -le "$quota_kb"
audit_dma32 "$dom" "after the driver models"
agent $dom unload-workload >/dev/null
check_guest_kernel dm
check "xl destroy dm" xl_destroy dm
wait_info_back dma32_free_memory "$low_free_before" 30
check_eq "free memory below 4 GiB back to its start value (MiB)" "$low_free_before" "$(xl_info_field dma32_free_memory)"

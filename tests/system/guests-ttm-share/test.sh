# Two PV guests whose DMA32 quotas take nearly all of the host's free memory
# below 4 GiB run DMA32 TTM buffer workloads (tests/modules/ttm_workload,
# xen-swiotlb's coherent pages) at once, each needing more than its quota: both complete with no failure
# and no buffer lost, and neither's use, sampled from dom0 with xl list -l
# while they run, exceeds its quota.  A third guest whose quota cannot be
# met is refused by xl create.  A guest destroyed in the middle of a
# workload gives back every frame: free memory below 4 GiB returns to its
# start value.  Less memory below 4 GiB (512 MiB) keeps the workloads short.
# timeout: 320
# machine: pc,max-ram-below-4g=512M
. ../lib.sh

free_before=$(xl_info_field free_memory)
low_free=$(xl_info_field dma32_free_memory)
quota=$(((low_free - 16) / 2))
buffers=$((quota + 32))
echo "free below 4 GiB: $low_free MiB; quota per guest: $quota MiB; buffers: $buffers x 1 MiB"

for g in s1 s2; do
	# xen-swiotlb (iommu=soft: no PCI device) with a 1 MiB bounce buffer
	GUEST_EXTRA="iommu=soft swiotlb=512" guest_cfg $g $((buffers + 160)) "dma32_quota = $quota"
	check "xl create $g with dma32_quota=$quota" xl_create /tmp/$g.cfg
done
# A third quota that cannot be met whatever else frees memory below 4 GiB
# meanwhile (dom0's pools, a domain still being torn down): free below 4 GiB
# never exceeds the host's total minus what s1 and s2 hold, and their
# quotas promise them the rest of their quotas, so one MiB more than
# total - 2 x quota cannot be admitted.  It is still below the host's total,
# so it is refused for the memory it would take from others' promises.
low_total=$(xl_info_field dma32_total_memory)
quota3=$((low_total - 2 * quota + 1))
guest_cfg s3 64 "dma32_quota = $quota3"
out=$(xl create /tmp/s3.cfg 2>&1)
rc=$?
echo "$out" | tail -n 2
check "a third guest whose quota ($quota3 MiB) cannot be met is refused" test $rc -ne 0
check "with a message naming the quota and what is free" contains "$out" "dma32_quota=$((quota3 * 1024))kB cannot be met"
check "the refused guest does not exist" sh -c "! xl list s3"

d1=$(xl domid s1)
d2=$(xl domid s2)
for d in $d1 $d2; do
	check_eq "workload started in domain $d" started "$(agent $d workload $buffers 1024 3 wb=1)"
done

# running: does either workload still run?
running() {
	[ "$(agent $d1 workload-result)" = running ] || [ "$(agent $d2 workload-result)" = running ]
}

# Sample both guests' use while either workload runs (at most 600 s); ask
# the guests whether they are done only every fourth sample
peak1=0 peak2=0 samples=0 n=0
end=$(($(cut -d. -f1 /proc/uptime) + 600))
while [ $((n % 4)) != 0 ] || running; do
	n=$((n + 1))
	[ "$(cut -d. -f1 /proc/uptime)" -lt $end ] || break
	u1=$(dma32_kb s1 used)
	u2=$(dma32_kb s2 used)
	[ -n "$u1" ] && [ -n "$u2" ] || continue
	samples=$((samples + 1))
	[ "$u1" -gt $peak1 ] && peak1=$u1
	[ "$u2" -gt $peak2 ] && peak2=$u2
done
quota_kb=$((quota * 1024))
echo "peak use: s1 $peak1 kB, s2 $peak2 kB (quota $quota_kb kB each), $samples samples"
check "use sampled from dom0 while the workloads ran ($samples samples)" test $samples -ge 3
check "s1 never exceeded its quota (peak $peak1 kB)" test $peak1 -le $quota_kb
check "s2 never exceeded its quota (peak $peak2 kB)" test $peak2 -le $quota_kb
evictions_failures=
for d in $d1 $d2; do
	r=$(agent $d workload-result)
	echo "domain $d: $r"
	check_eq "domain $d: every buffer populated, none failed" "$((buffers * 3)) 0" "$(field populated "$r") $(field failed "$r")"
	check_eq "domain $d: no buffer lost its contents" 0 "$(field corrupt "$r")"
	check_eq "domain $d: every page below 4 GiB" 0 "$(field above "$r")"
	# A buffer is swapped in only after TTM swapped it out to make room
	check "domain $d: TTM swapped buffers out to stay within its quota ($(field swapped_in "$r") swapped in again)" \
		test "$(field swapped_in "$r")" -gt 0
	audit_dma32 "$d" "of domain $d after its workload"
	evictions_failures="$evictions_failures $(field swapped_in "$r"):$(field failed "$r")"
done

check_guest_kernel s1
check_guest_kernel s2

# Destroy s2 in the middle of a workload.
check_eq "a long workload started in s2" started "$(agent $d2 workload $buffers 1024 50 wb=1)"
wait_for 120 sh -c "[ \$(xl list -l s2 | sed -n 's/.*\"used_kb\": \([0-9]*\).*/\1/p') -gt $((quota_kb / 2)) ]"
check_eq "s2's workload runs when it is destroyed" running "$(agent $d2 workload-result)"
check "xl destroy s2 mid-workload" xl_destroy s2
check "xl destroy s1" xl_destroy s1
wait_info_back dma32_free_memory "$low_free" 60
low_free_after=$(xl_info_field dma32_free_memory)
check_eq "free memory below 4 GiB back to its start value (MiB)" "$low_free" "$low_free_after"
set -- $evictions_failures
report "guests-ttm-share s1" $quota_kb $peak1 "${1%:*}" "${1#*:}" $low_free $low_free_after
report "guests-ttm-share s2" $quota_kb $peak2 "${2%:*}" "${2#*:}" $low_free $low_free_after
wait_info_back free_memory "$free_before" 30
check_eq "free memory back to its start value (MiB)" "$free_before" "$(xl_info_field free_memory)"

# Save/restore and migration while exchanges are in flight (issue #29,
# item 3).  A PV guest with two vCPUs, preempt=full and dma32_quota = 16
# never stops allocating and freeing coherent regions for a 32-bit device
# through xen-swiotlb (tests/modules/xen_save_churn: kernel threads the
# suspend does not freeze, as it does not freeze the pools' refill and trim
# workers), holds TTM buffers of a 32-bit radeon and a streaming mapping
# that xen-swiotlb bounces, while dom0 saves and restores it and migrates
# it to this host, in turn, $CYCLES times.  After each cycle, in the guest:
# the live regions, the held buffers and the bounced mapping keep their
# contents; every pooled extent and every new region is machine-contiguous
# below 4 GiB; no machine frame backs two pseudo-physical frames (the whole
# p2m, read inside stop_machine()).  The guest's kernel logs no WARNING
# (a remap that failed, a frame that was not the domain's) and its use
# stays within the quota.  No edu device here: xl refuses to save a
# domain with a passed-through device.
#
# Only make test-release runs it (50 cycles take 12 to 16 minutes, more
# than make test's budget has left).  It found two things.  A coherent
# region whose DMA address was read after a migration had moved its pooled
# extent above 4 GiB (the threads are not frozen): fixed in linux-patches
# 0011; since then 15 of 15 and 50 of 50 cycles clean (2026-12-07).  And live regions
# or pooled extents backed by their original frames within seconds of the
# start, before any save: in 8 of 9 boots while item 3 was being worked on
# and on the series from before it; not on the series since (2 short
# boots, then 50 and 15 cycles with every check 0): cause not identified.
# docs/ttm-xen-page-source.md, item 3.
# timeout: 1500
# group: guests
# release: 1
. ../lib.sh

CYCLES=50
quota_kb=16384

printf '#!/bin/sh\n# the "ssh" of a local migration: run the receiver here\nshift\nexec "$@"\n' >/tmp/local-transport
chmod +x /tmp/local-transport

GUEST_VCPUS=2 GUEST_EXTRA="iommu=soft swiotlb=512 preempt=full" \
	guest_cfg st 192 "dma32_quota = 16"
check "xl create st (2 vCPUs, preempt=full, dma32_quota=16)" xl_create /tmp/st.cfg
dom=$(xl domid st)
r=$(agent $dom preempt)
check "st's kernel is fully preemptible (preempt=full): $r" sh -c "echo '$r' | grep -q 'Dynamic Preempt: full'"
r=$(agent $dom hold 4 1024 wb=1)
check_eq "4 TTM buffers of 1 MiB held, below the 32-bit limit (populated failed above)" \
	"4 0 0" "$(field populated "$r") $(field failed "$r") $(field above "$r")"
r=$(agent $dom churn start 2)
echo "churn: $r"
check_eq "two threads allocate and free coherent regions without a pause" 2 "$(field threads "$r")"
check_eq "the streaming mapping of a page above 4 GiB is bounced" bounced "$(field stream "$r")"

# cycle <n>: save and restore (odd) or migrate (even); the checks after it
cycle() {
	t0=$(date +%s)
	if [ $(($1 % 2)) = 1 ]; then
		how="save/restore"
		out=$(xl save st /tmp/st.save 2>&1 && xl restore /tmp/st.save 2>&1)
		rc=$?
		rm -f /tmp/st.save
	else
		how="migrate"
		out=$(xl migrate -s /tmp/local-transport st localhost 2>&1)
		rc=$?
	fi
	if [ $rc != 0 ] || ! dom=$(xl domid st); then
		echo "$out" | tail -n 20
		fail "cycle $1 ($how)" "xl failed with $rc"
		return 1
	fi
	t1=$(date +%s)
	r=$(agent $dom churn check)
	echo "cycle $1 ($how, $((t1 - t0)) s, checked in $(($(date +%s) - t1)) s): $r"
	check_eq "cycle $1 ($how): coherent regions, pooled and new extents, the bounced mapping, the p2m (corrupt live_corrupt pool_invalid fresh_bad stream_corrupt p2m_dup)" \
		"0 0 0 0 0 0" "$(field corrupt "$r") $(field live_corrupt "$r") $(field pool_invalid "$r") $(field fresh_bad "$r") $(field stream_corrupt "$r") $(field p2m_dup "$r")"
	h=$(agent $dom held)
	check_eq "cycle $1 ($how): held TTM buffers used again with their contents (failed corrupt)" \
		"0 0" "$(field failed "$h") $(field corrupt "$h")"
}

start=$(date +%s)
i=1
while [ $i -le $CYCLES ]; do
	cycle $i || break
	i=$((i + 1))
done
report_text "$((i - 1)) of $CYCLES cycles in $(($(date +%s) - start)) s; last: $r"
check "the threads allocated across every cycle, some regions each cycle" \
	test "$(field allocs "$r")" -gt "$((CYCLES * 10))"
check_quota_held st "$quota_kb" "after the cycles"
check_eq "churn stopped" 0 "$(field threads "$(agent $dom churn stop)")"
check_guest_kernel st
check "xl destroy st" xl_destroy st

# A hostile PV guest with 2 vCPUs and a DMA32 quota tries every way to hold
# more frames below 4 GiB than its quota (tests/modules/xen_dma32_attack):
# unrestricted requests until memory above 4 GiB is used up, then exchange
# and populate/increase_reservation racing on both vCPUs with address_bits
# 0, 31, 32 and 33 and 4 KiB and 2 MiB extents.  dom0 samples the
# hypervisor's count throughout (test-dma32-quota watch): it never exceeds
# the quota and agrees with the audit taken meanwhile; the audit holds after
# each phase; the guest can still take its
# whole quota; everything comes back when it is destroyed.
#
# Two rounds in one boot.  Xen keeps one page of its own for good once a
# guest has exhausted its memory, in whichever round first needs it
# (measured: in round 1 in one boot, in round 2 in another, never more), so
# the exact "free memory back" check allows that one page over both rounds;
# memory below 4 GiB must come back to the page.  A leak in the paths under
# attack would lose a page per attempt, of thousands.
# timeout: 700
# group: guests
. ../lib.sh

quota_mib=32
quota_pages=$((quota_mib * 256))
B=/sys/devices/system/xen_memory/xen_memory0

# used_pages: the hypervisor's count for the guest, in frames
used_pages() { echo $(($(dma32_kb hostile used) / 4)); }

# phase <name> <agent command>: run it, check the guest's own account and
# the hypervisor's after it
phase() {
	r=$(agent "$dom" attack "$2")
	echo "$1: $r"
	check_eq "$1: no frame beyond the address width asked for" 0 "$(field bad "$r")"
	used=$(used_pages)
	check "$1: use within the quota ($used of $quota_pages frames)" test "$used" -le $quota_pages
	check "$1: the guest's peak below 4 GiB within the quota ($(field peak_low "$r"))" \
		test "$(field peak_low "$r")" -le $quota_pages
	audit_dma32 "$dom" "after $1"
}

# attack_round <round> <race seconds>: one hostile guest's life
attack_round() {
	GUEST_VCPUS=2 guest_cfg hostile 128 "dma32_quota = $quota_mib"
	check "$1: xl create a 2-vCPU guest with dma32_quota=$quota_mib" xl_create_int3 /tmp/hostile.cfg hostile
	dom=$(xl domid hostile)
	check_eq "$1: the guest has 2 vCPUs" 2 "$(xl vcpu-list hostile | tail -n +2 | wc -l)"
	# The guest may grow to all of the host's memory: only its quota and
	# Xen's free memory stop it.
	check "$1: xl mem-max hostile: all of the host's memory" xl mem-max hostile "$(xl_info_field total_memory)m"
	rm -f /tmp/watch.stop
	test-dma32-quota watch "$dom" /tmp/watch.stop >/tmp/watch.out 2>&1 &
	watcher=$!

	base=$(used_pages)
	phase "$1: exhaust" exhaust
	report_text "$1: unrestricted frames taken above 4 GiB: $(($(field high "$r") / 256)) MiB, below: $(($(field low "$r") / 256)) MiB, free above 4 GiB left: $(($(xl_info_field free_memory) - $(xl_info_field dma32_free_memory))) MiB"
	check "$1: exhaust: the guest took memory above 4 GiB (over 1 GiB)" test "$(field high "$r")" -gt 262144
	check_eq "$1: exhaust: unrestricted requests take frames below 4 GiB only up to the quota" $quota_pages "$(used_pages)"
	check "$1: exhaust: memory above 4 GiB is used up (under 4 MiB free)" \
		test $(($(xl_info_field free_memory) - $(xl_info_field dma32_free_memory))) -lt 4

	phase "$1: race ${2}s" "race $2"
	report_text "$1: race ${2}s: $(field attempts "$r") attempts, $(field granted "$r") granted, guest peak below 4 GiB $(field peak_low "$r") of $quota_pages frames"
	check "$1: race: both threads worked (over 1000 attempts)" test "$(field attempts "$r")" -gt 1000

	phase "$1: release" release
	check_eq "$1: release: use back to what xl built" "$base" "$(used_pages)"
	phase "$1: grab after the race" grab
	check_eq "$1: the guest can still take its whole quota" $quota_pages "$(used_pages)"
	phase "$1: release again" release

	touch /tmp/watch.stop
	wait $watcher
	w=$(cat /tmp/watch.out)
	echo "watch: $w"
	report_text "$1: dom0 sampled the count $(field samples "$w") times: at most $(field max_used "$w") of $quota_pages frames, $(field max_over "$w") over"
	check "$1: dom0 sampled the count throughout (over 100 samples)" test "$(field samples "$w")" -gt 100
	check_eq "$1: dom0 never saw use over the quota (frames)" 0 "$(field max_over "$w")"
	report_text "$1: dom0 audited the count $(field audits "$w") times while the guest ran: $(field audit_mismatches "$w") disagreed"
	check "$1: dom0 audited the count throughout (over 10 audits)" test "$(field audits "$w")" -gt 10
	check_eq "$1: every audit taken while the guest ran matched the counter" 0 "$(field audit_mismatches "$w")"

	check "$1: xl destroy hostile" xl_destroy hostile
	short=$(dom0_balloon_settle)
	report_text "$1: dom0's balloon was $short kB short of its target after the guest had exhausted Xen's memory"
	check_eq "$1: dom0 back at its balloon target (kB short)" 0 $(($(cat $B/target_kb) - $(cat $B/info/current_kb)))
}

# kept: pages Xen's free memory is short of its start value, or "below" if
# memory below 4 GiB is not back to its start value exactly
kept() {
	_now=$(test-dma32-quota free)
	[ "$(field dma32_free_pages "$_now")" = "$(field dma32_free_pages "$free_start")" ] ||
		{ echo below; return; }
	echo $(($(field free_pages "$free_start") - $(field free_pages "$_now")))
}
kept_at_most_one() { case $(kept) in 0 | 1) ;; *) return 1 ;; esac; }

free_start=$(test-dma32-quota free)
attack_round "round 1" 5
wait_for 60 kept_at_most_one
report_text "Xen's free memory after round 1: $(test-dma32-quota free) (at the start: $free_start)"
attack_round "round 2" "${DMA32_RACE_SECONDS:-30}"
wait_for 60 kept_at_most_one
k=$(kept)
report_text "Xen's free memory after round 2: $(test-dma32-quota free) (at the start: $free_start)"
check "after both rounds every page below 4 GiB is back, and Xen kept at most one page of its own ($k)" \
	kept_at_most_one

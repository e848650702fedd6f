# A guest at its DMA32 quota must not hold frames below 4 GiB even for the
# moment between Xen's allocation and its refusal (the Xen v3 issue, hole 1):
# before the fix, XENMEM_exchange took a whole chunk of outputs from the heap
# and only then asked the quota, and populate took an extent and then had
# assign_pages() refuse it.  A hostile 2-vCPU guest at its quota asks, from
# a thread on each vCPU, over and over, for 2 MiB chunks below 4 GiB (an
# exchange of a 2 MiB extent above 4 GiB for 512 4 KiB frames below, and a
# 2 MiB populate below: a PV domU's largest order).  Meanwhile a second
# guest, admitted with its quota, takes its whole quota and gives it back,
# round after round, while a third guest without a quota holds every other
# free frame below 4 GiB but a margin of 64 frames: Xen has no low frame to
# spare for anyone's in-flight chunk.  The second guest is never refused;
# the hostile one gets nothing and its count never passes its quota.
# Measured before the fix, over four runs: the victim refused in 10 rounds of 11 (at
# 576-938 of its 1,024 frames).
# Every domain has a CPU of its own (the test bed's rule, docs/testbed.md):
# dom0 CPU 0, the hostile guest's two vCPUs CPU 1 (the squatters' CPU time
# does not slow the victim's rounds), the victim CPU 2, the filler CPU 3.
# Three guests at once need a boot of their own with 4 CPUs: in the guests
# group's 3-CPU boot the filler shared a CPU, and a process of one of the
# guests died of a general protection fault in 3 of 8 runs (2026-12-07).
# timeout: 300
# cpus: 4
. ../lib.sh

hostile_mib=8
victim_mib=4
margin=64
squat_seconds=45

# used_pages <guest>: the hypervisor's count for it, in frames
used_pages() { echo $(($(dma32_kb "$1" used) / 4)); }
free_low() { field dma32_free_pages "$(test-dma32-quota free)"; }

GUEST_VCPUS=2 GUEST_CPUS=1 guest_cfg hostile 128 "dma32_quota = $hostile_mib"
check "xl create a 2-vCPU guest with dma32_quota=$hostile_mib" xl_create_int3 /tmp/hostile.cfg hostile
hdom=$(xl domid hostile)
guest_cfg victim 64 "dma32_quota = $victim_mib"
check "xl create a guest with dma32_quota=$victim_mib" xl_create /tmp/victim.cfg
vdom=$(xl domid victim)
guest_cfg filler 64
check "xl create a guest without a quota" xl_create /tmp/filler.cfg
fdom=$(xl domid filler)
# only their quotas and Xen's free memory stop the guests growing
for g in hostile victim filler; do
	check "xl mem-max $g: all of the host's memory" xl mem-max $g "$(xl_info_field total_memory)m"
done

check_eq "each guest on a CPU of its own (hostile, victim, filler)" "1 2 3" \
	"$(for g in hostile victim filler; do xl vcpu-list $g | awk 'NR == 2 { print $7 }'; done | tr '\n' ' ' | sed 's/ $//')"

r=$(agent "$hdom" attack grab)
before=$r
check_eq "the hostile guest took its whole quota below 4 GiB (frames)" $((hostile_mib * 256)) "$(used_pages hostile)"

# the filler leaves free below 4 GiB the victim's room and the margin only
victim_room=$((victim_mib * 256 - $(used_pages victim)))
take=$(($(free_low) - victim_room - margin))
r=$(agent "$fdom" attack "take $take")
echo "filler: $r"
left=$(free_low)
report_text "inflight: free below 4 GiB after the filler took $(field low "$r") frames: $left (the victim's room $victim_room + margin $margin)"
check "free below 4 GiB is the victim's room and at most the margin more ($left frames)" \
	test "$left" -ge "$victim_room" -a "$left" -le $((victim_room + margin))

rm -f /tmp/watch.stop
test-dma32-quota watch "$hdom" /tmp/watch.stop >/tmp/watch.out 2>&1 &
watcher=$!
agent "$hdom" attack "squat $squat_seconds" >/tmp/squat.out &
squatter=$!
sleep 3

# rounds of the victim's, each counted only if the squat lasted all of it
rounds=0
refused=0
short=
t0=$(date +%s)
while kill -0 $squatter 2>/dev/null; do
	agent "$vdom" attack grab >/dev/null
	got=$(used_pages victim)
	agent "$vdom" attack release >/dev/null
	kill -0 $squatter 2>/dev/null || break
	rounds=$((rounds + 1))
	echo "round $rounds: the victim held $got frames below 4 GiB ($(($(date +%s) - t0)) s)"
	[ "$got" = $((victim_mib * 256)) ] || { refused=$((refused + 1)) short="$short $got"; }
done
wait $squatter
s=$(cat /tmp/squat.out)
echo "hostile: $s"
touch /tmp/watch.stop
wait $watcher
w=$(cat /tmp/watch.out)
echo "watch: $w"

report_text "inflight: the victim took its whole quota in $((rounds - refused)) of $rounds rounds${short:+ (refused at$short frames)} while the hostile guest asked $(($(field attempts "$s") - $(field attempts "$before"))) times for 2 MiB below 4 GiB"
check "the victim took its quota over and over, the squat going on (at least 2 rounds: $rounds)" test $rounds -ge 2
check_eq "the victim was never refused within its quota (rounds refused)" 0 $refused
asked=$(($(field attempts "$s") - $(field attempts "$before")))
check "the hostile guest kept asking (over 100 times: $asked)" test $asked -gt 100
check_eq "the hostile guest got no chunk below 4 GiB" 0 $(($(field granted "$s") - $(field granted "$before")))
check_eq "the hostile guest holds its quota below 4 GiB, no more (frames)" $((hostile_mib * 256)) "$(used_pages hostile)"
check_eq "dom0 never saw the hostile guest's count over its quota (frames)" 0 "$(field max_over "$w")"
audit_dma32 "$hdom" "(hostile guest) after the squat"
audit_dma32 "$vdom" "(victim) after its rounds"

for g in hostile victim filler; do check "xl destroy $g" xl_destroy $g; done

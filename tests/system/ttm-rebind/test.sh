# TTM devices come and go under a DMA32 quota in the PV dom0: bochs-drm is
# unbound from the display and bound again, and a 32-bit TTM device
# (tests/modules/ttm_workload, xen-swiotlb's coherent pages) is created and
# destroyed, three times, so that TTM's globals are released and created
# again each time.  dom0's quota changes while no TTM device exists.  Each
# cycle's workload needs more than the quota leaves: it completes by
# eviction, within the quota.  Lockdep, list debugging and slab poisoning
# watch the console throughout (a report fails the scenario).
# timeout: 180
. ../lib.sh

W=/sys/kernel/debug/ttm_workload
L=/sys/kernel/debug/xen_ttm_dma32/limit_pages
vga=$(basename "$(readlink /sys/class/drm/card0/device)")
check_eq "bochs-drm drives the display ($vga)" bochs-drm \
	"$(basename "$(readlink /sys/bus/pci/devices/$vga/driver)")"
check "xen-ttm-dma32 is loaded with TTM" test -r $L

used=$(dma32_kb Domain-0 used)
quota_kb=$((used + 16384))
check "dom0 gets a DMA32 quota 16 MiB above its use ($used kB)" xl dma32-quota-set -f 0 ${quota_kb}k
limit_pages() { cat $L; }
check "TTM's DMA32 limit follows: at least 16 MiB, at most the quota ($(($(limit_pages) * 4)) kB)" \
	test "$(limit_pages)" -ge 4096 -a "$(limit_pages)" -le $((quota_kb / 4))

# workload <buffers>: that many 1 MiB buffers of the 32-bit device, each used
# in 3 rounds (swapping others out when TTM must); prints the result
workload() {
	echo "create $1 1024" >$W/run || return
	_r=0
	while [ $_r -lt 3 ]; do
		_b=0
		while [ $_b -lt "$1" ]; do
			echo "use $_b" >$W/run || break
			_b=$((_b + 1))
		done
		_r=$((_r + 1))
	done
	cat $W/result
	echo destroy >$W/run
}

# The most dom0 held below 4 GiB while a command ran, sampled every 0.2 s
peak_while() {
	"$@" >/tmp/rebind.out 2>&1 &
	_pid=$!
	_peak=0
	while kill -0 $_pid 2>/dev/null; do
		_u=$(dma32_kb_once Domain-0 used) && [ "$_u" -gt $_peak ] && _peak=$_u
		sleep 0.2
	done
	wait $_pid
	echo $_peak
}

cycle=1
while [ $cycle -le 3 ]; do
	check "cycle $cycle: unbind bochs-drm" sh -c "echo $vga >/sys/bus/pci/drivers/bochs-drm/unbind"
	check "cycle $cycle: no DRM device left" sh -c '! ls /sys/class/drm/card* >/dev/null 2>&1'
	# No TTM device exists now: the quota changes and the limit follows
	quota_kb=$((used + 8192 + 4096 * cycle))
	check "cycle $cycle: quota set to $quota_kb kB with no TTM device" xl dma32-quota-set -f 0 ${quota_kb}k
	wait_for 10 sh -c "[ \$(cat $L) -le $((quota_kb / 4)) ]"
	check "cycle $cycle: the limit followed ($(($(limit_pages) * 4)) kB)" test "$(limit_pages)" -le $((quota_kb / 4))
	check "cycle $cycle: a 32-bit TTM device" modprobe ttm_workload
	buffers=$(((quota_kb - used) / 1024 + 8))
	peak=$(peak_while workload $buffers)
	r=$(cat /tmp/rebind.out)
	echo "cycle $cycle: $buffers buffers: $r; peak $peak kB, quota $quota_kb kB"
	check_eq "cycle $cycle: every buffer populated, none failed" "$((buffers * 3)) 0" \
		"$(field populated "$r") $(field failed "$r")"
	check_eq "cycle $cycle: no buffer lost its contents" 0 "$(field corrupt "$r")"
	check_eq "cycle $cycle: every page below 4 GiB, reached without bouncing" "0 0" \
		"$(field above "$r") $(field dma_other "$r")"
	check "cycle $cycle: TTM evicted to stay within the quota ($(field swapped_in "$r") swapped in)" \
		test "$(field swapped_in "$r")" -gt 0
	check "cycle $cycle: dom0 never above its quota (peak $peak kB)" test "$peak" -le $quota_kb
	check "cycle $cycle: the TTM device goes" rmmod ttm_workload
	check "cycle $cycle: bind bochs-drm again" sh -c "echo $vga >/sys/bus/pci/drivers/bochs-drm/bind"
	check "cycle $cycle: the display is back" wait_for 20 test -c /dev/dri/card0
	cycle=$((cycle + 1))
done

check "dom0's quota removed" xl dma32-quota-set -f 0 0
wait_for 10 sh -c "[ \$(cat $L) = 18446744073709551615 ]"
check_eq "no quota: TTM's own limit applies again" 18446744073709551615 "$(limit_pages)"

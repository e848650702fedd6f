# The device is the judge (kernel v3, item 2).  QEMU's edu device has a DMA
# engine that masks every address with its dma_mask property, as a device
# with that many address lines would.  ttm_workload (model=edu) has it copy
# every page of TTM buffers (a DMA32 device's, pages from xen-swiotlb) and
# of coherent extents (xen-swiotlb's pools, the second pass from pooled
# ones) into the device and back, the page cleared in between: a page the
# device does not reach at its DMA address comes back wrong.  One edu has a
# 32-bit mask, one a 28-bit mask (old sound and capture cards, AGP-era
# GPUs).  In dom0, then in a PV driver domain (xen-swiotlb with iommu=soft)
# that gets each edu in turn with xl pci-attach.  A page sent through its
# neighbour's address comes back wrong (the check can fail).  xl save and
# xl restore of the driver domain with its device: libxl allows both, the
# restored domain must not crash in its resume (linux-patches 0016), and a
# pass through the device follows if its pcifront reconnects (Linux's
# pcifront has no resume: then the pass is skipped, the reason shown).
# timeout: 320
# machine: q35,kernel-irqchip=split,max-ram-below-4g=1G
# xen-args: iommu=1
# dom0-args: xtest.nodisplay
# qemu: -nic none -device intel-iommu,intremap=on,caching-mode=on -device edu,dma_mask=0xffffffff,addr=03.0 -device edu,dma_mask=0xfffffff,addr=04.0
. ../lib.sh

edu32=0000:00:03.0
edu28=0000:00:04.0
W=/sys/kernel/debug/ttm_workload
buffers=4
kib=16
order=2
extents=4

check "Xen's IOMMU is on" sh -c "xl dmesg | grep -q 'I/O virtualisation enabled'"
# Before dom0's own passes: their extents stay in its pools a while
low_free=$(xl_info_field dma32_free_memory)
check_eq "dom0 has the two edu devices" "0x1234 0x11e8 0x1234 0x11e8" \
	"$(cat /sys/bus/pci/devices/$edu32/vendor /sys/bus/pci/devices/$edu32/device \
		/sys/bus/pci/devices/$edu28/vendor /sys/bus/pci/devices/$edu28/device | tr '\n' ' ' | sed 's/ $//')"

# check_edu <where> <bits> <ttm result> <coherent result> <selftest result>
check_edu() {
	echo "$1, $2-bit edu: TTM: $3"
	echo "$1, $2-bit edu: coherent: $4"
	echo "$1, $2-bit edu: selftest: $5"
	check_eq "$1, $2-bit edu: the device set up as nouveau's rule sets it" "$2 1 1" \
		"$(field dma_bits "$3") $(field use_dma_alloc "$3") $(field use_dma32 "$3")"
	check_eq "$1, $2-bit edu: $buffers TTM buffers populated, every page below the mask" \
		"$buffers 0 0 0" \
		"$(field populated "$3") $(field failed "$3") $(field above "$3") $(field dma_other "$3")"
	check_eq "$1, $2-bit edu: every TTM page copied by the device and back unchanged" \
		"$((buffers * kib / 4)) 0 0" \
		"$(field edu_pages "$3") $(field edu_mismatch "$3") $(field edu_timeout "$3")"
	check_eq "$1, $2-bit edu: $((2 * extents)) coherent extents of order $order, below the mask" \
		"$((2 * extents)) 0 0" "$(field populated "$4") $(field failed "$4") $(field above "$4")"
	check_eq "$1, $2-bit edu: every coherent page copied by the device and back unchanged" \
		"$((2 * extents << order)) 0 0" \
		"$(field edu_pages "$4") $(field edu_mismatch "$4") $(field edu_timeout "$4")"
	check_eq "$1, $2-bit edu: a page sent through its neighbour's address comes back wrong" \
		"1 1 0" "$(field edu_pages "$5") $(field edu_mismatch "$5") $(field edu_timeout "$5")"
	report_text "edu $1 $2-bit: $(field edu_pages "$3") TTM pages, $(field edu_pages "$4") coherent pages through the device, $(($(field edu_mismatch "$3") + $(field edu_mismatch "$4"))) mismatches"
}

# edu_dom0 <pci> <bits>: the three passes in dom0
edu_dom0() {
	if ! modprobe ttm_workload model=edu device=$1 dma_bits=$2; then
		fail "dom0, $2-bit edu: modprobe ttm_workload model=edu" "$(dmesg | tail -n 3 | tr '\n' ' ')"
		return
	fi
	echo "create $buffers $kib" >$W/run
	b=0
	while [ $b -lt $buffers ]; do
		echo "use $b" >$W/run
		b=$((b + 1))
	done
	ttm_r=$(cat $W/result)
	echo destroy >$W/run
	echo "coherent $order $extents" >$W/run
	coh_r=$(cat $W/result)
	echo selftest >$W/run
	self_r=$(cat $W/result)
	rmmod ttm_workload
	check_edu dom0 "$2" "$ttm_r" "$coh_r" "$self_r"
}

edu_dom0 $edu32 32
edu_dom0 $edu28 28

# edu_guest <dom> <bits>: the same passes in the driver domain, through its
# test agent, on the one edu it has
edu_guest() {
	edu_pci=$(agent $1 edu-devices)
	edu_pci=${edu_pci% }
	check "driver domain: pcifront shows one edu ($edu_pci)" test -n "$edu_pci" -a "${edu_pci#* }" = "$edu_pci"
	ttm_r=$(agent $1 hold $buffers $kib model=edu device=$edu_pci dma_bits=$2)
	agent $1 drop >/dev/null
	coh_r=$(agent $1 edu coherent $order $extents)
	self_r=$(agent $1 edu selftest)
	check_eq "driver domain, $2-bit edu: ttm_workload unloaded, the device free again" unloaded \
		"$(agent $1 unload-workload)"
	check_edu "driver domain$3" "$2" "$ttm_r" "$coh_r" "$self_r"
}

check "xl pci-assignable-add $edu32" xl pci-assignable-add $edu32
check "xl pci-assignable-add $edu28" xl pci-assignable-add $edu28
GUEST_EXTRA="iommu=soft" guest_cfg edu 256 "pci = [ '$edu32' ]"
check "xl create a driver domain with the 32-bit edu" xl_create /tmp/edu.cfg
dom=$(xl domid edu)
edu_guest $dom 32

# guest_edus_are <n>: wait up to 60 s until the guest has n edu devices
guest_edus_are() {
	tries=60
	while [ $tries -gt 0 ]; do
		[ "$(agent $dom edu-devices | wc -w)" = "$1" ] && return 0
		sleep 1
		tries=$((tries - 1))
	done
	return 1
}
check "xl pci-detach edu $edu32" xl pci-detach edu $edu32
check "the edu left the driver domain" guest_edus_are 0
check "xl pci-attach edu $edu28" xl pci-attach edu $edu28
check "pcifront probed the hot-plugged edu" guest_edus_are 1
edu_guest $dom 28

# xl save with a device passed through: libxl (4.20) has no check of its
# own; whatever it does, dom0 and the domain must be left whole
# restored_agent_up: the restored domain's test agent answers (a new domid)
restored_agent_up() {
	d=$(xl domid edu 2>/dev/null) && [ "$d" != "$dom" ] &&
		xenstore-read /local/domain/$d/data/agent/answer >/dev/null 2>&1
}
# Linux's pcifront has no suspend and resume: a restored domain's pcifront
# asks the new pciback and gets no answer, and its resume waits on it
pcifront_unanswered() {
	grep -q 'pciback not responding' /var/log/xen/console/guest-edu.log
}
restored_settled() { restored_agent_up || pcifront_unanswered; }
if out=$(xl save edu /tmp/edu.save 2>&1); then
	echo "xl save with the 28-bit edu: saved"
	# The restored domain's resume must not crash (linux-patches 0016:
	# restore_pirqs() freed the edu's pirq under its own list walk)
	check "xl restore of the driver domain with its edu" xl restore /tmp/edu.save
	wait_for 120 restored_settled
	if restored_agent_up; then
		dom=$(xl domid edu)
		edu_guest $dom 28 " after save and restore"
	elif pcifront_unanswered; then
		skip "the device's pass after save and restore" \
			"Linux's pcifront has no suspend/resume: the restored domain's pcifront gets no answer from pciback ('pciback not responding')"
		report_text "edu: xl save and restore of a PV domain with a device: restored without a crash, but pcifront (no resume) gets no answer from pciback"
	else
		fail "the restored driver domain runs its test agent again" \
			"state $(xl list edu | awk 'NR == 2 { print $5 }')"
		tail -n 60 /var/log/xen/console/guest-edu.log | guest_excerpt edu
	fi
else
	echo "xl save with the 28-bit edu refused: $out"
	check "xl save refused: the driver domain still has its edu" guest_edus_are 1
	report_text "edu: xl save of a PV domain with a passed-through device refused: $(echo "$out" | tail -n 1)"
fi
rm -f /tmp/edu.save

check_guest_kernel edu
check "xl destroy edu" xl_destroy edu
wait_info_back dma32_free_memory "$low_free" 60
check_eq "free memory below 4 GiB back to its start value (MiB)" "$low_free" "$(xl_info_field dma32_free_memory)"
check "xl pci-assignable-remove $edu32" xl pci-assignable-remove $edu32
check "xl pci-assignable-remove $edu28" xl pci-assignable-remove $edu28

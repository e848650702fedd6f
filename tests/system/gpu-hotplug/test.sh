# A display hot-plugged into a running PV driver domain and taken away
# again: the guest (dma32_quota, xen-swiotlb with iommu=soft) starts with no
# PCI device (passthrough = "enabled" so that Xen's IOMMU can take one
# later) and bochs-drm loaded; xl pci-attach gives it QEMU's second VGA,
# which pcifront probes when the backend changes state, in the xenwatch
# thread (bochs-drm's TTM device is created there); a write-combined TTM workload for that device (caching
# Xen allows only since the domain has a device) evicts within the quota,
# every page reached directly; xl pci-detach removes the device in the
# xenwatch thread again (TTM's device and globals released there).  Lockdep
# and list debugging watch the guest's kernel throughout.
# timeout: 260
# group: q35-gpu
# machine: q35,kernel-irqchip=split,max-ram-below-4g=1G
# xen-args: iommu=1
# qemu: -nic none -vga none -device intel-iommu,intremap=on,caching-mode=on -device VGA,id=dom0vga,addr=01.0 -device secondary-vga,id=gpuvga,addr=02.0
. ../lib.sh

gpu=0000:00:02.0
quota_mib=96
quota_kb=$((quota_mib * 1024))
buffers=$((quota_mib + 16))
rounds=5

low_free=$(xl_info_field dma32_free_memory)
check "xl pci-assignable-add $gpu" xl pci-assignable-add $gpu
GUEST_EXTRA="iommu=soft" guest_cfg hp $((buffers + 256)) "dma32_quota = $quota_mib" 'passthrough = "enabled"'
check "xl create a driver domain with no device and dma32_quota=$quota_mib" xl_create /tmp/hp.cfg
dom=$(xl domid hp)
check_eq "bochs-drm loaded in the guest before any display" loaded "$(agent $dom load-bochs)"
check_eq "the guest has no display yet" "no display device" "$(agent $dom display)"

# display_is <text>: does the guest's display answer contain it?
display_is() { contains "$(agent $dom display)" "$1"; }
check "xl pci-attach hp $gpu" xl pci-attach hp $gpu
wait_for 60 display_is driver=bochs-drm
d=$(agent $dom display)
echo "after pci-attach: $d"
pci=$(field pci "$d")
check_eq "pcifront probed the hot-plugged display with bochs-drm" "bochs-drm card0" \
	"$(field driver "$d") $(field card "$d")"

check_eq "xen-swiotlb's bounce high-water mark reset" reset "$(agent $dom bounce-reset)"
check_eq "write-combined workload started on the hot-plugged display $pci" started \
	"$(agent $dom workload $buffers 1024 $rounds device=$pci)"
set -- $(peak_use_while_running hp $dom 600)
peak=$1 samples=$2
r=$(agent $dom workload-result)
t=$(agent $dom ttm-dma32)
echo "workload: $r; peak use $peak kB in $samples samples (quota $quota_kb kB); $t"
check_eq "every buffer populated write-combined, none failed ($buffers x $rounds)" \
	"$((buffers * rounds)) 0" "$(field populated "$r") $(field failed "$r")"
check_eq "no buffer lost its contents" 0 "$(field corrupt "$r")"
check_eq "every page below 4 GiB, its DMA address its own, no bounce slot used" "0 0 0" \
	"$(field above "$r") $(field dma_other "$r") $(field bounce_hiwater "$t")"
check "TTM evicted to stay within the quota ($(field swapped_in "$r") swapped in)" \
	test "$(field swapped_in "$r")" -gt 0
check "the guest never exceeded its quota (peak $peak kB, $samples samples)" \
	test "$peak" -le $quota_kb -a "$samples" -ge 3
check_eq "the workload's device released" unloaded "$(agent $dom unload-workload)"

check "xl pci-detach hp $gpu" xl pci-detach hp $gpu
wait_for 60 display_is "no display device"
check_eq "the display left the guest" "no display device" "$(agent $dom display)"
audit_dma32 "$dom" "of the driver domain after the detach"
check_guest_kernel hp
check "xl destroy hp" xl_destroy hp
wait_info_back dma32_free_memory "$low_free" 60
check_eq "free memory below 4 GiB back to its start value (MiB)" "$low_free" "$(xl_info_field dma32_free_memory)"
check "xl pci-assignable-remove -r $gpu" xl pci-assignable-remove -r $gpu
wait_for 30 driver_is $gpu bochs-drm
check_eq "the display is back with bochs-drm in dom0" bochs-drm "$(driver_of $gpu)"
report "gpu-hotplug (WC, after xl pci-attach)" $quota_kb $peak "$(field swapped_in "$r")" \
	"$(field failed "$r")" $low_free "$(xl_info_field dma32_free_memory)"

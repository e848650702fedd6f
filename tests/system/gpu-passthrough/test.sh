# A PV driver domain that owns a display: QEMU's second VGA is assigned to
# it (q35 with the emulated Intel IOMMU, xl pci-assignable-add, pci = [...]),
# the guest runs bochs-drm on it through pcifront and xen-swiotlb, and, with
# a dma32_quota, a TTM buffer workload for that same PCI device as a driver
# limited to 32-bit DMA would (write-combined: Xen allows other caching to a
# domain with a device).  Every frame lies below the device's limit, the
# guest's use (its xen-swiotlb included) stays within the quota, TTM evicts
# rather than failing.  Before that workload, real KMS clients run in the
# driver domain (kms-client: modetest's bars checked on its screenshot, page
# flips, drm-dumb-roundtrip beyond its VRAM and its quota, no byte lost).
# dom0 keeps its console on the first VGA; both displays are saved as
# screenshots.  The device goes back to dom0 after.
# timeout: 680
# machine: q35,kernel-irqchip=split,max-ram-below-4g=1G
# xen-args: iommu=1
# qemu: -nic none -vga none -device intel-iommu,intremap=on,caching-mode=on -device VGA,id=dom0vga,addr=01.0 -device secondary-vga,id=gpuvga,addr=02.0
. ../lib.sh

console=0000:00:01.0
gpu=0000:00:02.0
quota_mib=96
quota_kb=$((quota_mib * 1024))
# More buffers than the whole quota, whatever part of it xen-swiotlb takes
buffers=$((quota_mib + 16))
rounds=20

check "Xen's IOMMU is on" sh -c "xl dmesg | grep -q 'I/O virtualisation enabled'"
check_eq "dom0 drives both displays with bochs-drm" "bochs-drm bochs-drm" "$(driver_of $console) $(driver_of $gpu)"
low_free=$(xl_info_field dma32_free_memory)

check "xl pci-assignable-add $gpu" xl pci-assignable-add $gpu
check_eq "the second display left bochs-drm for pciback" pciback "$(driver_of $gpu)"
check "xl pci-assignable-list shows it: $(xl pci-assignable-list | tr '\n' ' ')" sh -c "xl pci-assignable-list | grep -q '$gpu'"
fbs=$(ls /sys/class/graphics | grep -c '^fb[0-9]')
check_eq "dom0 keeps one framebuffer, on the first display" "1 $console" \
	"$fbs $(basename "$(readlink /sys/class/graphics/fb0/device)")"
printf '\n  xen-ttm dom0: console on %s; %s passed through to the driver domain\n' \
	"$console" "$gpu" >/dev/tty1

GUEST_EXTRA="iommu=soft" guest_cfg gpu $((buffers + 256)) "dma32_quota = $quota_mib" "pci = [ '$gpu' ]"
check "xl create a driver domain with the display and dma32_quota=$quota_mib" xl_create /tmp/gpu.cfg
dom=$(xl domid gpu)
d=$(agent $dom display)
echo "driver domain: $d"
pci=$(field pci "$d")
check_eq "the guest drives the passed-through display with bochs-drm" "bochs-drm card0" \
	"$(field driver "$d") $(field card "$d")"
check "xen-swiotlb is on in the guest ($(field swiotlb_kib "$d") KiB)" test "$(field swiotlb_kib "$d")" -gt 0
used0=$(dma32_kb gpu used)
echo "the guest holds $used0 kB below 4 GiB before its workload"
check "the guest's xen-swiotlb counts in its quota, and fits in it ($used0 kB)" \
	test "$used0" -ge "$(field swiotlb_kib "$d")" -a "$used0" -le $quota_kb

screenshot dom0vga dom0
screenshot gpuvga guest

# Real KMS clients in the driver domain (kms-client): modetest's bars on
# its display and page flips; then more dumb buffers than its VRAM holds
# and than its whole quota, every byte read back through a second mapping
# in system memory, in VRAM and after eviction, the last one on screen.
k=$(agent $dom kms pattern)
gmode=$(field mode "$k")
check "modetest set a mode in the driver domain ($k)" test -n "$gmode"
[ -n "$gmode" ] && screenshot gpuvga guest-modetest "smpte:$gmode"
k=$(agent $dom kms stop)
check_eq "modetest ended cleanly in the driver domain ($k)" 0 "$(field exit "$k")"
flips=$(agent $dom kms flips 12)
echo "driver domain page flips: $flips"
check "modetest -v flipped between two buffers in the driver domain ($flips)" \
	test "$(field reports "$flips")" -ge 1 -a "$(field flips "$flips")" -gt 0
gvram=$(field vram_mib "$(agent $dom kms vram)")
k=$(agent $dom kms roundtrip $((quota_mib + 16)))
echo "driver domain drm-dumb-roundtrip: $k"
check "drm-dumb-roundtrip shows its last buffer in the driver domain" contains "$k" DUMB-SHOWN
contains "$k" DUMB-SHOWN &&
	screenshot gpuvga guest-roundtrip "dumb:$(field seed "$k"):$(field buffer "$k"):$(field pitch "$k"):$(field mode "$k")"
kms_used=$(dma32_kb gpu used)
r=$(agent $dom kms stop)
echo "driver domain drm-dumb-roundtrip: $r"
gmode=$(field mode "$k")
kms_total=$(($(field buffers "$r") * $(field pitch "$k") * ${gmode#*x}))
kms_bytes=$(field bytes_verified "$r")
check_eq "driver domain: every byte read back, in VRAM and after eviction ($kms_bytes bytes)" \
	"0 0" "$(field mismatches "$r") $(field exit "$r")"
check "driver domain: dumb buffers beyond its VRAM ($gvram MiB) and quota ($((kms_total >> 20)) MiB)" \
	test "$kms_total" -gt $((quota_mib << 20)) -a "$kms_total" -gt $((${gvram:-0} << 20))
check "driver domain: TTM evicted buffers ($(field evictions "$r") evictions)" test "$(field evictions "$r")" -gt 0
check "driver domain: within its quota with all its dumb buffers ($kms_used kB)" test "$kms_used" -le $quota_kb
result "XTEST-REPORT: kms driver domain: flip rate $(field flip_rate "$flips") Hz, $kms_bytes bytes verified, $(field evictions "$r") evictions, $(field swapouts "$r") swap-outs, use $kms_used of $quota_kb kB"

check_eq "xen-swiotlb's bounce high-water mark reset" reset "$(agent $dom bounce-reset)"
check_eq "workload started on the GPU $pci" started "$(agent $dom workload $buffers 1024 $rounds device=$pci)"
set -- $(peak_use_while_running gpu $dom 600)
peak=$1 samples=$2
r=$(agent $dom workload-result)
t=$(agent $dom ttm-dma32)
echo "workload: $r; peak use $peak kB in $samples samples (quota $quota_kb kB); $t"
evicted=$(field swapped_in "$r")
check "use sampled from dom0 while the workload ran ($samples samples)" test "$samples" -ge 3
check "the guest never exceeded its quota (peak $peak kB)" test "$peak" -le $quota_kb
check_eq "every buffer populated write-combined, none failed ($buffers x $rounds)" \
	"$((buffers * rounds)) 0" "$(field populated "$r") $(field failed "$r")"
check_eq "no buffer lost its contents" 0 "$(field corrupt "$r")"
check_eq "every page below the GPU's 32-bit limit" 0 "$(field above "$r")"
check_eq "every DMA address is the page's own machine address" 0 "$(field dma_other "$r")"
check_eq "no xen-swiotlb bounce slot was used (the GPU reaches TTM's pages directly)" 0 \
	"$(field bounce_hiwater "$t")"
check "TTM swapped buffers out to stay within the quota ($(field swapped_in "$r") swapped in again)" \
	test "$(field swapped_in "$r")" -gt 0
check "TTM's DMA32 limit follows the quota ($(($(field limit_pages "$t") * 4)) kB, quota $quota_kb kB)" \
	test "$(($(field limit_pages "$t") * 4))" -le $quota_kb -a "$(field limit_pages "$t")" -gt 0
check "the guest's use after its workload within the quota" test "$(dma32_kb gpu used)" -le $quota_kb
audit_dma32 "$dom" "of the driver domain after its workload"

check_guest_kernel gpu
check "xl destroy gpu" xl_destroy gpu
wait_info_back dma32_free_memory "$low_free" 60
check_eq "free memory below 4 GiB back to its start value (MiB)" "$low_free" "$(xl_info_field dma32_free_memory)"
check "xl pci-assignable-remove -r $gpu" xl pci-assignable-remove -r $gpu
wait_for 30 sh -c "[ \"\$(basename \"\$(readlink /sys/bus/pci/devices/$gpu/driver)\")\" = bochs-drm ]"
check_eq "the display is back with bochs-drm in dom0" bochs-drm "$(driver_of $gpu)"
report "gpu-passthrough (xen-swiotlb $(field swiotlb_kib "$d") kB of it)" $quota_kb $peak "$evicted" \
	"$(field failed "$r")" $low_free "$(xl_info_field dma32_free_memory)"

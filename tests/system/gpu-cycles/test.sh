# The display passed to a PV driver domain, used and taken away again, 10
# times (gpu-cycles-long, in make test-release: 20): the kernel v3 issue's
# oops at `xl destroy` (a use-after-free of a PCI resource file's name in
# the xenwatch thread) came from pcifront adding the device in xenwatch
# while pci_sysfs_init() created the same device's files at boot (fixed by
# linux-patches 0013).
#   - 2 boots (long: 4) of a 2-vCPU driver domain with pci = [ display ]
#     (the two threads of that race really run at once): bochs-drm binds (its TTM
#     device created in xenwatch; every 4th cycle a short TTM workload on
#     the device too), then
#     xl destroy with the device attached (the oops's path), or every other
#     boot xl pci-detach first;
#   - 8 hot-plug cycles (long: 16) of one driver domain: xl pci-attach,
#     bochs-drm binds (the workload every 4th cycle), xl pci-detach (pcifront removes the device
#     in xenwatch: TTM's device released there).
# Each cycle checks the display's driver, the workload (every buffer below
# 4 GiB, none lost or failed), the guest's console (no oops, no sysfs
# "duplicate filename", no lockdep, list or slab debugging report) and that
# low memory comes back.
# timeout: 420
# group: q35-gpu
# machine: q35,kernel-irqchip=split,max-ram-below-4g=1G
# xen-args: iommu=1
# qemu: -nic none -vga none -device intel-iommu,intremap=on,caching-mode=on -device VGA,id=dom0vga,addr=01.0 -device secondary-vga,id=gpuvga,addr=02.0
. ../lib.sh

gpu=0000:00:02.0
# boots and hot-plug cycles: gpu-cycles-long sets more before it sources this
boots=${boots:-2}
hot=${hot:-8}
# the guest's xen-swiotlb (64 MiB, iommu=soft) counts in its quota
quota_mib=96

low_free=$(xl_info_field dma32_free_memory)
check "xl pci-assignable-add $gpu" xl pci-assignable-add $gpu

# display_is <domid> <text>: does the guest's display answer contain it?
display_is() { contains "$(agent "$1" display)" "$2"; }

# use_display <domid> <n>: bochs-drm drives the display (its TTM device and
# fbdev's buffer in VRAM); every 4th cycle also 8 TTM buffers of a short
# workload on it, all below 4 GiB; prints what failed
use_display() {
	_d=$(agent "$1" display)
	[ "$(field driver "$_d") $(field card "$_d")" = "bochs-drm card0" ] || { echo "display: $_d"; return 1; }
	[ $(($2 % 4)) = 1 ] || return 0
	_a=$(agent "$1" workload 8 1024 1 "device=$(field pci "$_d")")
	[ "$_a" = started ] || { echo "workload did not start: $_a"; return 1; }
	_t=0
	while [ "$(agent "$1" workload-result)" = running ] && [ $_t -lt 120 ]; do
		sleep 1
		_t=$((_t + 1))
	done
	_r=$(agent "$1" workload-result)
	[ "$(field populated "$_r") $(field failed "$_r") $(field corrupt "$_r") $(field above "$_r")" = "8 0 0 0" ] ||
		{ echo "workload: $_r"; return 1; }
	[ "$(agent "$1" unload-workload)" = unloaded ] || { echo "workload not unloaded"; return 1; }
}

# detach <guest> <domid>: xl pci-detach, and the display gone from the guest
detach() {
	xl pci-detach "$1" $gpu >/tmp/cy.out 2>&1 || { echo "pci-detach: $(tail -n 1 /tmp/cy.out)"; return 1; }
	wait_for 60 display_is "$2" "no display device" || { echo "display stayed after pci-detach"; return 1; }
}

# clean_console <guest>: no report in its console log
clean_console() {
	_bad=$(bad_lines "/var/log/xen/console/guest-$1.log")
	[ -z "$_bad" ] && return 0
	echo "$_bad" | guest_excerpt "$1"
	echo "guest console: $(echo "$_bad" | head -n 1)"
	return 1
}

# low_back: free memory below 4 GiB back to its start value
low_back() {
	wait_info_back dma32_free_memory "$low_free" 60
	[ "$(xl_info_field dma32_free_memory)" = "$low_free" ] ||
		{ echo "free memory below 4 GiB $(xl_info_field dma32_free_memory) MiB, was $low_free"; return 1; }
}

# boot_cycle <n>: a driver domain booted with the display, used, destroyed
boot_cycle() {
	GUEST_VCPUS=2 GUEST_EXTRA="iommu=soft" guest_cfg cy 288 "dma32_quota = $quota_mib" "pci = [ '$gpu' ]"
	xl_create_int3 /tmp/cy.cfg cy >/tmp/cy.out 2>&1 || { echo "xl create: $(tail -n 2 /tmp/cy.out)"; return 1; }
	_dom=$(xl domid cy)
	use_display "$_dom" "$1" || { xl destroy cy; return 1; }
	if [ $(($1 % 2)) = 1 ]; then detach cy "$_dom" || { xl destroy cy; return 1; }; fi
	xl_destroy cy >/dev/null || { echo "xl destroy left the guest"; return 1; }
	clean_console cy && low_back &&
		{ wait_for 30 sh -c "xl pci-assignable-list | grep -q '$gpu'" || { echo "$gpu not assignable again"; return 1; }; }
}

# hot_cycle <n>: the display attached to the running driver domain, used, detached
hot_cycle() {
	xl pci-attach hp $gpu >/tmp/cy.out 2>&1 || { echo "pci-attach: $(tail -n 1 /tmp/cy.out)"; return 1; }
	wait_for 60 display_is "$dom" driver=bochs-drm || { echo "bochs-drm did not bind: $(agent "$dom" display)"; return 1; }
	use_display "$dom" "$1" && detach hp "$dom" && clean_console hp
}

# cycle <what> <n> <command...>: one cycle, one failure if it fails; the
# guest's console of a failed one is kept under another name
ok=0
cycle() {
	_what=$1
	shift
	if _why=$("$@"); then
		ok=$((ok + 1))
		echo "gpu-cycles: $_what: ok"
	else
		fail "$_what" "$(echo "$_why" | tail -n 1)"
		echo "$_why" | grep 'GUEST-LOG' >&2
	fi
}

c=1
while [ $c -le $boots ]; do
	how="destroyed with the display attached"
	[ $((c % 2)) = 1 ] && how="detached, then destroyed"
	cycle "boot $c: a driver domain booted with the display, used it, was $how" boot_cycle $c
	mv /var/log/xen/console/guest-cy.log /var/log/xen/console/guest-cy-$c.log 2>/dev/null
	c=$((c + 1))
done

GUEST_EXTRA="iommu=soft" guest_cfg hp 288 "dma32_quota = $quota_mib" 'passthrough = "enabled"'
check "xl create a driver domain with no device and dma32_quota=$quota_mib" xl_create /tmp/hp.cfg
dom=$(xl domid hp)
check_eq "bochs-drm loaded in the guest before any display" loaded "$(agent "$dom" load-bochs)"
c=1
while [ $c -le $hot ]; do
	cycle "hot-plug $c: the display attached to the running driver domain, used, detached" hot_cycle $((boots + c))
	c=$((c + 1))
done
check_guest_kernel hp
check "xl destroy hp" xl_destroy hp
check_eq "all $((boots + hot)) cycles: display bound with bochs-drm (every 4th: 8 TTM buffers below 4 GiB), clean console" \
	$((boots + hot)) $ok
check "free memory below 4 GiB back to its start value" low_back
check "xl pci-assignable-remove -r $gpu" xl pci-assignable-remove -r $gpu
wait_for 30 driver_is $gpu bochs-drm
check_eq "the display is back with bochs-drm in dom0" bochs-drm "$(driver_of $gpu)"
report_text "gpu-cycles: $ok of $((boots + hot)) driver-domain cycles clean ($boots boots with the display, $hot hot-plug attach/detach)"

# Booted from make deb's packages (tests/packages.sh): the hypervisor, the
# kernel, its modules and the tools are the packaged ones.  They say which
# series they carry; the quota works end to end with the packaged xl, libxl,
# xentop and kernel (xen-ttm-dma32 and bochs-drm from the packaged modules);
# a PV guest of the packaged kernel with a quota holds TTM buffers of a
# 32-bit device below 4 GiB, within its quota, and gives everything back.
# The expected versions come on dom0's command line (pkg.kernel=, pkg.xen=).
# timeout: 200
. ../../system/lib.sh

arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p"; }
check_eq "the packaged kernel runs (uname -r)" "$(arg pkg.kernel)" "$(uname -r)"
check_eq "the packaged hypervisor runs (xl info xen_version)" "$(arg pkg.xen)" \
	"$(xl info | sed -n 's/^xen_version *: *//p')"
check "xl info shows memory below 4 GiB (packaged libxl)" test "$(xl_info_field dma32_total_memory)" -gt 0

# The display: bochs-drm and the quota glue from the packaged modules
check "bochs-drm (a packaged module) bound to the display" \
	sh -c 'ls /sys/bus/pci/drivers/bochs-drm/ | grep -q "^0000:"'
check "xen-ttm-dma32 (a packaged module) loaded" grep -q '^xen_ttm_dma32 ' /proc/modules
check "the modules are the packaged kernel's" \
	test -f "/lib/modules/$(uname -r)/kernel/drivers/xen/xen-ttm-dma32.ko"
check "the pools' statistics are in debugfs" test -r /sys/kernel/debug/xen_contig_pool/pages
# The switch that turns pooling off is one of Xen's debugfs tuning options
if [ "$(arg pkg.xen_debug_fs)" = 1 ]; then
	check "the switch that turns pooling off is there (XEN_DEBUG_FS=y)" \
		test -e /sys/kernel/debug/xen_contig_pool/enabled
else
	check "no switch that turns pooling off (XEN_DEBUG_FS unset, as in the host configuration)" \
		test ! -e /sys/kernel/debug/xen_contig_pool/enabled
fi

free_before=$(xl_info_field free_memory)
low_free_before=$(xl_info_field dma32_free_memory)
GUEST_EXTRA="iommu=soft swiotlb=512" guest_cfg p1 256 "dma32_quota = 16"
check "xl create with dma32_quota=16" xl_create /tmp/p1.cfg
dom=$(xl domid p1)
check_quota_held p1 16384 "created"
check_eq "the guest's kernel reads its quota" 16384 "$(agent "$dom" quota)"

# 24 MiB of buffers of a 32-bit device through TTM for a 16 MiB quota
check_eq "workload started in the guest (test module built against linux-headers)" started \
	"$(agent "$dom" workload 24 1024 20 wb=1)"
set -- $(peak_use_while_running p1 "$dom" 300)
peak=$1
r=$(agent "$dom" workload-result)
echo "workload: $r; peak use $peak kB"
check_eq "every buffer populated, none failed (24 x 20)" "480 0" "$(field populated "$r") $(field failed "$r")"
check_eq "no buffer lost its contents" 0 "$(field corrupt "$r")"
check_eq "every page below the device's 32-bit limit" 0 "$(field above "$r")"
check_eq "every DMA address is the page's own machine address" 0 "$(field dma_other "$r")"
check "peak use sampled from dom0 ($peak kB) within the quota" test "$peak" -le 16384

check "xl dma32-quota-set p1 24" xl dma32-quota-set p1 24
check_quota_held p1 24576 "raised"
check_guest_kernel p1
check "xl destroy p1" xl_destroy p1
wait_info_back free_memory "$free_before" 30
check_eq "free memory back (MiB)" "$free_before" "$(xl_info_field free_memory)"
check_eq "free memory below 4 GiB back (MiB)" "$low_free_before" "$(xl_info_field dma32_free_memory)"
# The release hypervisor has no audit: test-dma32-quota's audit of a
# domain says so and succeeds (the full program's run there is open: one
# check fails on the packaged release hypervisor, docs/dma32-quota.md)
out=$(test-dma32-quota audit 0 2>&1)
rc=$?
echo "$out" | sed "s/^/test-dma32-quota| /"
check_eq "test-dma32-quota audit on the release hypervisor: exit status" 0 $rc
check "... it says that the audit is skipped there" contains "$out" '^SKIP: the audit of the DMA32 counter'
report_text "packages: kernel $(uname -r), Xen $(arg pkg.xen): guest quota 16384 kB, peak use $peak kB, $(field swapped_in "$r") buffers swapped in, failed $(field failed "$r")"

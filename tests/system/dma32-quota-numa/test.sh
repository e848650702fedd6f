# The DMA32 quota on a host of two NUMA nodes (Xen v3 issue, hole 2).  The
# heap is searched node by node, every zone of one node before the next,
# and with a DMA width (dma_bits=29 here; with several nodes Xen sets one
# itself) node 0's memory just above the DMA zone is below 4 GiB.  On
# QEMU's two nodes of 2 GiB (node 0: the 1 GiB below 4 GiB and 1 GiB above,
# node 1: 2 GiB above): test-dma32-quota's checks, as in dma32-quota; then
# a guest at its quota takes unrestricted memory until Xen refuses: all
# memory above 4 GiB, on both nodes, none below beyond its quota.
# timeout: 120
# cpus: 2
# xen-args: dma_bits=29
# qemu: -object memory-backend-ram,id=n0,size=2G -numa node,nodeid=0,cpus=0,memdev=n0 -object memory-backend-ram,id=n1,size=2G -numa node,nodeid=1,cpus=1,memdev=n1
. ../lib.sh

check_eq "Xen sees two NUMA nodes" 2 "$(xl_info_field nr_nodes)"
width=$(xl dmesg | sed -n 's/.* DMA width \([0-9]*\) bits.*/\1/p' | head -n 1)
check_eq "Xen keeps a DMA zone of 29 bits (dma_bits=29)" 29 "$width"

# node_free: each node's free memory in MiB, as xl info -n lists it
node_free() {
	xl info -n | awk '/^numa_info/ { on = 1; next } on && $1 ~ /^[0-9]+:$/ { sub(":", "", $1); printf "node%s %s MiB free ", $1, $3 }'
}

report_text "dma32-quota-numa: before: $(node_free), free below 4 GiB $(xl_info_field dma32_free_memory) MiB"
checks_of test-dma32-quota

# dma_bits=29 (the review's case: a DMA width set on Xen's command line)
# leaves node 0's low memory between 512 MiB and 1 GiB outside the DMA
# zone, where an unrestricted allocation that searches node 0 meets it.  A
# guest at its quota asks for unrestricted memory until Xen refuses: it
# must get all memory above 4 GiB, on both nodes, and nothing more below.
# Measured: the allocator from before the fix for hole 1 passes this too
# (the guest's memory came from node 1, where libxl placed it, until node 1
# was used up, then from node 0's memory above 4 GiB; pinning it to node 0's
# CPU did not move it), so the review's NUMA failure was not reproduced on
# this layout; the scenario checks the property.
low=$(xl_info_field dma32_free_memory)
guest_cfg q 128 "dma32_quota = 8"
check "a guest with dma32_quota = 8 is created" xl_create /tmp/q.cfg
echo "q created: $(node_free)"
dom=$(xl domid q)
# Only its quota and Xen's free memory may stop it
check "xl mem-max q: all of the host's memory" xl mem-max q "$(xl_info_field total_memory)m"
r=$(agent $dom attack grab)
echo "q grab: $r"
check_eq "q takes frames below 4 GiB up to its quota" 2048 "$(($(dma32_kb q used) / 4))"
r=$(agent $dom attack exhaust)
echo "q exhaust: $r; $(node_free)"
report_text "dma32-quota-numa: q took $(($(field high "$r") / 256)) MiB above 4 GiB; free above 4 GiB left: $(($(xl_info_field free_memory) - $(xl_info_field dma32_free_memory))) MiB"
check "q's unrestricted requests took all memory above 4 GiB, on both nodes (under 4 MiB left)" \
	test $(($(xl_info_field free_memory) - $(xl_info_field dma32_free_memory))) -lt 4
check_eq "q's use below 4 GiB stays at its quota" 2048 "$(($(dma32_kb q used) / 4))"
check_eq "no frame beyond the address width asked for" 0 "$(field bad "$r")"
check_guest_kernel q
check "xl destroy q" xl_destroy q
wait_info_back dma32_free_memory "$low" 30
check_eq "free memory below 4 GiB back (MiB)" "$low" "$(xl_info_field dma32_free_memory)"
report_text "dma32-quota-numa: after: $(node_free), free below 4 GiB $(xl_info_field dma32_free_memory) MiB"

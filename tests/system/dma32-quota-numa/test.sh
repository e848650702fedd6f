# The DMA32 quota on a host of two NUMA nodes (Xen v3 issue, hole 2).  With
# more than one node Xen keeps a DMA zone below dma_bitsize (here 31 bits:
# a quarter of node 0), and the heap is searched node by node, every zone
# of one node before the next: a domain at its quota must still get memory
# above 4 GiB from whichever node has it, and no frame below 4 GiB beyond
# its quota from any.  On QEMU's two nodes of 2 GiB (node 0: the 1 GiB
# below 4 GiB and 1 GiB above, node 1: 2 GiB above): test-dma32-quota's
# checks, as in dma32-quota; then a guest pinned to node 0 takes node 0's
# memory above 4 GiB, and a second one pinned there with a quota takes its
# quota below 4 GiB and then unrestricted memory up to its maximum: all of
# it from node 1, above 4 GiB (before the allocator's fix for hole 1, its
# very build failed: node 0's low frames came first).
# timeout: 240
# cpus: 2
# qemu: -object memory-backend-ram,id=n0,size=2G -numa node,nodeid=0,cpus=0,memdev=n0 -object memory-backend-ram,id=n1,size=2G -numa node,nodeid=1,cpus=1,memdev=n1
. ../lib.sh

check_eq "Xen sees two NUMA nodes" 2 "$(xl_info_field nr_nodes)"
width=$(xl dmesg | sed -n 's/.* DMA width \([0-9]*\) bits.*/\1/p' | head -n 1)
check "Xen keeps a DMA zone below 4 GiB (DMA width ${width:-none} bits)" test "${width:-99}" -lt 32

# node_free: each node's free memory in MiB, as xl info -n lists it
node_free() {
	xl info -n | awk '/^numa_info/ { on = 1; next } on && $1 ~ /^[0-9]+:$/ { sub(":", "", $1); printf "node%s %s MiB free ", $1, $3 }'
}
# node_free_of <node>: that node's free memory in MiB
node_free_of() {
	xl info -n | awk -v n="$1:" '/^numa_info/ { on = 1; next } on && $1 == n { print $3 }'
}
# pin_to_cpu0 <cfg>: the guest's vCPU on CPU 0, so its memory comes from
# node 0 first
pin_to_cpu0() { sed -i 's/^cpus = .*/cpus = "0"/' "$1"; }

report_text "dma32-quota-numa: before: $(node_free), free below 4 GiB $(xl_info_field dma32_free_memory) MiB"
checks_of test-dma32-quota

# Node 0 with nothing free above 4 GiB but plenty below, node 1 with memory
# above 4 GiB: a guest pinned to node 0 (its heap search meets node 0's low
# zones before node 1) and at its quota must get every unrestricted frame
# from node 1.  Before the allocator raised the search above 4 GiB for a
# domain without room, its build already failed there.
low=$(xl_info_field dma32_free_memory)
n0_high=$(($(node_free_of 0) - low))
guest_cfg hog $((n0_high + 16))
pin_to_cpu0 /tmp/hog.cfg
check "a guest pinned to node 0 takes its memory above 4 GiB ($n0_high MiB)" xl_create /tmp/hog.cfg
check "node 0 has no free memory above 4 GiB left ($(node_free) free below 4 GiB $(xl_info_field dma32_free_memory) MiB)" \
	test "$(node_free_of 0)" -le "$(xl_info_field dma32_free_memory)"
guest_cfg q 64 "dma32_quota = 8" "maxmem = 96"
pin_to_cpu0 /tmp/q.cfg
check "a guest pinned to node 0 with dma32_quota = 8 is created" xl_create /tmp/q.cfg
dom=$(xl domid q)
r=$(agent $dom attack grab)
echo "q grab: $r"
check_eq "q takes frames below 4 GiB up to its quota" 2048 "$(($(dma32_kb q used) / 4))"
r=$(agent $dom attack exhaust)
echo "q exhaust: $r; $(node_free)"
check "q's unrestricted requests up to its maximum were served above 4 GiB ($(field high "$r") frames)" \
	test "$(field high "$r")" -ge $(((96 - 64 - 4) * 256))
check_eq "q's use below 4 GiB stays at its quota" 2048 "$(($(dma32_kb q used) / 4))"
check_eq "no frame beyond the address width asked for" 0 "$(field bad "$r")"
check_guest_kernel q
check "xl destroy q" xl_destroy q
check "xl destroy hog" xl_destroy hog
wait_info_back dma32_free_memory "$low" 30
check_eq "free memory below 4 GiB back (MiB)" "$low" "$(xl_info_field dma32_free_memory)"
report_text "dma32-quota-numa: after: $(node_free), free below 4 GiB $(xl_info_field dma32_free_memory) MiB"

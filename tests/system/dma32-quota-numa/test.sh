# The DMA32 quota on a host of two NUMA nodes (Xen v3 issue, hole 2).  With
# more than one node Xen keeps a DMA zone below dma_bitsize (here 31 bits:
# a quarter of node 0), and the heap is searched node by node, every zone
# of one node before the next: a domain at its quota must still get memory
# above 4 GiB from whichever node has it, and no frame below 4 GiB beyond
# its quota from any.  test-dma32-quota's checks, as in dma32-quota, on
# QEMU's two nodes of 2 GiB (node 0: the 1 GiB below 4 GiB and 1 GiB above,
# node 1: 2 GiB above); the nodes' free memory is reported before and after.
# timeout: 150
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
report_text "dma32-quota-numa: before: $(node_free), free below 4 GiB $(xl_info_field dma32_free_memory) MiB"
checks_of test-dma32-quota
report_text "dma32-quota-numa: after: $(node_free), free below 4 GiB $(xl_info_field dma32_free_memory) MiB"

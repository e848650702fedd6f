# The hypervisor's DMA32 quota, driven from dom0 by test-dma32-quota
# (xen-hooks/): an empty PV domain is populated and exchanged with and
# without address_bits=32; the counter is checked against the audit; after
# destruction free memory (all, and below 4 GiB) returns to its start value.
# timeout: 120
# group: guests
. ../lib.sh

checks_of test-dma32-quota

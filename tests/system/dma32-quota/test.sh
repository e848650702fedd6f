# The hypervisor's DMA32 quota, driven from dom0 by test-dma32-quota
# (xen-hooks/): an empty PV domain is populated and exchanged with and
# without address_bits=32; the counter is checked against the audit; after
# destruction free memory (all, and below 4 GiB) returns to its start value.
# timeout: 120
# group: guests
. ../lib.sh

test-dma32-quota >/tmp/dma32-quota.out 2>&1
rc=$?
# its PASS:/FAIL: lines become this scenario's checks
while IFS= read -r line; do
	case $line in
	"PASS: "*) pass "${line#PASS: }" ;;
	"FAIL: "*) fail "${line#FAIL: }" ;;
	"SKIP: "*) skip "${line#SKIP: }" ;;
	*) echo "$line" ;;
	esac
done </tmp/dma32-quota.out
check_eq "test-dma32-quota exit status" 0 "$rc"

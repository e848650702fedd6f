# The toolstack built from our tree runs in dom0: xl info, xl list.
# timeout: 120
# group: guests
. ../lib.sh

check "xl info succeeds" xl info
check_eq "xl info: xen_major" 4 "$(xl_info_field xen_major)"
check_eq "xl info: xen_minor" 20 "$(xl_info_field xen_minor)"
total=$(xl_info_field total_memory)
check "xl info: total_memory ($total MiB) is QEMU's 4 GiB less firmware holes" test "$total" -gt 3900 -a "$total" -le 4096
check "xl info: free_memory is a positive number" test "$(xl_info_field free_memory)" -gt 0
check "xl list shows Domain-0" sh -c 'xl list | grep -q "^Domain-0 *0 "'
check_eq "xl list: dom0 memory (MiB)" 1024 "$(xl list 0 | awk 'NR == 2 {print $3}')"
check "xenstore answers" xenstore-read /local/domain/0/name

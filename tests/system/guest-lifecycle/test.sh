# xl create of a PV guest (same kernel, tiny initramfs): it reports that it is
# up on its console and in xenstore; after xl destroy, Xen's free memory is
# back to its value before the guest.
# timeout: 120
# group: guests
. ../lib.sh

free_before=$(xl_info_field free_memory)
guest_cfg guest1 128
check "xl create guest1" xl_create /tmp/guest1.cfg
domid=$(xl domid guest1 2>/dev/null)
check "guest1 is in xl list" sh -c "xl list | grep -q '^guest1 '"
console=/var/log/xen/console/guest-guest1.log
check "guest1 prints GUEST-UP on its console" wait_for 90 grep -q "GUEST-UP name=guest1" "$console"
check_eq "guest1 wrote data/guest-up in xenstore" 1 "$(xenstore-read /local/domain/$domid/data/guest-up 2>&1)"
check "guest1 took memory from Xen" test "$(xl_info_field free_memory)" -lt "$free_before"
check "xl destroy guest1" xl_destroy guest1
check "guest1 is gone from xl list" sh -c "! xl list | grep -q '^guest1 '"
wait_info_back free_memory "$free_before" 30
check_eq "free memory back to its start value (MiB)" "$free_before" "$(xl_info_field free_memory)"

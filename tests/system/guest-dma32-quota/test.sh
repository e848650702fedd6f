# A PV guest created by xl with dma32_quota: it reads its quota from
# xenstore (and cannot change it); raw exchanges from inside the guest get
# exactly the quota less what it already held below 4 GiB, never more; the
# quota changes at run time with xl dma32-quota-set; destruction returns all
# of it.
# timeout: 180
# group: guests
. ../lib.sh

quota_mib=16
quota_kb=$((quota_mib * 1024))
free_before=$(xl_info_field free_memory)
low_free_before=$(xl_info_field dma32_free_memory)

guest_cfg g1 128 "dma32_quota = $quota_mib"
check "xl create with dma32_quota=$quota_mib" xl_create /tmp/g1.cfg
dom=$(xl domid g1)
check_eq "quota published in xenstore (kB)" "$quota_kb" "$(xenstore-read /local/domain/$dom/memory/dma32-quota 2>&1)"
check_eq "xl list -l shows the quota" "$quota_kb" "$(dma32_kb g1 quota)"
check_eq "the guest reads its quota" "$quota_kb" "$(agent $dom quota)"
check_eq "the guest cannot change its quota" refused "$(agent $dom write-quota 999999)"
check_eq "quota unchanged after the guest's attempt" "$quota_kb" "$(xenstore-read /local/domain/$dom/memory/dma32-quota)"

audit_dma32 "$dom" "after xl built the guest"
used_before=$(dma32_kb g1 used)
r=$(agent $dom grab)
echo "grab: $r (held below 4 GiB before: ${used_before} kB)"
check_eq "guest granted exactly quota - held (pages)" $(((quota_kb - used_before) / 4)) "$(field granted "$r")"
check_eq "guest refused beyond the quota" 1 "$(field refused "$r")"
check_eq "every granted frame is below 4 GiB" 0 "$(field bad "$r")"
check_eq "xl list -l: use equals the quota" "$quota_kb" "$(dma32_kb g1 used)"
check "xl info: free memory below 4 GiB went down" test "$(xl_info_field dma32_free_memory)" -lt "$low_free_before"
audit_dma32 "$dom" "after the guest's exchanges"

# Lower below use: nothing is taken away, further requests are refused.
check "xl dma32-quota-set g1 8" xl dma32-quota-set g1 8
check_eq "xenstore follows the new quota" 8192 "$(xenstore-read /local/domain/$dom/memory/dma32-quota)"
check_eq "the guest reads the new quota" 8192 "$(agent $dom quota)"
check_eq "lowered quota: use unchanged" "$quota_kb" "$(dma32_kb g1 used)"
r=$(agent $dom grab)
check_eq "lowered quota: nothing more granted" 0 "$(field granted "$r")"
held=$(field held "$r")
r=$(agent $dom release $((held - 2047)))
check_eq "frames given back lower use" $((2047 * 4 + used_before)) "$(dma32_kb g1 used)"
audit_dma32 "$dom" "after the guest gave frames back"
r=$(agent $dom grab)
check_eq "below the lowered quota again: granted up to it" $(((8192 - 2047 * 4 - used_before) / 4)) "$(field granted "$r")"

# Raise: the guest can take more, exactly up to the new quota.
check "xl dma32-quota-set g1 24" xl dma32-quota-set g1 24
used=$(dma32_kb g1 used)
r=$(agent $dom grab)
check_eq "raised quota: granted exactly the increase" $(((24576 - used) / 4)) "$(field granted "$r")"
check_eq "raised quota: use equals it" 24576 "$(dma32_kb g1 used)"
check "xl dma32-quota-set -f g1 0 (unlimited: lifting a quota needs -f)" xl dma32-quota-set -f g1 0
check "no quota: the xenstore key is gone" sh -c "! xenstore-read /local/domain/$dom/memory/dma32-quota"

check "xl destroy g1" xl_destroy g1
wait_info_back free_memory "$free_before" 30
check_eq "free memory back to its start value (MiB)" "$free_before" "$(xl_info_field free_memory)"
check_eq "free memory below 4 GiB back to its start value (MiB)" "$low_free_before" "$(xl_info_field dma32_free_memory)"

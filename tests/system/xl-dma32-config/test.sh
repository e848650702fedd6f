# Bad dma32_quota values are rejected by xl/libxl with a message naming the
# option, and nothing is created; admission refuses a quota that free memory
# below 4 GiB cannot meet, unless dma32_quota_overcommit is set.
# timeout: 600
. ../lib.sh

free_before=$(xl_info_field free_memory)
ndom_before=$(xl list | wc -l)
total_low=$(xl_info_field dma32_total_memory)
check "xl info shows memory below 4 GiB" test "$total_low" -gt 0 -a "$total_low" -le "$(xl_info_field total_memory)"

# rejects <label> <value> <expected message>
rejects() {
	guest_cfg bad 64 "dma32_quota = $2"
	out=$(xl create /tmp/bad.cfg 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && contains "$out" "$3"; then
		pass "dma32_quota = $2 rejected ($1)"
	else
		fail "dma32_quota = $2 rejected ($1)" "rc=$rc: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
	fi
}
rejects negative '"-5"' 'invalid dma32_quota "-5"'
rejects garbage '"abc"' 'invalid dma32_quota "abc"'
rejects "unknown suffix" '"12x"' 'invalid dma32_quota "12x"'
rejects fraction '"1.5G"' 'invalid dma32_quota "1.5G"'
rejects overflow '"99999999999999999999"' 'invalid dma32_quota "99999999999999999999"'
rejects "overflow after the unit" '"20000000000T"' 'invalid dma32_quota "20000000000T"'
rejects "larger than the host's memory below 4 GiB" "\"$((total_low + 1))M\"" "larger than this host's memory below 4GiB"
check_eq "nothing was created" "$ndom_before" "$(xl list | wc -l)"

# Admission: a quota takes its share of free memory below 4 GiB.
low_free=$(xl_info_field dma32_free_memory)
big=$((low_free - 64))
guest_cfg a 64 "dma32_quota = $big"
check "a guest with dma32_quota = $big (free below 4 GiB: $low_free MiB) is created" xl_create /tmp/a.cfg
guest_cfg b 64 "dma32_quota = 128"
out=$(xl create /tmp/b.cfg 2>&1)
rc=$?
echo "$out" | tail -n 3
check "a second guest whose quota cannot be met is refused" test $rc -ne 0
check "the refusal says what is free and what is promised" contains "$out" 'dma32_quota=131072kB cannot be met: [0-9]*kB of memory below 4GiB is free and [0-9]*kB of it is promised' 
check "the refused guest does not exist" sh -c "! xl list b"
guest_cfg b 64 "dma32_quota = 128" "dma32_quota_overcommit = 1"
check "dma32_quota_overcommit = 1 creates it anyway" xl_create /tmp/b.cfg
check_eq "its quota is still set" 131072 "$(dma32_kb b quota)"

# The runtime command rejects bad input too.
out=$(xl dma32-quota-set b abc 2>&1)
check "xl dma32-quota-set rejects garbage" contains "$out" 'invalid DMA32 quota "abc"' 
check "xl dma32-quota-set rejects an unknown domain" sh -c "! xl dma32-quota-set no-such-domain 8"
out=$(xl dma32-quota-set a $((big + 128)) 2>&1)
check "xl dma32-quota-set refuses a raise that cannot be met" contains "$out" 'cannot be met' 
check_eq "the refused raise changed nothing" $((big * 1024)) "$(dma32_kb a quota)"
check "xl dma32-quota-set -f raises it anyway" xl dma32-quota-set -f a $((big + 128))

xl_destroy a
xl_destroy b
wait_for 30 sh -c "[ \$(xl info | sed -n 's/^free_memory *: *//p') -ge $free_before ]"
check_eq "free memory back to its start value (MiB)" "$free_before" "$(xl_info_field free_memory)"

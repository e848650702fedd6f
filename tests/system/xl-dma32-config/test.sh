# Bad dma32_quota values are rejected by xl/libxl with a message naming the
# option, and nothing is created; admission refuses a quota that free memory
# below 4 GiB cannot meet, unless dma32_quota_overcommit is set.
# timeout: 240
# group: guests
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
rejects "a list" '[ 1, 2 ]' 'invalid dma32_quota: expected a single size'
guest_cfg bad 64 'dma32_quota_overcommit = "yes"'
out=$(xl create /tmp/bad.cfg 2>&1)
check "dma32_quota_overcommit = \"yes\" rejected" contains "$out" 'invalid dma32_quota_overcommit'
check_eq "nothing was created" "$ndom_before" "$(xl list | wc -l)"

# Sizes below or between pages round up to whole pages, never to "unlimited".
# odd_size <value> <expected kB>
odd_size() {
	guest_cfg odd 64 "dma32_quota = \"$1\""
	if xl create -p /tmp/odd.cfg >/tmp/odd.out 2>&1; then
		check_eq "dma32_quota = \"$1\" is $2 kB in Xen" "$2" "$(dma32_kb odd quota)"
		check_eq "dma32_quota = \"$1\" is $2 kB in xenstore" "$2" \
			"$(xenstore-read "/local/domain/$(xl domid odd)/memory/dma32-quota")"
		xl_destroy odd
	else
		fail "dma32_quota = \"$1\" creates a guest" "$(tail -n 2 /tmp/odd.out)"
	fi
}
odd_size 1k 4
# 2^64 - 2 kB and 2^64 - 3 kB once rounded up to whole pages wrapped to 0:
# unlimited.  They are larger than any host.
for v in 18446744073709551614k 18446744073709551613k; do
	guest_cfg huge 64 "dma32_quota = \"$v\""
	out=$(xl create -p /tmp/huge.cfg 2>&1)
	rc=$?
	check "dma32_quota = \"$v\" is refused" test $rc -ne 0
	check "... $v as larger than the host's memory below 4 GiB, or invalid" \
		contains "$out" 'larger than this host\|invalid dma32_quota'
	check "... $v: nothing was created" sh -c "! xl list huge"
done
odd_size 3k 4
odd_size 4k 4
odd_size 5k 8

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
# The overcommit goes with the guest: restored, it is admitted as it was
# created (else refused: a's promise still leaves too little).
# (once its kernel runs: a guest still booting cannot suspend)
check "b's kernel is up (its test agent answers)" wait_for 60 sh -c "xenstore-read /local/domain/\$(xl domid b)/data/agent/answer"
check "xl save b (overcommitted quota)" xl save b /tmp/b.save
check "xl restore b: admitted with its overcommit" xl restore /tmp/b.save
check_eq "the restored guest's quota is its own" 131072 "$(dma32_kb b quota)"
rm -f /tmp/b.save

# The runtime command rejects bad input too.
out=$(xl dma32-quota-set b abc 2>&1)
check "xl dma32-quota-set rejects garbage" contains "$out" 'invalid DMA32 quota "abc"' 
check "xl dma32-quota-set rejects an unknown domain" sh -c "! xl dma32-quota-set no-such-domain 8"
out=$(xl dma32-quota-set a $((big + 128)) 2>&1)
check "xl dma32-quota-set refuses a raise that cannot be met" contains "$out" 'cannot be met' 
check_eq "the refused raise changed nothing" $((big * 1024)) "$(dma32_kb a quota)"
# b's overcommitted quota leaves less unpromised than a's quota: lowering a's
# quota still needs no admission.
check "xl dma32-quota-set lowers a quota that admission would refuse" xl dma32-quota-set a $((big - 1))
check_eq "the lower quota is set" $(((big - 1) * 1024)) "$(dma32_kb a quota)"
check "xl dma32-quota-set -f raises it anyway" xl dma32-quota-set -f a $((big + 128))
out=$(xl dma32-quota-set b 3k 2>&1)
check_eq "xl dma32-quota-set rounds 3k up to a page" 4 "$(dma32_kb b quota)"
# No quota lets a guest take what the others were promised: lifting one is
# a raise past any admission, and needs -f.
out=$(xl dma32-quota-set b 0 2>&1)
check "xl dma32-quota-set refuses to lift a quota (0) without -f" contains "$out" 'needs overcommit'
check_eq "the refused lift changed nothing" 4 "$(dma32_kb b quota)"
check "xl dma32-quota-set -f lifts it" xl dma32-quota-set -f b 0
check_eq "b has no quota in Xen" 0 "$(dma32_kb b quota)"
check "nor in xenstore" sh -c "! xenstore-read /local/domain/$(xl domid b)/memory/dma32-quota"
# A first quota for a guest that had none is a new promise: admitted.
# (paused: a third guest running would share a CPU, docs/testbed.md)
guest_cfg c 64 "dma32_quota = 0"
check "a guest without a quota is created" xl create -p /tmp/c.cfg
out=$(xl dma32-quota-set c 128 2>&1)
check "xl dma32-quota-set refuses a first quota that cannot be met" contains "$out" 'cannot be met'
check_eq "the refused first quota changed nothing" 0 "$(dma32_kb c quota)"
xl_destroy c

xl_destroy a
xl_destroy b

# The host-wide default from xl.conf applies to guests without dma32_quota;
# a guest's own dma32_quota (0: no limit) wins.
cp /etc/xen/xl.conf /tmp/xl.conf.saved
echo 'dma32_quota = "48M"' >>/etc/xen/xl.conf
guest_cfg dflt 64
check "a guest without dma32_quota is created under xl.conf's default" xl create -p /tmp/dflt.cfg
check_eq "xl.conf's dma32_quota = \"48M\" is its quota" 49152 "$(dma32_kb dflt quota)"
xl_destroy dflt
guest_cfg own 64 "dma32_quota = 0"
check "a guest with dma32_quota = 0 is created" xl create -p /tmp/own.cfg
check_eq "its own dma32_quota = 0 (no limit) wins over the default" 0 "$(dma32_kb own quota)"
xl_destroy own
echo 'dma32_quota = "abc"' >>/etc/xen/xl.conf
out=$(xl list 2>&1)
rc=$?
check "a bad dma32_quota in xl.conf is an error" test $rc -ne 0
check "the error names the option" contains "$out" 'invalid dma32_quota'
cp /tmp/xl.conf.saved /etc/xen/xl.conf

# Admission holds under concurrency: two guests created at once whose quotas
# each fit what is free and unpromised below 4 GiB, but not both together.
avail=$(($(xl_info_field dma32_free_memory) - $(promised_mib)))
q=$((avail * 3 / 5))
guest_cfg c1 64 "dma32_quota = $q"
guest_cfg c2 64 "dma32_quota = $q"
xl create -p /tmp/c1.cfg >/tmp/c1.out 2>&1 &
p1=$!
xl create -p /tmp/c2.cfg >/tmp/c2.out 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
created=0
for d in c1 c2; do xl domid $d >/dev/null 2>&1 && created=$((created + 1)); done
check_eq "of two concurrent guests with dma32_quota = $q (free, unpromised: $avail MiB), one is created" 1 "$created"
check "the other is refused as 'cannot be met'" sh -c "[ $((r1 + r2)) -ne 0 ] && cat /tmp/c1.out /tmp/c2.out | grep -q 'cannot be met'"
for d in c1 c2; do xl domid $d >/dev/null 2>&1 && xl_destroy $d; done
wait_info_back free_memory "$free_before" 30
check_eq "free memory back to its start value (MiB)" "$free_before" "$(xl_info_field free_memory)"

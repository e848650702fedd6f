# Xen v3 issue, hole 4: a guest fills its DMA32 quota with frames below
# 4 GiB and grants them to another domain, which maps them (here dom0 with
# gnt-hold, as a colluding guest would with its own grant mappings).  When
# the guest reboots, its old domain cannot be freed while the mapping
# lasts: it stays a dying domain that holds those frames.  xl restarts the
# guest under the same UUID, and a new instance with a fresh quota would
# take that much again at every reboot.  libxl refuses a quota to a domain
# while such an earlier instance holds memory below 4 GiB; xl waits up to
# 10 s for it before a restart.
# 2 reboot cycles (guest-quota-reboot-long, in make test-release: 10):
#   - odd cycles keep the mapping across the reboot: the restart is refused
#     with libxl's message in xl's log, no new instance runs, the dying
#     domain holds no more than the quota; once the mapping goes, the
#     dying domain goes and the guest is created again;
#   - even cycles drop the mapping while xl waits: the restart goes
#     ahead.
# After each reboot, should a new instance run, it takes its whole quota
# too: the memory below 4 GiB all of the guest's instances hold must stay
# within one quota.  A leak check at the end.
# timeout: 300
# group: guests
. ../lib.sh

quota_mib=4
quota_pages=$((quota_mib * 256))
cycles=${cycles:-2}
leak_baseline

# used_pages <domid>: pages below 4 GiB Xen counts for the domain, also
# while it is dying; 0 once it is gone
used_pages() {
	if _o=$(test-dma32-quota use "$1" 2>&1); then
		_u=${_o#* used }
		echo "${_u%% *}"
	else
		case $_o in *"No such process"*) echo 0 ;; *) echo "?($_o)" ;; esac
	fi
}

# dying <domid>: xl list shows the domain as dying
dying() { xl list | awk -v d="$1" '$2 == d && $5 ~ /d/ {f = 1} END {exit !f}'; }

# gone <domid>: xl list no longer shows the domain
gone() { xl list | awk -v d="$1" '$2 == d {f = 1} END {exit f}'; }

# ready: the guest's current instance, once its agent answers
ready() {
	wait_for 120 sh -c "d=\$(xl domid rb) && [ \"\$d\" != \"$1\" ] && xenstore-read /local/domain/\$d/data/agent/answer" &&
		xl domid rb
}

# fill <domid> <when>: the guest takes its whole quota below 4 GiB
fill() {
	_r=$(agent "$1" grab)
	check_eq "$2: the guest's use reaches its quota (pages), every frame below 4 GiB" \
		"$quota_pages 0" "$(used_pages "$1") $(field bad "$_r")"
}

guest_cfg rb 128 "dma32_quota = $quota_mib" 'on_reboot = "restart"'
check "xl create rb (dma32_quota = $quota_mib)" xl_create /tmp/rb.cfg
dom=$(ready none)

c=1
while [ $c -le "$cycles" ]; do
	fill "$dom" "cycle $c"
	refs=$(agent "$dom" grant 0)
	rm -f /tmp/gnt-hold.out
	gnt-hold "$dom" "$refs" >/tmp/gnt-hold.out 2>&1 &
	hold=$!
	check "cycle $c: dom0 maps the guest's granted frames (refs $refs)" \
		wait_for 30 grep -q '^mapped' /tmp/gnt-hold.out
	mapped=$(awk '/^mapped/ {print $2}' /tmp/gnt-hold.out)
	old=$dom
	check "cycle $c: xl reboot rb" xl reboot rb
	check "cycle $c: the old domain is dying" wait_for 60 dying "$old"
	if [ $((c % 2)) = 1 ]; then
		# the mapping stays: no second quota for the guest
		check "cycle $c: the restart is refused with libxl's message in xl's log" \
			wait_for 60 grep -q 'not started again' /var/log/xen/xl-rb.log
		grep 'not started again' /var/log/xen/xl-rb.log | tail -n 1
		# libxl destroys the domain it made for the refused restart
		check "cycle $c: no new instance runs" \
			wait_for 30 sh -c '! xl domid rb >/dev/null 2>&1'
		new=$(xl domid rb 2>/dev/null)
	else
		# the mapping goes while xl waits: the restart goes ahead
		check "cycle $c: xl waits for the earlier instance before the restart" \
			wait_for 30 grep -q 'waiting up to 10s' /var/log/xen/xl-rb.log
		kill $hold
		wait $hold 2>/dev/null
		check "cycle $c: the guest comes back once the mapping is gone" ready "$old" >/dev/null
		new=$(xl domid rb 2>/dev/null)
	fi
	if [ -n "$new" ]; then
		# a new instance takes its whole quota as the old one did
		new=$(ready "$old")
		agent "$new" grab >/dev/null
	fi
	held_old=$(used_pages "$old")
	held_new=$([ -n "$new" ] && used_pages "$new" || echo 0)
	check "cycle $c: the guest's instances hold no more than one quota below 4 GiB ($held_old + $held_new pages, quota $quota_pages, $mapped mapped by dom0)" \
		test $((held_old + held_new)) -le $quota_pages
	report_text "cycle $c: dying instance $old holds $held_old pages below 4 GiB, new instance ${new:-none} $held_new, quota $quota_pages"
	kill $hold 2>/dev/null
	wait $hold 2>/dev/null
	check "cycle $c: the dying domain goes once nothing maps its memory" \
		wait_for 60 gone "$old"
	if [ -z "$new" ]; then
		check "cycle $c: rb created again" xl_create /tmp/rb.cfg
		new=$(ready "$old")
	fi
	dom=$new
	c=$((c + 1))
done

check "xl destroy rb" xl_destroy rb
leak_check "after $cycles reboot cycles"

# Helpers for scenario scripts running inside dom0 (tests/system/lib.sh in
# the initramfs).  Results go to the results channel, QEMU's second serial
# port (/dev/ttyS1, opened by dom0's init), and are counted for the end
# marker; docs/testbed.md, "Result protocol", describes both ends.
# shellcheck shell=sh

XTEST_CHANNEL=${XTEST_CHANNEL:-/dev/ttyS1}
XTEST_COUNTS=${XTEST_COUNTS:-/tmp/xtest}
XTEST_TESTS=${XTEST_TESTS:-/tests}
mkdir -p "$XTEST_COUNTS"

# result <line>: one line on the results channel, and on the console for
# people reading the serial log
result() {
	printf '%s\n' "$1" >>"$XTEST_CHANNEL"
	printf '%s\n' "$1"
}

# count <kind>: one more of pass, fail, ktap, shots (for the end marker)
count() { echo >>"$XTEST_COUNTS/$1"; }
counted() { [ -f "$XTEST_COUNTS/$1" ] && wc -l <"$XTEST_COUNTS/$1" || echo 0; }

pass() {
	count pass
	result "XTEST-PASS: $1"
}
skip() {
	count skip
	result "XTEST-SKIP: $1${2:+: $2}"
}
fail() {
	count fail
	result "XTEST-FAIL: $1${2:+: $2}"
}

# Under TCG with SVM offered, dom0 processes started while guests ran died now
# and then at their first TLS access (docs/testbed.md; the test bed now masks
# SVM and gives every domain its own CPU).  Commands whose results we measure
# are still rerun, at most twice, when they die by a signal, so that the rest
# of the scenario can tell what it checks; but every rerun is a failure of the
# scenario (XTEST-RERUN), never a silent pass.  A wrong result is never rerun.
# rerun <empty-too> <command...>: run the command, rerun it at most twice if
# it died by a signal or, with empty-too=1, printed nothing; print its output
# (stderr too unless empty-too) and return its status.
rerun() {
	_empty=$1
	shift
	_try=0
	while :; do
		if [ "$_empty" = 1 ]; then _out=$("$@" 2>/dev/null); else _out=$("$@" 2>&1); fi
		_rc=$?
		{ [ $_rc -ge 128 ] || { [ "$_empty" = 1 ] && [ -z "$_out" ]; }; } &&
			[ $_try -lt 2 ] || break
		_try=$((_try + 1))
		count fail
		result "XTEST-RERUN: '$*' died or printed nothing (rc $_rc); rerun $_try" >&2
	done
	printf '%s\n' "$_out"
	return $_rc
}

# measure <command...>: for read-only commands that print a value; a
# pipeline whose member crashed shows up as an empty result.
measure() { rerun 1 "$@"; }

# xl_create <cfg>: xl create, once (a checked command is never rerun), then
# the test bed's rule checked: no CPU that two domains may both run on
# (next_guest_cpu says why); a breach is a failure of the scenario, whatever
# the command's own check says
xl_create() {
	xl create "$1" 2>&1 || return
	_sh=$(cpus_shared)
	[ -z "$_sh" ] || fail "test bed: every domain runs on CPUs of its own (docs/testbed.md)" \
		"after xl create $1, CPU and the domains sharing it: $(echo "$_sh" | tr '\n' ';')"
}

# xl_create_int3 <cfg> <name>: xl create, and once more if the guest's
# kernel died of the emulator's int3 while booting (QEMU TCG, several vCPUs,
# kernel text patching: docs/testbed.md), saying so; the failed console is
# kept as /var/log/xen/console/int3/<name>.log.  Any other death, or a
# second one, is the guest's console check's to fail.
xl_create_int3() {
	xl_create "$1" || return
	_log=/var/log/xen/console/guest-$2.log
	wait_for 120 grep -qE "GUEST-UP name=$2 |Oops: int3" "$_log"
	grep -q 'Oops: int3' "$_log" || return 0
	xl destroy "$2" 2>&1
	wait_for 30 sh -c "! xl domid $2 >/dev/null 2>&1"
	mkdir -p /var/log/xen/console/int3
	mv "$_log" "/var/log/xen/console/int3/$2.log"
	report_text "WARNING: guest $2 died of the emulator's int3 while booting (console kept as /var/log/xen/console/int3/$2.log); created again"
	xl_create "$1"
}

# xl_destroy <name>: xl destroy, after checking that the guest did not
# crash (guests are on_crash="preserve": a crashed one stays to be seen);
# redone (at most twice, each a failure) while the domain is still there.
xl_destroy() {
	guest_alive "$1" || return 1
	_try=0
	while :; do
		_out=$(xl destroy "$1" 2>&1)
		_rc=$?
		xl domid "$1" >/dev/null 2>&1 && [ $_try -lt 2 ] || break
		_try=$((_try + 1))
		count fail
		result "XTEST-RERUN: 'xl destroy $1' left the domain (rc $_rc); rerun $_try" >&2
	done
	printf '%s\n' "$_out"
	! xl domid "$1" >/dev/null 2>&1
}

# guest_alive <name>: the guest exists and has not crashed or shut down
# (one check when it has; its console's end is printed)
guest_alive() {
	_st=$(xl list "$1" 2>/dev/null | awk 'NR == 2 {print $5}')
	case $_st in
	'') return 0 ;; # gone already: xl destroy says so
	*c* | *s*)
		tail -n 30 "/var/log/xen/console/guest-$1.log" 2>/dev/null | guest_excerpt "$1"
		fail "$1 was running until destroyed" "state $_st"
		return 1
		;;
	esac
}

# check <description> <command...>: pass when the command succeeds.
check() {
	_d=$1
	shift
	if _o=$("$@" 2>&1); then pass "$_d"; else fail "$_d" "$(echo "$_o" | tail -n 3 | tr '\n' ' ')"; fi
}

# checks_of <program> [args...]: run a test program whose PASS:/FAIL:/SKIP:
# lines become this scenario's checks (other lines are printed), and check
# its exit status.
checks_of() {
	"$@" >/tmp/checks_of.out 2>&1
	_rc=$?
	while IFS= read -r _line; do
		case $_line in
		"PASS: "*) pass "${_line#PASS: }" ;;
		"FAIL: "*) fail "${_line#FAIL: }" ;;
		"SKIP: "*) skip "${_line#SKIP: }" ;;
		*) echo "$_line" ;;
		esac
	done </tmp/checks_of.out
	check_eq "$1 exit status" 0 "$_rc"
}

# check_eq <description> <expected> <actual>
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected '$2', got '$3'"; fi
}

# wait_for <seconds> <command...>: poll until the command succeeds.
wait_for() {
	_t=$1
	shift
	while [ "$_t" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 1
		_t=$((_t - 1))
	done
	return 1
}

# xl_info_field <field>: one value of 'xl info'.
xl_info_field() {
	measure sh -c "xl info | sed -n 's/^$1[[:space:]]*: *//p'"
}

# wait_info_back <field> <MiB> <seconds>: until xl info's field (free_memory,
# dma32_free_memory) is back to at least that value
wait_info_back() {
	wait_for "$3" sh -c "[ \$(xl info | sed -n 's/^$1 *: *//p') -ge $2 ]"
}

# ktap <suite>: a KUnit suite's results, for the host to parse with Linux's
# own KTAP parser; a suite that is not registered is a failure.
ktap() {
	_r=/sys/kernel/debug/kunit/$1/results
	if [ ! -r "$_r" ]; then
		fail "KUnit suite $1 is registered" "no $_r"
		return
	fi
	count ktap
	{
		echo "XTEST-KTAP-BEGIN $1"
		cat "$_r"
		echo "XTEST-KTAP-END $1"
	} >>"$XTEST_CHANNEL"
}

# nr_cpus: Xen's CPU count (asked once a boot: xl info is slow under TCG)
nr_cpus() {
	[ -s /tmp/nr_cpus ] || xl_info_field nr_cpus >/tmp/nr_cpus
	cat /tmp/nr_cpus
}

# cpus_in_use: "<cpu> <domid>" for each CPU in the hard affinity of each
# running domain's vCPUs (xl vcpu-list: "all", "2", "1-3", "1,3")
cpus_in_use() {
	xl vcpu-list | awk -v n="$(nr_cpus)" 'NR > 1 {
		m = split($7 == "all" ? "0-" (n - 1) : $7, r, ",")
		for (i = 1; i <= m; i++) {
			if (split(r[i], b, "-") == 1) b[2] = b[1]
			for (c = b[1]; c <= b[2]; c++) print c, $2
		}
	}' | sort -u
}

# free_guest_cpus: the CPUs no running domain may use, dom0's CPU 0 aside
free_guest_cpus() {
	cpus_in_use >/tmp/cpus.used
	_c=1
	_nc=$(nr_cpus)
	while [ "$_c" -lt "$_nc" ]; do
		grep -q "^$_c " /tmp/cpus.used || echo "$_c"
		_c=$((_c + 1))
	done
}

# next_guest_cpu: a CPU of its own for the next guest, the first that no
# running domain may use: under QEMU TCG a PV vCPU that Xen switches out
# for another domain's on one CPU now and then loses its FS base and its
# process dies (docs/testbed.md).  When every CPU is taken, CPU 1, which
# xl_create's check then reports.
next_guest_cpu() {
	_f=$(free_guest_cpus | head -n 1)
	echo "${_f:-1}"
}

# cpus_shared: CPUs that the hard affinities of two running domains share,
# one "cpu domid domid..." line each (none is the test bed's rule)
cpus_shared() {
	cpus_in_use | awk '{ d[$1] = d[$1] " " $2; n[$1]++ }
		END { for (c in n) if (n[c] > 1) print c d[c] }'
}

# driver_of <pci device>: the driver bound to it in dom0
driver_of() { basename "$(readlink "/sys/bus/pci/devices/$1/driver")"; }
# driver_is <pci device> <driver>: is that driver bound to it in dom0?  (for
# wait_for: a shell function, which "sh -c" would not know)
driver_is() { [ "$(driver_of "$1")" = "$2" ]; }

# slab_debug: dom0's slub_debug= option (scripts/boot.sh), for its guests
slab_debug() {
	for _o in $(cat /proc/cmdline); do
		case $_o in slub_debug=*) printf ' %s' "$_o" ;; esac
	done
}

# guest_cfg <name> <memory MiB> [cfg lines...]: a PV guest config (test bed
# kernel, guest initramfs with the test agent) written to /tmp/<name>.cfg;
# GUEST_EXTRA adds to the guest's command line; GUEST_VCPUS=<n> gives it n vCPUs;
# GUEST_CPUS=<list> its CPUs (else CPUs no other domain uses).
guest_cfg() {
	_n=$1
	_m=$2
	shift 2
	{
		echo "name = \"$_n\""
		echo 'type = "pv"'
		echo 'kernel = "/boot/vmlinuz"'
		echo 'ramdisk = "/boot/guest-initrd.gz"'
		# print-fatal-signals: a user process killed by a fault shows
		# its registers on the console (what it read, for the report)
		echo "extra = \"console=hvc0 xtest.nodisplay xtest.agent print-fatal-signals=1$(slab_debug)${GUEST_EXTRA:+ $GUEST_EXTRA}\""
		echo "memory = $_m"
		if [ "${GUEST_VCPUS:-1}" = 1 ]; then
			echo 'vcpus = 1'
			echo "cpus = \"${GUEST_CPUS:-$(next_guest_cpu)}\""
		else
			# several vCPUs: the CPUs no other domain uses
			# (GUEST_CPUS=<list> chooses them)
			_fc=$(free_guest_cpus | paste -sd,)
			echo "vcpus = $GUEST_VCPUS"
			echo "cpus = \"${GUEST_CPUS:-${_fc:-1}}\""
		fi
		echo 'on_crash = "preserve"'
		for _l in "$@"; do echo "$_l"; done
	} >"/tmp/$_n.cfg"
}

# agent <domid> <command...>: run a command in the guest's test agent
# (initramfs/guest-agent) and print its answer.
# Request and answer are one xenstore value each, numbered: "<n> <text>".
# The number is new in this dom0 (kept here, never read back from xenstore),
# so that an earlier answer is never taken for this one's, and a command is
# never paired with another's number.
agent() {
	_p=/local/domain/$1/data/agent
	shift
	wait_for 60 xenstore-read "$_p/answer" || { echo "agent not running"; return 1; }
	_seq=$(($(cat /tmp/agent.seq 2>/dev/null || echo 0) + 1))
	echo $_seq >/tmp/agent.seq
	rerun 0 xenstore-write "$_p/request" "$_seq $*" >/dev/null
	wait_for 300 sh -c "case \"\$(xenstore-read $_p/answer)\" in '$_seq' | '$_seq '*) ;; *) exit 1 ;; esac" ||
		{ echo "agent timeout"; return 1; }
	_a=$(xenstore-read "$_p/answer")
	_a=${_a#"$_seq"}
	echo "${_a# }"
}

# field <name> <text>: the value of name=value in text (no subprocess).
field() {
	for _kv in $2; do
		case $_kv in "$1="*) echo "${_kv#*=}"; return ;; esac
	done
}

# dma32_kb <domain> quota|used: from 'xl list -l', parsed by the shell
# itself (one process fewer per measurement, see docs/testbed.md).
dma32_kb() {
	measure dma32_kb_once "$@"
}

# MiB below 4 GiB promised to guests' quotas and not yet used by them
promised_mib() {
	xl list -l | tr -d ' \n' | grep -o '"quota_kb":[0-9]*,"used_kb":[0-9]*' |
		awk -F'[:,]' '$2 > $4 { p += $2 - $4 } END { print int((p + 1023) / 1024) }'
}

dma32_kb_once() {
	_j=$(xl list -l "$1") || return
	case $_j in *"\"$2_kb\": "[0-9]*) ;; *) return 1 ;; esac
	_v=${_j##*\"$2_kb\": }
	echo "${_v%%[!0-9]*}"
}

# contains <text> <pattern>: does the text match the (basic regex) pattern?
contains() { printf '%s\n' "$1" | grep -q -- "$2"; }

# audit_dma32 <domid> <when>: Xen's DMA32 counter of a domain against its
# audit (test-dma32-quota audit), as one check.  Only debug hypervisors have
# the audit: a boot of a release one (the packages', tests/packages.sh) says
# so on dom0's command line and the check is skipped.
audit_dma32() {
	if grep -qw 'xtest.xen=release' /proc/cmdline; then
		skip "DMA32 counter matches the audit $2" "a release hypervisor has no audit"
		return
	fi
	_o=$(test-dma32-quota audit "$1" 2>&1)
	if [ $? -eq 0 ]; then
		pass "DMA32 counter matches the audit $2"
	else
		fail "DMA32 counter matches the audit $2" "$(echo "$_o" | head -n 2 | tr '\n' ' ')"
	fi
}

# screenshot [<QEMU display device id> <label> [<picture>]]: ask the host to
# save that display (default: the first) as
# build/logs/system-<scenario>[-<label>].png and wait for its answer, so that
# nothing changes the display before it is taken.  The host checks that the
# picture is not blank and, given a <picture> (tests/screen-check.py: smpte:...
# or dumb:...), that it shows that; no answer is a failure.
screenshot() {
	count shots
	_n=$(counted shots)
	result "XTEST-SCREENSHOT $_n ${1:--} ${2:--}${3:+ $3}"
	_end=$(($(cut -d. -f1 /proc/uptime) + 120))
	while [ "$(cut -d. -f1 /proc/uptime)" -lt $_end ]; do
		IFS= read -r -t 5 _l <&9 || continue
		case $_l in "XTEST-SCREENSHOT-DONE $_n "*) return 0 ;; esac
	done
	fail "the host took screenshot $_n (${2:-display})" "no answer in 120 s"
}

# peak_use_while_running <guest> <domid> <seconds>: sample the guest's use
# below 4 GiB (kB, xl list -l) while its workload runs, at most that long
# (then its console is shown); prints "<largest use> <samples taken>"
peak_use_while_running() {
	_peak=0
	_n=0
	_end=$(($(cut -d. -f1 /proc/uptime) + $3))
	while [ "$(agent "$2" workload-result)" = running ]; do
		if [ "$(cut -d. -f1 /proc/uptime)" -ge $_end ]; then
			tail -n 40 "/var/log/xen/console/guest-$1.log" | guest_excerpt "$1" >&2
			break
		fi
		_u=$(dma32_kb "$1" used)
		[ -n "$_u" ] || continue
		_n=$((_n + 1))
		[ "$_u" -gt "$_peak" ] && _peak=$_u
	done
	echo "$_peak $_n"
}

# report <what> <quota kB> <peak use kB> <pages evicted> <failed> <free below
# 4 GiB before, MiB> <after, MiB>: one line of the DMA32 report
# (build/logs/dma32-report.txt)
report() {
	result "XTEST-REPORT: $1: quota $2 kB, peak use $3 kB, ${4:-?} buffers swapped in after eviction, failed $5, free below 4 GiB $6 -> $7 MiB"
}

# report_text <text>: a figure in words for the summary
report_text() { result "XTEST-REPORT: $1"; }

# check_guest_kernel <name>: no OOM kill, BUG, WARNING, oops or fault in
# the guest's console log, as one check (what was found is printed): the
# lines tests/failure-patterns names, sysfs's "duplicate filename" among them.
check_guest_kernel() {
	_log=/var/log/xen/console/guest-$1.log
	if [ ! -s "$_log" ]; then
		fail "$1's kernel ran with no OOM kill, BUG or WARNING" "no console log $_log"
		return
	fi
	_t=$(bad_lines "$_log")
	if [ -z "$_t" ]; then
		pass "$1's kernel ran with no OOM kill, BUG or WARNING"
	else
		echo "$_t" | guest_excerpt "$1"
		fail "$1's kernel ran with no OOM kill, BUG or WARNING" "$(echo "$_t" | head -n 1)"
	fi
}

# guest_excerpt <name>: lines of a guest's console copied to dom0's, marked
# (the host reads dom0's console for dom0's own reports, not the guests')
guest_excerpt() { sed "s/^/GUEST-LOG $1| /"; }

# bad_lines <file>: the lines of a console log that tests/failure-patterns
# names (what the host looks for in dom0's console, here for guests'),
# less those tests/allowed-reports allows
bad_lines() {
	grep -avE '^(#|$)' "$XTEST_TESTS/failure-patterns" >/tmp/xtest-patterns
	_a=$(grep -avE '^(#|$)' "$XTEST_TESTS/allowed-reports" 2>/dev/null)
	if [ -n "$_a" ]; then
		printf '%s\n' "$_a" >/tmp/xtest-allowed
		grep -aE -f /tmp/xtest-patterns "$1" | grep -avE -f /tmp/xtest-allowed
	else
		grep -aE -f /tmp/xtest-patterns "$1"
	fi
}

# dom0_balloon_settle: dom0 back at its balloon target.  dom0 lends Xen a
# few pages while it maps a guest's rings (ballooned pages); when Xen has no
# free memory to give them back, Linux's balloon worker gives up after four
# retries (drivers/xen/balloon.c, max_retry_count) and dom0 stays short.
# Writing the target again restarts it.  Prints how many kB dom0 was short.
dom0_balloon_settle() {
	_bd=/sys/devices/system/xen_memory/xen_memory0
	_short=$(($(cat $_bd/target_kb) - $(cat $_bd/info/current_kb)))
	[ "$_short" -le 0 ] || cat $_bd/target_kb >$_bd/target_kb
	wait_for 60 sh -c "[ \$(cat $_bd/info/current_kb) -eq \$(cat $_bd/target_kb) ]"
	echo "$_short"
}

# warm_up_xen: the first time guests run, Xen allocates a few pages for good
# (measured with 'xl debug-keys m' on the test bed: 12 kB over the first
# guests on the guest CPUs, none after).  One guest whose vCPUs all ran, on
# every guest CPU, destroyed before the scenario starts, makes Xen's free
# memory a baseline the scenarios can compare with exactly.
warm_up_xen() {
	_wn=$(($(nr_cpus) - 1))
	[ "$_wn" -ge 2 ] || _wn=1
	GUEST_VCPUS=$_wn guest_cfg xtest-warm-up 64
	xl create -q /tmp/xtest-warm-up.cfg >/dev/null 2>&1 || {
		echo "XTEST-FATAL: the warm-up guest was not created"
		return 1
	}
	wait_for 120 sh -c "[ \$(xl vcpu-list xtest-warm-up | awk 'NR > 1 && \$6 > 0' | wc -l) -eq $_wn ]" ||
		echo "XTEST-FATAL: the warm-up guest's $_wn vCPUs did not all run"
	xl destroy xtest-warm-up
	wait_for 30 sh -c '! xl domid xtest-warm-up' || echo "XTEST-FATAL: the warm-up guest is still there"
	# Xen frees a destroyed domain's own structures after an RCU grace
	# period: the baseline is taken once free memory no longer moves.
	_f=$(test-dma32-quota free)
	_same=0
	_i=0
	while [ "$_same" -lt 3 ] && [ "$_i" -lt 60 ]; do
		sleep 1
		_f2=$(test-dma32-quota free)
		if [ "$_f2" = "$_f" ]; then _same=$((_same + 1)); else _same=0; fi
		_f=$_f2
		_i=$((_i + 1))
	done
	rm -f /var/log/xen/console/guest-xtest-warm-up.log
}

# check_guest_logs: every guest console log of this boot, checked once at the
# scenario's end (dom0's init calls it), so no scenario can forget one
check_guest_logs() {
	for _log in /var/log/xen/console/guest-*.log; do
		[ -f "$_log" ] || continue
		_g=${_log##*/guest-}
		_g=${_g%.log}
		_t=$(bad_lines "$_log" | head -n 1)
		if [ -n "$_t" ]; then
			# the report, what led to it and what follows it (the
			# trace), for the host's log
			grep -aF -B 30 -A 40 -- "$_t" "$_log" | head -n 71 | guest_excerpt "$_g"
			fail "guest $_g's console at the end of the scenario is free of crash and debug reports" "$_t"
		fi
	done
}

# A leak check in the spirit of OSSTest's ts-leak-check: leak_baseline
# records what dom0 and Xen hold before a scenario's guests, leak_check
# <when> compares after they are gone: domains, xenstore entries under
# /local/domain and /vm, the toolstack's processes (xl, xen*, qemu*,
# libxl*), files under /var/run/xen and /var/lib/xen (but xl's host-wide
# quota lock, kept by design), Xen's free memory and free memory below
# 4 GiB.
leak_state() {
	echo "domains: $(xl list | awk 'NR > 1 { print $1 }' | sort | tr '\n' ' ')"
	echo "xenstore /local/domain: $(xenstore-list /local/domain | sort -n | tr '\n' ' ')"
	echo "xenstore /vm: $(xenstore-list /vm 2>/dev/null | sort | tr '\n' ' ')"
	echo "processes: $(ps -o comm | grep -E '^(xl|xen|qemu|libxl)' | sort | tr '\n' ' ')"
	echo "files: $(find /var/run/xen /var/lib/xen -type f ! -name dma32-quota.lock 2>/dev/null | sort | tr '\n' ' ')"
}

leak_baseline() {
	leak_state >/tmp/leak.base
	LEAK_FREE=$(xl_info_field free_memory)
	LEAK_LOW=$(xl_info_field dma32_free_memory)
}

leak_check() {
	wait_info_back free_memory "$LEAK_FREE" 30
	leak_state >/tmp/leak.now
	while IFS= read -r _l; do
		_what=${_l%%:*}
		_was=$(grep "^$_what:" /tmp/leak.base)
		check_eq "nothing left behind $1: $_what" "$_was" "$_l"
	done </tmp/leak.now
	_free=$(xl_info_field free_memory)
	_low=$(xl_info_field dma32_free_memory)
	check_eq "Xen's free memory back to its start value $1 (MiB)" "$LEAK_FREE" "$_free"
	check_eq "free memory below 4 GiB back to its start value $1 (MiB)" "$LEAK_LOW" "$_low"
	report_text "leak check $1: free $_free MiB (start $LEAK_FREE), free below 4 GiB $_low MiB (start $LEAK_LOW)"
}

# check_quota_held <guest> <quota kB> <when>: dom0's view of a guest's DMA32
# quota: in force in Xen (xl list -l), published in the guest's xenstore
# area (memory/dma32-quota), use within it, the same figures in xentop's
# columns, and Xen's count matching its audit.  The test bed's scenarios
# and OSSTest's ts-xen-ttm-dma32 step (tests/osstest) run these checks.
check_quota_held() {
	_dom=$(xl domid "$1")
	check_eq "$3: $1's quota is in force ($2 kB)" "$2" "$(dma32_kb "$1" quota)"
	check_eq "$3: $1's quota is in its xenstore area" "$2" \
		"$(xenstore-read /local/domain/$_dom/memory/dma32-quota 2>&1)"
	_used=$(dma32_kb "$1" used)
	check "$3: $1's use (${_used} kB) within the quota" test "${_used:-x}" -le "$2"
	xentop_beside_xl "$1"
	check_eq "$3: xentop shows $1's use and quota as xl list -l does (kB)" \
		"$_xl_used $2" "$_xentop"
	audit_dma32 "$_dom" "$3"
}

# xentop_beside_xl <guest>: xentop's DMA32 columns (_xentop) and the use xl
# list -l reads just before and after (_xl_used).  A guest whose workload
# still runs changes its use between two tools' samples, so the pair is
# taken again (up to 20 times) until xl reads the same use on both sides.
xentop_beside_xl() {
	_try=0
	while [ $_try -lt 20 ]; do
		_xl_used=$(dma32_kb "$1" used)
		_xentop=$(xentop_dma32 "$1")
		[ "$(dma32_kb "$1" used)" = "$_xl_used" ] && return
		_try=$((_try + 1))
	done
	_xl_used="(never the same twice in 20 tries)"
}

# xentop_dma32 <guest>: the guest's DMA32(k) and DMA32Q(k) columns in
# xentop's batch output
xentop_dma32() {
	xentop -b -i 1 -f | awk -v g="$1" '
		$1 == "NAME" { for (i = 1; i <= NF; i++) c[$i] = i }
		$1 == g && c["DMA32(k)"] { print $c["DMA32(k)"], $c["DMA32Q(k)"]; exit }'
}

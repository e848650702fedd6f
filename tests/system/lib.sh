# Helpers for scenario scripts running inside dom0 (copied to /tests/lib.sh).
# Each check prints one XTEST-PASS / XTEST-FAIL line read by tests/run-scenario.sh.
# shellcheck shell=sh

pass() { echo "XTEST-PASS: $1"; }
fail() { echo "XTEST-FAIL: $1${2:+: $2}"; }

# Under TCG with SVM offered, dom0 processes started while guests ran died now
# and then at their first TLS access (docs/testbed.md; the test bed now masks
# SVM).  As a second line of defence, commands whose results we measure are
# rerun, at most twice, when they die by a signal; a wrong result is never
# retried.  Every rerun is reported.
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
		echo "XTEST-NOTE: '$*' died or printed nothing (rc $_rc); rerun $_try" >&2
	done
	printf '%s\n' "$_out"
	return $_rc
}

# measure <command...>: for read-only commands that print a value; a
# pipeline whose member crashed shows up as an empty result.
measure() { rerun 1 "$@"; }

# xl_create <cfg>: xl create; if xl died by a signal, destroy what it left
# half made and create again (at most twice).
xl_create() {
	_name=$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$1")
	_try=0
	while :; do
		_out=$(xl create "$1" 2>&1)
		_rc=$?
		[ $_rc -ge 128 ] && [ $_try -lt 2 ] || break
		_try=$((_try + 1))
		echo "XTEST-NOTE: 'xl create $1' died by signal $((_rc - 128)); destroying $_name, rerun $_try" >&2
		xl destroy "$_name" >/dev/null 2>&1
	done
	printf '%s\n' "$_out"
	return $_rc
}

# xl_destroy <name>: xl destroy, redone (at most twice) while the domain is
# still there after xl died.
xl_destroy() {
	_try=0
	while :; do
		_out=$(xl destroy "$1" 2>&1)
		_rc=$?
		xl domid "$1" >/dev/null 2>&1 && [ $_try -lt 2 ] || break
		_try=$((_try + 1))
		echo "XTEST-NOTE: 'xl destroy $1' left the domain (rc $_rc); rerun $_try" >&2
	done
	printf '%s\n' "$_out"
	! xl domid "$1" >/dev/null 2>&1
}

# check <description> <command...>: pass when the command succeeds.
check() {
	_d=$1
	shift
	if _o=$("$@" 2>&1); then pass "$_d"; else fail "$_d" "$(echo "$_o" | tail -n 3 | tr '\n' ' ')"; fi
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

# ktap <suite>: print a KUnit suite's results for the host to parse.
ktap() {
	echo "XTEST-KTAP-BEGIN $1"
	cat "/sys/kernel/debug/kunit/$1/results"
	echo "XTEST-KTAP-END $1"
}

# next_guest_cpu: CPU for the next guest: CPU 0 is dom0's own, the others
# are given out in turn (scripts/boot.sh says why)
next_guest_cpu() {
	_cpus=$(cat /tmp/nr_cpus 2>/dev/null) || {
		_cpus=$(xl_info_field nr_cpus)
		echo "$_cpus" >/tmp/nr_cpus
	}
	_n=$(cat /tmp/guest.n 2>/dev/null || echo 0)
	echo $((_n + 1)) >/tmp/guest.n
	[ "$_cpus" -gt 1 ] 2>/dev/null || { echo 0; return; }
	echo $((1 + _n % (_cpus - 1)))
}

# guest_cfg <name> <memory MiB> [cfg lines...]: a PV guest config (test bed
# kernel, guest initramfs with the test agent) written to /tmp/<name>.cfg;
# GUEST_EXTRA adds to the guest's command line.
guest_cfg() {
	_n=$1
	_m=$2
	shift 2
	{
		echo "name = \"$_n\""
		echo 'type = "pv"'
		echo 'kernel = "/boot/vmlinuz"'
		echo 'ramdisk = "/boot/guest-initrd.gz"'
		echo "extra = \"console=hvc0 xtest.nodisplay xtest.agent${GUEST_EXTRA:+ $GUEST_EXTRA}\""
		echo "memory = $_m"
		echo 'vcpus = 1'
		echo "cpus = \"$(next_guest_cpu)\""
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

dma32_kb_once() {
	_j=$(xl list -l "$1") || return
	case $_j in *"\"$2_kb\": "[0-9]*) ;; *) return 1 ;; esac
	_v=${_j##*\"$2_kb\": }
	echo "${_v%%[!0-9]*}"
}

# contains <text> <pattern>: does the text match the (basic regex) pattern?
contains() { printf '%s\n' "$1" | grep -q -- "$2"; }

# audit_dma32 <domid> <when>: Xen's DMA32 counter of a domain against its
# audit (test-dma32-quota audit), as one check.
audit_dma32() {
	_o=$(test-dma32-quota audit "$1" 2>&1)
	if [ $? -eq 0 ]; then
		pass "DMA32 counter matches the audit $2"
	else
		fail "DMA32 counter matches the audit $2" "$(echo "$_o" | head -n 2 | tr '\n' ' ')"
	fi
}

# screenshot <QEMU display device id> <label>: ask the host to save that
# display as build/logs/system-<scenario>-<label>.png, and give it the time
# to (it polls the serial log every second; a screendump takes one or two).
screenshot() {
	echo "XTEST-SCREENSHOT $1 $2"
	sleep 6
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
			tail -n 40 "/var/log/xen/console/guest-$1.log" >&2
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
	echo "XTEST-REPORT: $1: quota $2 kB, peak use $3 kB, evicted ${4:-?} pages, failed $5, free below 4 GiB $6 -> $7 MiB"
}

# check_guest_kernel <name>: no OOM kill, BUG, WARNING, oops or fault in
# the guest's console log, as one check (what was found is printed).  Not
# every stack dump: pcifront's rescan can have sysfs complain, with a stack,
# of a duplicate resource0 file in a passed-through guest (upstream race).
check_guest_kernel() {
	_bad='Out of memory|oom-kill|BUG:|WARNING:|Oops|general protection|Kernel panic'
	_t=$(grep -E -B2 -A12 "$_bad" "/var/log/xen/console/guest-$1.log")
	if [ -z "$_t" ]; then
		pass "$1's kernel ran with no OOM kill, BUG or WARNING"
	else
		echo "$_t"
		fail "$1's kernel ran with no OOM kill, BUG or WARNING" "$(echo "$_t" | grep -m1 -E "$_bad")"
	fi
}

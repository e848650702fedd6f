#!/bin/bash
# Boot Xen + dom0 under QEMU for one scenario (tests/system/<name>/ or
# tests/bench/<name>/) and read its verdict.  The protocol (who writes what,
# on which channel, and how it is checked) is in docs/testbed.md, "Result
# protocol".  In short:
#   build/logs/system-<name>.serial   console: Xen, dom0's kernel, programs
#   build/logs/system-<name>.results  results only: dom0's test helpers write
#                                     to /dev/ttyS1 (QEMU's second serial
#                                     port); the host answers on the same port
# The scenario passes when its results channel closes with an end marker
# whose counts match the results read, every check passed, every KTAP block
# parses (Linux's own parser) with no failure, every screenshot asked for was
# taken, and the console shows no crash or debug report (tests/failure-patterns).
#
# Header lines in test.sh set the boot:  "# timeout: <s>", "# boot-timeout: <s>",
# "# dom0-args: ...", "# xen-args: ...", "# machine: ...", "# mem: ...", "# cpus: ...", "# qemu: ...",
# "# native: 1" (the same kernel and initramfs booted without Xen),
# "# group: <name>" (boots shared with the group's other scenarios, below);
# "# release: 1" makes tests/run.sh leave the scenario to make test-release.
# Prints "PASS: <name>: <check>" / "FAIL: ..." / "SKIP: ..." lines and
# "REPORT: <name>: ..." figures; exits 1 when anything failed.
# BOOT_CMD replaces scripts/boot.sh (the runner's own unit test uses it);
# SCENARIO_PREFIX goes before the scenario's name in its results and logs
# (tests/packages.sh runs scenarios again on the packages: "pkg-");
# SCENARIO_DOM0_ARGS adds to dom0's command line, NATIVE=1 boots without Xen
# whatever the header says (make bench uses both).
# TIMEOUT_CAP=<s> shortens the scenario's timeout to what is left of make
# test's time budget (tests/run.sh).  What the boot left for the verdict is
# saved in build/logs/system-<name>.verdict; JUDGE=1 boots nothing and gives
# the verdict again from the saved logs (make judge).
# Several directories (scenarios of one "# group:", the same boot headers):
# one boot runs them in turn (dom0-init), the logs are split at each one's
# XTEST-BEGIN/XTEST-END, and each gets its own verdict as above.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/scripts/lib.sh"

dir=$(realpath "${1:?scenario directory}")
base=$(basename "$dir")
name=${SCENARIO_PREFIX:-}$base
script=$dir/test.sh
[ -f "$script" ] || die "$script is missing"
# rel_of <dir>: the scenario's path under tests/, as dom0 finds it
rel_of() {
	local r=${1#"$TOP/tests/"}
	case $r in system/* | bench/* | packages/*) echo "$r" ;; *) echo "system/$(basename "$1")" ;; esac
}
rel=$(rel_of "$dir")
header() { sed -n "s/^# $1: *//p" "$script" | head -n1; }
BOOT_HEADERS="dom0-args xen-args machine mem cpus qemu native"
members=("$dir")
if [ $# -gt 1 ]; then
	[ "${JUDGE:-0}" != 1 ] || die "JUDGE=1 judges one scenario at a time"
	members=()
	timeout=0
	for d in "$@"; do
		d=$(realpath "$d")
		[ -f "$d/test.sh" ] || die "$d/test.sh is missing"
		for h in $BOOT_HEADERS; do
			[ "$(sed -n "s/^# $h: *//p" "$d/test.sh" | head -n1)" = "$(header "$h")" ] ||
				die "$(basename "$d") and $base cannot share a boot: their '# $h:' differ"
		done
		t=$(sed -n 's/^# timeout: *//p' "$d/test.sh" | head -n1)
		timeout=$((timeout + ${t:-300}))
		members+=("$d")
		rel=$rel:$(rel_of "$d")
	done
	rel=${rel#*:}
	group=$(sed -n 's/^# group: *//p' "$script" | head -n1)
	name=${SCENARIO_PREFIX:-}group-${group:-$base}
	last=${members[${#members[@]} - 1]}
	base=$(basename "$last")
fi

[ ${#members[@]} -gt 1 ] || timeout=$(header timeout)
timeout=${timeout:-300}
capped=
if [ -n "${TIMEOUT_CAP:-}" ] && [ "$TIMEOUT_CAP" -lt "$timeout" ]; then
	timeout=$TIMEOUT_CAP
	capped=" (cut to what was left of the time budget)"
fi
boot_timeout=$(header boot-timeout)
boot_timeout=${boot_timeout:-240}
KUNIT_DIR=${KUNIT_DIR:-$BUILD/linux/tools/testing/kunit}
PATTERNS=$TOP/tests/failure-patterns
ALLOWED=${ALLOWED_REPORTS:-$TOP/tests/allowed-reports}
log=$LOGS/system-$name.serial
resfile=$LOGS/system-$name.results
chan=$BUILD/results-$name
saved=$LOGS/system-$name.verdict
# results_lines: the results channel so far, complete lines only
results_lines() {
	if [ -n "$(tail -c1 "$resfile")" ]; then
		tr -d '\r' <"$resfile" | sed '$d'
	else
		tr -d '\r' <"$resfile"
	fi
}

# distinct_screenshots: with several displays, does each show its own picture?
distinct_screenshots() {
	[ ${#shot_files[@]} -ge 2 ] || return 0
	local n
	n=$(for f in "${shot_files[@]}"; do convert "$f" rgb:- | md5sum; done | sort -u | wc -l)
	if [ "$n" = ${#shot_files[@]} ]; then
		echo "PASS: $name: the ${#shot_files[@]} displays show different pictures"
	else
		echo "FAIL: $name: displays show the same picture"
	fi
}

# boot_and_watch: boot the scenario, serve its screenshots, wait for its end
boot_and_watch() {
	mkdir -p "$LOGS"
	rm -f "$log" "$resfile" "$saved" "$chan.in" "$chan.out"
	mkfifo "$chan.in" "$chan.out"
	: >"$log"

	# The results channel is read as long as QEMU writes to it.
	cat "$chan.out" >"$resfile" &
	reader=$!
	MONITOR=$BUILD/qemu-$name.sock
	rm -f "$MONITOR"
	SERIAL=$log RESULTS=$chan DOM0_ARGS="xtest=$rel $(header dom0-args) ${SCENARIO_DOM0_ARGS:-}" \
		XEN_ARGS="$(header xen-args)" \
		MACHINE="$(header machine)" MEM="$(header mem)" CPUS="$(header cpus)" QEMU_EXTRA="$(header qemu)" \
		NATIVE="${NATIVE:-$(header native)}" MONITOR=$MONITOR ${BOOT_CMD:-"$TOP/scripts/boot.sh"} >"$LOGS/system-$name.qemu" 2>&1 &
	qemu=$!

	# Never leave QEMU behind, whatever ends this script.
	cleanup() {
		kill "$qemu" 2>/dev/null && wait "$qemu" 2>/dev/null
		# The reader has all QEMU wrote; a last writer's close ends it (also
		# when QEMU never opened the channel).
		[ -p "$chan.out" ] && : 1<>"$chan.out"
		wait "$reader" 2>/dev/null
		rm -f "$MONITOR" "$chan.in" "$chan.out"
	}
	trap cleanup EXIT
	trap 'exit 130' INT TERM

	# answer <text>: a line to dom0 on the results channel (read-write open:
	# never blocks, whether QEMU reads or not)
	answer() { printf '%s\n' "$1" 1<>"$chan.in"; }

	# A scenario asks "XTEST-SCREENSHOT <n> <QEMU display device id|-> <label|->
	# [<picture>]"; the host saves that display (default: the first) as
	# build/logs/system-<name>[-<label>].png with QEMU's screendump, checks it is
	# not blank and shows <picture> (tests/screen-check.py), and answers
	# "XTEST-SCREENSHOT-DONE <n> ok|failed" (dom0 waits).
	shots_done=0
	shot_results=
	shot_files=()
	take_screenshot() {
		local n=$1 dev=$2 label=$3 picture=$4 shot what status=failed i seen
		[ "$dev" = - ] && dev=
		[ "$label" = - ] && label=
		shot=$LOGS/system-$name${label:+-$label}.png
		what="display${label:+ $label}${dev:+ ($dev)}"
		rm -f "$shot" "$shot.ppm"
		printf 'screendump %s %s\n' "$shot.ppm" "$dev" | socat -t 5 - "UNIX-CONNECT:$MONITOR" >/dev/null 2>&1
		# screendump returns before the file is complete: wait for a stable size
		for i in 1 2 3 4 5 6 7 8 9 10; do
			[ -s "$shot.ppm" ] && convert "$shot.ppm" "$shot" 2>/dev/null && break
			sleep 0.5
		done
		if [ -s "$shot" ] && [ "$(convert "$shot" -format '%[fx:mean>0.001]' info: 2>/dev/null)" = 1 ]; then
			shot_results+="PASS: $name: $what screenshot is not blank (${shot#"$TOP"/})"$'\n'
			shot_files+=("$shot")
			status=ok
			if [ -n "$picture" ]; then
				if seen=$(python3 "$TOP/tests/screen-check.py" "$shot" "$picture" 2>&1); then
					shot_results+="PASS: $name: $what shows $picture ($seen)"$'\n'
				else
					shot_results+="FAIL: $name: $what shows $picture: $(echo "$seen" | tail -n 1)"$'\n'
					status=failed
				fi
			fi
		else
			shot_results+="FAIL: $name: $what screenshot missing or blank"$'\n'
		fi
		rm -f "$shot.ppm"
		answer "XTEST-SCREENSHOT-DONE $n $status"
	}

	serve_screenshots() {
		local n dev label picture
		while read -r n dev label picture; do
			take_screenshot "$n" "${dev:--}" "${label:--}" "$picture"
			shots_done=$((shots_done + 1))
		done < <(results_lines | sed -n 's/^XTEST-SCREENSHOT \([0-9]\)/\1/p' | tail -n +$((shots_done + 1)))
	}


	# Stop at once on the end marker, a crash of Xen or dom0, QEMU's exit, no
	# dom0 by the boot deadline, or the scenario's timeout.
	DEAD='Panic on CPU|Kernel panic - not syncing|FATAL PAGE FAULT|Hardware Dom0 crashed|Domain 0 crashed|^XTEST-FATAL: '
	t0=$(date +%s)
	verdict=timeout
	while :; do
		serve_screenshots
		if grep -aq "^XTEST-END $base " "$resfile"; then verdict=end; break; fi
		if grep -aqE "$DEAD" "$log"; then verdict=crash; break; fi
		if ! kill -0 $qemu 2>/dev/null; then
			wait $qemu
			qemu_rc=$?
			verdict=exited
			break
		fi
		now=$(($(date +%s) - t0))
		if [ $now -ge "$boot_timeout" ] && ! grep -aq XEN-TTM-DOM0-READY "$log"; then
			verdict=noboot
			break
		fi
		[ $now -lt "$timeout" ] || break
		sleep 0.5
	done
	elapsed=$(($(date +%s) - t0))
	sleep 0.5 # the console's last lines
	cleanup
	trap - EXIT
	# what make judge needs besides the logs (a shared boot's members get
	# theirs from split_and_judge)
	[ ${#members[@]} -gt 1 ] || {
		declare -p verdict elapsed shots_done shot_results timeout capped dir
		declare -p shot_files 2>/dev/null || echo 'shot_files=()'
		echo "qemu_rc=${qemu_rc:-}"
	} >"$saved"

}

# slice <member> <whole log> <first>: a member's part of a shared boot's
# log, from its XTEST-BEGIN to the next member's (what its teardown printed
# after its end marker is its own); the first member's part starts at the
# boot (the warm-up guest, dom0's start)
slice() {
	tr -d '\r' <"$2" | awk -v b="XTEST-BEGIN $1" -v first="$3" '
		index($0, b) && substr($0, index($0, b) + length(b)) == "" { on = 1; seen = 1; print; next }
		on && index($0, "XTEST-BEGIN ") { on = 0 }
		on || (first && !seen) { print }'
}

# split_and_judge: each member's logs and saved verdict from the shared
# boot's, then its verdict as make judge gives it; status 1 if any failed
split_and_judge() {
	local i=0 n=${#members[@]} d m rc=0 end_secs
	local group_verdict=$verdict group_elapsed=$elapsed shared=$name blamed=
	for d in "${members[@]}"; do
		m=$(basename "$d")
		local mname=${SCENARIO_PREFIX:-}$m
		slice "$m" "$resfile" $((i == 0)) >"$LOGS/system-$mname.results"
		slice "$m" "$log" $((i == 0)) >"$LOGS/system-$mname.serial"
		# a console whose marker line was garbled by kernel messages: the
		# whole console is this member's to answer for
		grep -aq "XTEST-BEGIN $m\$" "$LOGS/system-$mname.serial" ||
			tr -d '\r' <"$log" >"$LOGS/system-$mname.serial"
		end_secs=$(sed -n "s/^XTEST-END $m .* secs=\([0-9]*\).*/\1/p" "$LOGS/system-$mname.results")
		# the first member without an end marker has what ended the boot
		if [ -n "$end_secs" ]; then
			verdict=end elapsed=$end_secs
		elif [ -z "$blamed" ]; then
			verdict=$group_verdict elapsed=$group_elapsed blamed=$m
		else
			verdict=notrun elapsed=0
		fi
		(
			dir=$d shots_done=0 shot_results= shot_files=()
			declare -p verdict elapsed shots_done shot_results timeout capped dir shared shot_files
			echo "qemu_rc=${qemu_rc:-}"
		) >"$LOGS/system-$mname.verdict"
		echo "INFO: $mname: ran in the boot $shared shared (build/logs/system-$shared.serial)"
		JUDGE=1 "$0" "$d" || rc=1
		i=$((i + 1))
	done
	return $rc
}

shared=
if [ "${JUDGE:-0}" = 1 ]; then
	[ -f "$saved" ] && [ -f "$log" ] && [ -f "$resfile" ] ||
		die "$name: no saved logs to judge ($saved)"
	# shellcheck disable=SC1090
	. "$saved"
else
	boot_and_watch
	if [ ${#members[@]} -gt 1 ]; then
		split_and_judge
		exit
	fi
fi

# end_field <key>: a count on the end marker
end_line=$(results_lines | grep "^XTEST-END $base " | tail -n1)
end_field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$end_line"; }

# console_reports: one FAIL per kind of report on the console, with its first
# line, unless tests/allowed-reports allows that line.  Lines of the
# protocol (XTEST-*, on the results channel too) and of guests' consoles
# copied by dom0 (GUEST-LOG, checked in dom0) are not dom0's own.
console_reports() {
	local pat line
	while IFS= read -r pat; do
		case $pat in '' | '#'*) continue ;; esac
		line=$(tr -d '\r' <"$log" | grep -avE '^(XTEST-|GUEST-LOG )' | grep -aE -- "$pat" |
			allowed_filter | head -n1)
		[ -z "$line" ] || echo "FAIL: $name: console: ${line:0:300}"
	done <"$PATTERNS"
	tr -d '\r' <"$log" | sed -n "s/^XTEST-FATAL: /FAIL: $name: /p"
}

# allowed_filter: drop lines that tests/allowed-reports allows (ERE a line)
allowed_filter() {
	if [ -s "$ALLOWED" ] && grep -qvE '^(#|$)' "$ALLOWED"; then
		grep -avE -f <(grep -vE '^(#|$)' "$ALLOWED")
	else
		cat
	fi
}

ktap_results() {
	grep -q '^XTEST-KTAP-BEGIN ' <(results_lines) || return 0
	if [ -f "$KUNIT_DIR/kunit_parser.py" ]; then
		python3 "$TOP/tests/ktap.py" "$KUNIT_DIR" "$name" <(results_lines) ||
			echo "FAIL: $name: KTAP: tests/ktap.py failed"
	else
		echo "FAIL: $name: KTAP: Linux's KUnit parser is missing ($KUNIT_DIR)"
	fi
}

checks=$(
	results_lines | sed -n -e "s/^XTEST-PASS: /PASS: $name: /p" -e "s/^XTEST-FAIL: /FAIL: $name: /p" \
		-e "s/^XTEST-SKIP: /SKIP: $name: /p" \
		-e "s/^XTEST-RERUN: /FAIL: $name: rerun: /p"
)
results=$(
	printf '%s\n' "$checks"
	ktap_results
	printf '%s' "$shot_results"
	distinct_screenshots
	console_reports
)

# The end marker's counts against what was read (a plan, as in KTAP).
expect() {
	local what=$1 want=$2 got=$3
	[ "$want" = "$got" ] || echo "FAIL: $name: end marker counts $want $what, the results channel holds $got"
}
plan=$(
	if [ -z "$end_line" ]; then
		[ "$verdict" != end ] || echo "FAIL: $name: no XTEST-END $base on the results channel"
		exit 0
	fi
	rc=$(end_field rc)
	[ "$rc" = 0 ] || echo "FAIL: $name: test.sh exited with rc=$rc"
	expect passes "$(end_field pass)" "$(grep -c '^PASS: ' <<<"$checks")"
	expect failures "$(end_field fail)" "$(grep -c '^FAIL: ' <<<"$checks")"
	expect skips "$(end_field skip)" "$(grep -c '^SKIP: ' <<<"$checks")"
	expect "KUnit suites" "$(end_field ktap)" "$(results_lines | grep -c '^XTEST-KTAP-BEGIN ')"
	expect "screenshots" "$(end_field shots)" "$shots_done"
)
case $verdict in
end) ;;
crash) plan="FAIL: $name: Xen or dom0 crashed after ${elapsed}s (see build/logs/system-$name.serial)" ;;
exited) plan="FAIL: $name: QEMU exited before the scenario ended (status $qemu_rc, its output: build/logs/system-${shared:-$name}.qemu)" ;;
noboot) plan="FAIL: $name: dom0 not up within ${boot_timeout}s" ;;
timeout) plan="FAIL: $name: no XTEST-END within ${timeout}s$capped" ;;
notrun) plan="FAIL: $name: not run: the boot it shared ended before it (build/logs/system-$shared.serial)" ;;
overbudget) plan="FAIL: $name: over budget (TEST_BUDGET spent before it started)" ;;
esac
results+=$'\n'"$plan"
results=$(grep -E '^(PASS|FAIL|SKIP): ' <<<"$results")
grep -qE '^(PASS|FAIL): ' <<<"$results" || results+=$'\n'"FAIL: $name: no check ran"

echo "$results"
results_lines | sed -n "s/^XTEST-REPORT: /REPORT: $name: /p"
echo "INFO: $name: ${elapsed}s, console build/logs/system-$name.serial, results build/logs/system-$name.results"
if grep -q '^FAIL: ' <<<"$results"; then
	echo "---- last 30 lines of build/logs/system-$name.serial ----"
	tr -d '\r' <"$log" | tail -n 30
	echo "---- end ----"
	echo "---- last 5 lines of build/logs/system-${shared:-$name}.qemu (QEMU and ${BOOT_CMD:-scripts/boot.sh}) ----"
	tail -n 5 "$LOGS/system-${shared:-$name}.qemu"
	echo "---- end ----"
	exit 1
fi
exit 0

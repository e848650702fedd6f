#!/bin/bash
# Boot Xen + dom0 under QEMU for one system scenario (tests/system/<name>/) and
# read its verdict from the serial log, as Xen's automation/scripts/console.exp
# does.  Inside dom0 the scenario's test.sh prints:
#   XTEST-PASS: <check>            XTEST-FAIL: <check>: <why>
#   XTEST-KTAP-BEGIN <suite> ... KTAP ... XTEST-KTAP-END <suite>
# and dom0's init closes with "XTEST-END <name> rc=<n>".
#
# "XTEST-REPORT: <text>" lines become "REPORT: <name>: <text>" (figures for
# tests/run.sh to gather, not results).
# Header lines in test.sh set the boot:  "# timeout: <s>", "# dom0-args: ...",
# "# xen-args: ...", "# machine: ...", "# mem: ...", "# qemu: ...".
# Prints "PASS: <name>: <check>" / "FAIL: ..." lines; the serial log is kept in
# build/logs/system-<name>.serial and its tail printed on failure.
# BOOT_CMD replaces scripts/boot.sh (the runner's own unit test uses it);
# SCENARIO_DOM0_ARGS adds to dom0's command line (make bench uses it).
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/scripts/lib.sh"

dir=${1:?scenario directory}
name=$(basename "$dir")
script=$dir/test.sh
[ -f "$script" ] || die "$script is missing"
header() { sed -n "s/^# $1: *//p" "$script" | head -n1; }

timeout=$(header timeout)
timeout=${timeout:-300}
log=$LOGS/system-$name.serial
mkdir -p "$LOGS"
rm -f "$log"

MONITOR=$BUILD/qemu-$name.sock
rm -f "$MONITOR"
SERIAL=$log DOM0_ARGS="xtest=$name $(header dom0-args) ${SCENARIO_DOM0_ARGS:-}" \
	XEN_ARGS="$(header xen-args)" \
	MACHINE="$(header machine)" MEM="$(header mem)" QEMU_EXTRA="$(header qemu)" \
	MONITOR=$MONITOR ${BOOT_CMD:-"$TOP/scripts/boot.sh"} >"$LOGS/system-$name.qemu" 2>&1 &
qemu=$!

# A scenario that prints "XTEST-SCREENSHOT [<QEMU display device id> <label>]"
# gets that display (default: the first) saved as
# build/logs/system-<name>[-<label>].png (QEMU monitor screendump) and
# checked not to be blank; several displays must show different pictures.
shots_done=0
shot_results=
shot_files=()
take_screenshot() {
	local dev=${1:-} label=${2:-}
	local shot=$LOGS/system-$name${label:+-$label}.png
	local what="display${label:+ $label}${dev:+ ($dev)}"
	rm -f "$shot" "$shot.ppm"
	printf 'screendump %s %s\n' "$shot.ppm" "$dev" | socat -t 2 - "UNIX-CONNECT:$MONITOR" >/dev/null 2>&1
	sleep 1
	if [ -s "$shot.ppm" ] && convert "$shot.ppm" "$shot" 2>/dev/null &&
		[ "$(convert "$shot" -format '%[fx:mean>0.001]' info:)" = 1 ]; then
		shot_results+="PASS: $name: $what screenshot is not blank (${shot#"$TOP"/})"$'\n'
		shot_files+=("$shot")
	else
		shot_results+="FAIL: $name: $what screenshot missing or blank"$'\n'
	fi
	rm -f "$shot.ppm"
}

# take_new_screenshots: one screenshot per request line not yet served (read
# skips a last line still being written: it has no newline yet)
take_new_screenshots() {
	local line
	[ -f "$log" ] || return 0
	while read -r line; do
		# shellcheck disable=SC2086
		take_screenshot $line
		shots_done=$((shots_done + 1))
	done < <(tr -d '\r' <"$log" | sed -n 's/^XTEST-SCREENSHOT *//p' | tail -n +$((shots_done + 1)))
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

# Wait for the end marker, a panic, QEMU's exit or the timeout.
t0=$(date +%s)
verdict=timeout
while :; do
	take_new_screenshots
	if grep -aq "XTEST-END $name" "$log" 2>/dev/null; then verdict=end; break; fi
	if grep -aqE 'Panic on CPU|Kernel panic - not syncing|FATAL PAGE FAULT' "$log" 2>/dev/null; then
		verdict=panic
		break
	fi
	kill -0 $qemu 2>/dev/null || { verdict=exited; break; }
	[ $(($(date +%s) - t0)) -lt "$timeout" ] || break
	sleep 1
done
elapsed=$(($(date +%s) - t0))
sleep 1
kill $qemu 2>/dev/null
wait $qemu 2>/dev/null
rm -f "$MONITOR"

# KTAP (debugfs layout: cases indented 4, parameters 8): one result per leaf,
# i.e. per parameter of a parameterised case, else per case.  A parameterised
# case that fails with no failing parameter still counts as a failure.
ktap_results() {
	tr -d '\r' <"$log" | awk -v n="$name" '
		function emit(res, id) {
			if (res ~ /# SKIP/) { print "SKIP: " n ": " id; return }
			print ((res ~ /^not ok/) ? "FAIL: " : "PASS: ") n ": " id
		}
		function title(res) { sub(/^(not )?ok [0-9]+ /, "", res); sub(/ *# SKIP.*/, "", res); return res }
		/^XTEST-KTAP-BEGIN / { suite = $2; inside = 1; next }
		/^XTEST-KTAP-END / { inside = 0; next }
		!inside { next }
		/^        (not )?ok [0-9]+ / {
			line = $0; sub(/^ +/, "", line)
			params[++np] = line
			if (line ~ /^not ok/) kidfail = 1
			next
		}
		/^    (not )?ok [0-9]+ / {
			line = $0; sub(/^ +/, "", line)
			for (i = 1; i <= np; i++) emit(params[i], suite "." title(line) "." title(params[i]))
			if (np == 0 || (line ~ /^not ok/ && !kidfail)) emit(line, suite "." title(line))
			np = 0; kidfail = 0
		}'
}

results=$(
	tr -d '\r' <"$log" | sed -n -e "s/^XTEST-PASS: /PASS: $name: /p" -e "s/^XTEST-FAIL: /FAIL: $name: /p"
	ktap_results
	printf '%s' "$shot_results"
	distinct_screenshots
)
rc=$(tr -d '\r' <"$log" | sed -n "s/^XTEST-END $name rc=//p" | tail -n1)
case $verdict in
end) [ "$rc" = 0 ] || results+=$'\n'"FAIL: $name: test.sh exited with rc=$rc" ;;
panic) results+=$'\n'"FAIL: $name: panic (see build/logs/system-$name.serial)" ;;
exited) results+=$'\n'"FAIL: $name: QEMU exited before the scenario ended" ;;
timeout) results+=$'\n'"FAIL: $name: no XTEST-END within ${timeout}s" ;;
esac
grep -qE '^(PASS|FAIL): ' <<<"$results" || results+=$'\n'"FAIL: $name: no check ran"

results=$(grep -E '^(PASS|FAIL|SKIP): ' <<<"$results")
echo "$results"
tr -d '\r' <"$log" | sed -n "s/^XTEST-REPORT: /REPORT: $name: /p"
echo "INFO: $name: ${elapsed}s, serial log build/logs/system-$name.serial"
if grep -q '^FAIL: ' <<<"$results"; then
	echo "---- last 30 lines of build/logs/system-$name.serial ----"
	tr -d '\r' <"$log" | tail -n 30
	echo "---- end ----"
	tail -n 5 "$LOGS/system-$name.qemu"
fi
exit 0

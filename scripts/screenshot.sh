#!/bin/bash
# Save dom0's display (QEMU's VGA, driven by bochs-drm) as a PNG.
# Uses the monitor of a running 'make run' if there is one; otherwise boots
# Xen + dom0 in the background, waits for dom0 to be ready, and shoots.
#   screenshot.sh <out.png> [monitor-socket]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$(realpath -m "${1:?output png}")
sock=${2:-$BUILD/qemu-monitor.sock}
mkdir -p "$(dirname "$out")" "$LOGS"
ppm=${out%.png}.ppm

monitor() { printf '%s\n' "$1" | socat -t 2 - "UNIX-CONNECT:$sock" >/dev/null; }

qemu=
if ! [ -S "$sock" ] || ! monitor "info status" 2>/dev/null; then
	sock=$BUILD/screenshot-monitor.sock
	log=$LOGS/screenshot.serial
	rm -f "$sock" "$log"
	SERIAL=$log MONITOR=$sock "$TOP/scripts/boot.sh" >"$LOGS/screenshot.qemu" 2>&1 &
	qemu=$!
	trap '[ -n "$qemu" ] && kill $qemu 2>/dev/null' EXIT
	for _ in $(seq 240); do
		grep -aq XEN-TTM-DOM0-READY "$log" 2>/dev/null && break
		kill -0 $qemu 2>/dev/null || die "QEMU exited; see $log"
		sleep 1
	done
	grep -aq XEN-TTM-DOM0-READY "$log" || die "dom0 not ready after 240s; see $log"
	sleep 5 # let fbcon draw the shell prompt
fi
rm -f "$ppm"
monitor "screendump $ppm"
for _ in 1 2 3 4 5; do [ -s "$ppm" ] && break; sleep 1; done
[ -s "$ppm" ] || die "QEMU wrote no screendump"
convert "$ppm" "$out"
rm -f "$ppm"
echo "saved $out ($(identify -format '%wx%h' "$out"))"

#!/bin/bash
# Run every test suite and close with "N passed, N failed".
#   unit tests of our scripts and pure logic  tests/unit/*.sh   (host)
#   patch series agree with the build trees    scripts/series.sh check
#   system scenarios, each a fresh boot        tests/system/*/test.sh (Xen + dom0 under QEMU)
# TESTS="name ..." restricts the system scenarios; UNIT=0 / SYSTEM=0 skip a kind.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/scripts/lib.sh"

out=$(mktemp)
trap 'rm -f "$out"' EXIT

run() { "$@" 2>&1 | tee -a "$out"; }

if [ "${UNIT:-1}" = 1 ]; then
	for t in "$TOP"/tests/unit/*.sh; do
		run bash "$t"
	done
fi

if "$TOP/scripts/series.sh" check >"$LOGS/series-check.log" 2>&1; then
	echo "PASS: series: repo series and build trees agree" | tee -a "$out"
else
	echo "FAIL: series: repo series and build trees differ (scripts/series.sh check)" | tee -a "$out"
	cat "$LOGS/series-check.log"
fi

if [ "${SYSTEM:-1}" = 1 ]; then
	for d in "$TOP"/tests/system/*/; do
		name=$(basename "$d")
		if [ -n "${TESTS:-}" ] && ! grep -qw -- "$name" <<<"$TESTS"; then continue; fi
		echo "== system scenario $name"
		run "$TOP/tests/run-scenario.sh" "$d"
	done
fi

# The figures scenarios report (DMA32 quota: peak use, evictions, ...)
if grep -q '^REPORT: ' "$out"; then
	sed -n 's/^REPORT: //p' "$out" >"$LOGS/dma32-report.txt"
	echo
	echo "Figures (build/logs/dma32-report.txt):"
	sed 's/^/  /' "$LOGS/dma32-report.txt"
fi

passed=$(grep -c '^PASS: ' "$out")
failed=$(grep -c '^FAIL: ' "$out")
skipped=$(grep -c '^SKIP: ' "$out")
echo
grep '^FAIL: ' "$out" | sed 's/^/  /'
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]

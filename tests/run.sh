#!/bin/bash
# Run every test suite and close with "N passed, N failed, N skipped".
#   unit tests of our scripts and pure logic  tests/unit/*.sh   (host)
#   patch series agree with the build trees    scripts/series.sh check
#   system scenarios, each a fresh boot        tests/system/*/test.sh (Xen + dom0 under QEMU)
#   make deb's packages, booted                tests/packages.sh (PACKAGES=0 skips,
#                                              PACKAGES=1 adds it to a TESTS= run)
# TESTS="name ..." runs only these system scenarios (exact names; an unknown
# name is an error); UNIT=0 / SYSTEM=0 skip a kind; LIST=1 only prints the
# scenarios that would run.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/scripts/lib.sh"
mkdir -p "$LOGS"

out=$(mktemp)
trap 'rm -f "$out"' EXIT

run() { "$@" 2>&1 | tee -a "$out"; }

# The scenarios to run: every tracked one, or exactly those TESTS names.
scenarios=$(scenario_names)
if [ -n "${TESTS:-}" ]; then
	for t in $TESTS; do
		grep -qxF -- "$t" <<<"$scenarios" ||
			die "TESTS: no scenario '$t' (known: $(echo $scenarios))"
	done
	scenarios=$(tr ' ' '\n' <<<"$TESTS" | grep -v '^$')
fi
if [ "${LIST:-0}" = 1 ]; then
	echo "$scenarios"
	exit 0
fi

if [ "${UNIT:-1}" = 1 ]; then
	for t in "$TOP"/tests/unit/*.sh; do
		run bash "$t"
	done
fi

if [ ! -d "$BUILD/linux/.git" ] || [ ! -d "$BUILD/xen/.git" ]; then
	echo "SKIP: series: no build trees to compare (make prepare)" | tee -a "$out"
elif "$TOP/scripts/series.sh" check >"$LOGS/series-check.log" 2>&1; then
	echo "PASS: series: repo series and build trees agree" | tee -a "$out"
else
	echo "FAIL: series: repo series and build trees differ (scripts/series.sh check)" | tee -a "$out"
	cat "$LOGS/series-check.log"
fi

if [ "${SYSTEM:-1}" = 1 ]; then
	for name in $scenarios; do
		echo "== system scenario $name"
		run "$TOP/tests/run-scenario.sh" "$TOP/tests/system/$name"
	done
fi

# make deb's packages, booted (tests/packages.sh): with the whole run, or
# PACKAGES=1
packages=${PACKAGES:-}
[ -n "$packages" ] || { [ -z "${TESTS:-}" ] && [ "${SYSTEM:-1}" = 1 ] && packages=1; }
if [ "${packages:-0}" = 1 ]; then
	echo "== packages (make deb, booted from the unpacked packages)"
	run "$TOP/tests/packages.sh"
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
reruns=$(grep -c '^FAIL: [^:]*: rerun: ' "$out")
echo
grep '^FAIL: ' "$out" | sed 's/^/  /'
[ "$reruns" = 0 ] || echo "  ($reruns of the failures are commands that had to be rerun)"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]

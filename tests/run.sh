#!/bin/bash
# Run every test suite and close with "N passed, N failed, N skipped".
#   unit tests of our scripts and pure logic  tests/unit/*.sh   (host)
#   patch series agree with the build trees    scripts/series.sh check
#   system scenarios, each a fresh boot        tests/system/*/test.sh (Xen + dom0 under QEMU;
#                                              those of one "# group:" share a boot)
#   make deb's packages, booted                tests/packages.sh (PACKAGES=0 skips,
#                                              PACKAGES=1 adds it to a TESTS= run)
# RELEASE=1 adds the scenarios marked "# release: 1" (make test-release).
# TESTS="name ..." runs only these system scenarios (exact names; an unknown
# name is an error); UNIT=0 / SYSTEM=0 skip a kind; LIST=1 only prints the
# scenarios that would run.
# TEST_BUDGET=<s> (default 5100, inside CI's 90 minutes): the time make test
# may take, counted from MAKE_TEST_START (the Makefile sets it before the
# build) or from here.  A scenario's timeout is cut to what is left; once
# nothing is left, the scenarios not run yet fail "over budget", so that the
# run always ends with its verdict line.  Before it: the time of every build
# stage and scenario of this run (build/logs/times.txt).
# JUDGE=1 (make judge): boot nothing, give the verdict again from the logs
# the last run saved.
# BUILD_FROM=<stage> (make test, once the trees are prepared): build from that
# stage on while the unit tests run beside it (they mostly wait on timeouts
# of fake boots), then go on as usual; a failed build fails the run.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/scripts/lib.sh"
mkdir -p "$LOGS"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
START=${MAKE_TEST_START:-$(date +%s)}
BUDGET=${TEST_BUDGET:-5100}
TIMES=$LOGS/times.txt

run() { "$@" 2>&1 | tee -a "$out"; }

# left: seconds of the budget left
left() { echo $((BUDGET - ($(date +%s) - START))); }

# timed <kind> <name> <command...>: run it, add its time to times.txt
timed() {
	local kind=$1 name=$2 t0 rc
	shift 2
	t0=$(date +%s)
	"$@"
	rc=$?
	echo "$kind $name $(($(date +%s) - t0)) $([ $rc = 0 ] && echo ok || echo failed) $t0" >>"$TIMES"
	return $rc
}

# within_budget <what>: is time left for it?  If not, say so as a failure.
within_budget() {
	[ "$(left)" -gt 0 ] && return 0
	echo "FAIL: $1: over budget (TEST_BUDGET=${BUDGET}s spent before it started)" | tee -a "$out"
	return 1
}

# over_budget <scenario>: its failure, also for make judge (empty logs and
# a verdict that says why)
over_budget() {
	echo "FAIL: $1: over budget (TEST_BUDGET=${BUDGET}s spent before it started)" | tee -a "$out"
	: >"$LOGS/system-$1.serial"
	: >"$LOGS/system-$1.results"
	printf 'verdict=overbudget elapsed=0 shots_done=0 shot_results= timeout=0 capped= dir=%q\nshot_files=()\n' \
		"$TOP/tests/system/$1" >"$LOGS/system-$1.verdict"
}

# unjudged <scenario...>: a FAIL for each that got no verdict line (its
# runner died with an error)
unjudged() {
	local m
	for m in "$@"; do
		grep -qE "^(PASS|FAIL|SKIP): $m: " "$out" ||
			echo "FAIL: $m: the scenario runner ended with an error and no verdict (see above)" | tee -a "$out"
	done
}

# The scenarios to run: every tracked one (but those with "# release: 1",
# which only make test-release runs: RELEASE=1), or exactly those TESTS names.
release_only() { grep -qx '# release: 1' "$TOP/tests/system/$1/test.sh"; }
scenarios=$(for s in $(scenario_names); do
	[ "${RELEASE:-0}" = 1 ] || ! release_only "$s" && echo "$s"
done)
if [ -n "${TESTS:-}" ]; then
	for t in $TESTS; do
		grep -qxF -- "$t" <<<"$(scenario_names)" ||
			die "TESTS: no scenario '$t' (known: $(echo $(scenario_names)))"
	done
	scenarios=$(tr ' ' '\n' <<<"$TESTS" | grep -v '^$')
fi
if [ "${LIST:-0}" = 1 ]; then
	echo "$scenarios"
	exit 0
fi

if [ "${JUDGE:-0}" = 1 ]; then
	UNIT=0
	for f in "$LOGS"/system-*.verdict; do
		[ -f "$f" ] || die "make judge: no saved logs in build/logs (run make test first)"
		name=$(basename "$f" .verdict)
		name=${name#system-}
		# shellcheck disable=SC1090
		dir=$(. "$f" && echo "$dir")
		prefix=
		case $name in pkg-*) prefix=pkg- ;; esac
		echo "== judge $name"
		run env JUDGE=1 SCENARIO_PREFIX=$prefix "$TOP/tests/run-scenario.sh" "$dir"
	done
	SYSTEM=0 PACKAGES=0
fi

# make judge judges what this run ran, nothing older
[ "${JUDGE:-0}" = 1 ] || [ "${SYSTEM:-1}" != 1 ] || rm -f "$LOGS"/system-*.verdict

# unit_tests: every host-side unit test, each timed
unit_tests() {
	local t
	for t in "$TOP"/tests/unit/*.sh; do
		timed unit "$(basename "$t" .sh)" run bash "$t"
	done
}

built=1
if [ -n "${BUILD_FROM:-}" ]; then
	unit_out=$(mktemp)
	trap 'rm -f "$out" "$unit_out"' EXIT
	[ "${UNIT:-1}" = 1 ] && out=$unit_out unit_tests >/dev/null &
	FROM=$BUILD_FROM "$TOP/scripts/build-all.sh" || built=0
	wait
	cat "$unit_out" | tee -a "$out"
	[ $built = 1 ] || { echo "FAIL: build (build/logs)" | tee -a "$out"; SYSTEM=0 PACKAGES=0; }
elif [ "${UNIT:-1}" = 1 ]; then
	unit_tests
fi

if [ "${JUDGE:-0}" = 1 ]; then
	:
elif [ ! -d "$BUILD/linux/.git" ] || [ ! -d "$BUILD/xen/.git" ]; then
	echo "SKIP: series: no build trees to compare (make prepare)" | tee -a "$out"
elif "$TOP/scripts/series.sh" check >"$LOGS/series-check.log" 2>&1; then
	echo "PASS: series: repo series and build trees agree" | tee -a "$out"
else
	echo "FAIL: series: repo series and build trees differ (scripts/series.sh check)" | tee -a "$out"
	cat "$LOGS/series-check.log"
fi

# The 4.20 library ABI against Debian's own libraries (symbols; the struct
# layouts are the libxl-abi scenario's)
if [ "${JUDGE:-0}" != 1 ] && [ "${SYSTEM:-1}" = 1 ]; then
	run "$TOP/scripts/debian-xen.sh" check ||
		echo "FAIL: abi: scripts/debian-xen.sh check did not run" | tee -a "$out"
fi

# group_of <scenario>: its "# group:" header (scenarios of one group that
# run together share one boot)
group_of() { sed -n 's/^# group: *//p' "$TOP/tests/system/$1/test.sh" | head -n1; }

# run_unit <scenario...>: one boot for them; each one's time (dom0's, from
# its end marker) goes to times.txt, the shared boot's as "boot"
run_unit() {
	local t0=$(date +%s) m secs st
	if [ $# = 1 ]; then
		timed scenario "$1" run env TIMEOUT_CAP="$(left)" \
			"$TOP/tests/run-scenario.sh" "$TOP/tests/system/$1"
		unjudged "$1"
		return
	fi
	run env TIMEOUT_CAP="$(left)" "$TOP/tests/run-scenario.sh" "${@/#/$TOP/tests/system/}"
	unjudged "$@"
	echo "boot group-$(group_of "$1") $(($(date +%s) - t0)) - $t0" >>"$TIMES"
	for m in "$@"; do
		secs=$(sed -n "s/^XTEST-END $m .* secs=\([0-9]*\).*/\1/p" "$LOGS/system-$m.results" 2>/dev/null)
		st=ok
		grep -q "^FAIL: $m: " "$out" && st=failed
		echo "scenario $m ${secs:-?} $st $t0" >>"$TIMES"
	done
}

if [ "${SYSTEM:-1}" = 1 ]; then
	done_groups=" "
	for name in $scenarios; do
		g=$(group_of "$name")
		members=$name
		if [ -n "$g" ]; then
			case $done_groups in *" $g "*) continue ;; esac
			done_groups+="$g "
			members=$(for m in $scenarios; do [ "$(group_of "$m")" = "$g" ] && echo "$m"; done)
		fi
		echo "== system scenario $(echo $members)${g:+ (group $g: one boot)}"
		if [ "$(left)" -le 0 ]; then
			for m in $members; do over_budget "$m"; done
			continue
		fi
		# shellcheck disable=SC2086
		run_unit $members
	done
fi

# make deb's packages, booted (tests/packages.sh): with the whole run, or
# PACKAGES=1
packages=${PACKAGES:-}
[ -n "$packages" ] || { [ -z "${TESTS:-}" ] && [ "${SYSTEM:-1}" = 1 ] && packages=1; }
if [ "${packages:-0}" = 1 ]; then
	echo "== packages (make deb of the test bed's kernel, booted from the installed packages)"
	within_budget packages &&
		timed step packages run env TIMEOUT_CAP="$(left)" "$TOP/tests/packages.sh"
fi

# The figures scenarios report (DMA32 quota: peak use, evictions, ...)
if grep -q '^REPORT: ' "$out"; then
	sed -n 's/^REPORT: //p' "$out" >"$LOGS/dma32-report.txt"
	echo
	echo "Figures (build/logs/dma32-report.txt):"
	sed 's/^/  /' "$LOGS/dma32-report.txt"
fi

# Where the time went: this run's build stages, unit tests and scenarios
if [ "${JUDGE:-0}" != 1 ] && [ -f "$TIMES" ]; then
	echo
	echo "Time (build/logs/times.txt; budget ${BUDGET}s, used $(($(date +%s) - START))s):"
	awk -v start="$START" '$5 >= start {
		printf "  %-9s %-26s %6ss %s\n", $1, $2, $3, $4; sum[$1] += $3 }
		END { for (k in sum) printf "  %-9s %-26s %6ss\n", k, "(all)", sum[k] }' "$TIMES"
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

#!/bin/bash
# make bench: the TTM pool benchmark (tests/bench/ttm-pool, docs/benchmark.md).
# Release builds only (make test boots debug ones):
#   1. a Xen with per-hypercall perf counters (config/xen-bench.config), built
#      beside the test build in build/xen-bench-obj;
#   2. the same kernel without lock/list debugging (build/linux-bench-obj) and
#      its images (build/bench-img), booted without slab debugging;
#   3. one boot of that Xen with that dom0: mainline, ours and raw DMA;
#   4. one boot of the same kernel without Xen: the native reference;
#   5. build/bench/results.csv, table.md and bench.png (scripts/bench-report.py)
#      from those two boots' results channels;
#   6. one boot of that Xen with more memory: 1 GiB of buffers in dom0 and
#      guests populating at the same time (tests/bench/ttm-scale);
#   7. build/bench/scale.csv and scale.md (scripts/bench-scale-report.py)
#      from its results channel.  An incomplete run fails its report.
# BENCH_ARGS adds to the kernel command line, e.g.
#   BENCH_ARGS="bench.total=64 bench.repeats=3 bench.sizes=64:2048"
# BENCH_ONLY=scale runs the builds and the scale boot only (make bench-scale);
# BENCH_ONLY=pool the builds and the first boots and report only.
# BENCH_ONLY=locks (make bench-locks): the guests of the scale boot, 1, 2
# and 3 at once, on a Xen that also profiles its locks
# (config/xen-lockprof.config, build/xen-lockprof-obj): Xen's locks over
# each window, in build/bench/locks/scale.md.  Lock profiling times every
# spinlock: its figures explain, they are not the benchmark's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT=$BUILD/bench
OBJ=$BUILD/xen-bench-obj
IMG=$BUILD/bench-img
export LINUX_OBJ=$BUILD/linux-bench-obj LINUX_MODS=$BUILD/linux-bench-mods
mkdir -p "$OUT" "$LOGS" "$IMG"

STAGES=7
if [ "${BENCH_ONLY:-}" = locks ]; then
	OBJ=$BUILD/xen-lockprof-obj STAGES=4
	stage "1/4" bench-locks-xen "building Xen with perf counters and lock profiling (build/xen-lockprof-obj)" -- \
		"$TOP/scripts/build-xen.sh" hypervisor "$OBJ" "$TOP/config/xen-bench.config" \
		"$TOP/config/xen-lockprof.config"
else
	stage "1/7" bench-xen "building Xen with perf counters (build/xen-bench-obj)" -- \
		"$TOP/scripts/build-xen.sh" hypervisor "$OBJ" "$TOP/config/xen-bench.config"
fi
stage "2/$STAGES" bench-linux "building Linux without debug options (build/linux-bench-obj)" -- \
	sh -c "'$TOP/scripts/build-linux.sh' && IMAGES='$IMG' '$TOP/scripts/mk-initramfs.sh'"

# boot_int3: did the last boot die of an int3 trap before the benchmark
# began?  QEMU's TCG, with more than one CPU, now and then lets a CPU run an
# int3 that kernel text patching (static keys) had already replaced, seen
# during boot under Xen and without it; nothing of ours has run by then.
boot_int3() {
	grep -aq 'Oops: int3' "$LOGS/system-$1.serial" &&
		! grep -aq '^BENCH-\(SCALE-\)\?CONFIG' "$LOGS/system-$1.results"
}

# run <name> <scenario> <env...>: one boot of a benchmark scenario
# (tests/bench/<scenario>); its serial log is kept.
# A boot that the emulator's int3 killed is booted once more, saying so;
# any other failure, or a second one, fails the stage.
run() {
	local name=$1 scenario=$2 try
	shift 2
	for try in 1 2; do
		if env "$@" SCENARIO_DOM0_ARGS="${BENCH_ARGS:-}" SLAB_DEBUG= \
			BZIMAGE="$LINUX_OBJ/arch/x86/boot/bzImage" INITRD="$IMG/dom0-initrd.gz" \
			"$TOP/tests/run-scenario.sh" "$TOP/tests/bench/$scenario"; then
			cp "$LOGS/system-$scenario.serial" "$OUT/$name.serial"
			cp "$LOGS/system-$scenario.results" "$OUT/$name.results"
			return 0
		fi
		cp "$LOGS/system-$scenario.serial" "$OUT/$name-failed-$try.serial"
		[ "$try" = 1 ] && boot_int3 "$scenario" || return 1
		echo "WARNING: $name: the boot died of the emulator's int3 before the benchmark began (build/bench/$name-failed-1.serial); booted again"
	done
}
if [ "${BENCH_ONLY:-}" = locks ]; then
	BENCH_ARGS=${BENCH_ARGS:-bench.scale_totals=8 bench.scale_sizes=2048 bench.scale_guests=1:2:3 bench.scale_repeats=1}
	stage "3/4" bench-locks-run "guests at once on a Xen profiling its locks" -- run locks ttm-scale XEN="$OBJ/xen"
	stage "4/4" bench-locks-report "lock report (build/bench/locks/scale.md)" -- \
		"$TOP/scripts/bench-scale-report.py" "$OUT/locks.results" "$OUT/locks"
	grep -A9 "Xen's locks" "$OUT/locks/scale.md"
	exit 0
fi
# The first boots' report comes before the scale boot: a scale boot that
# fails does not take the figures of the others with it
if [ "${BENCH_ONLY:-}" != scale ]; then
	stage "3/7" bench-xen-run "benchmark under Xen: mainline, ours, dma_alloc_attrs" -- run xen ttm-pool XEN="$OBJ/xen"
	stage "4/7" bench-native-run "benchmark without Xen: native TTM, dma_alloc_attrs" -- run native ttm-pool NATIVE=1
	stage "5/7" bench-report "report (build/bench)" -- \
		"$TOP/scripts/bench-report.py" "$OUT/xen.results" "$OUT/native.results" "$OUT"
	cat "$OUT/table.md"
fi
[ "${BENCH_ONLY:-}" != pool ] || exit 0
stage "6/7" bench-scale-run "benchmark at scale under Xen: 1 GiB in dom0, guests at once" -- run scale ttm-scale XEN="$OBJ/xen"
stage "7/7" bench-scale-report "scale report (build/bench/scale.md)" -- \
	"$TOP/scripts/bench-scale-report.py" "$OUT/scale.results" "$OUT"
cat "$OUT/scale.md"

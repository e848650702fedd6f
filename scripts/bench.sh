#!/bin/bash
# make bench: the TTM pool benchmark (tests/bench/ttm-pool, docs/benchmark.md).
#   1. a Xen with per-hypercall perf counters (config/xen-bench.config), built
#      beside the test build in build/xen-bench-obj;
#   2. one boot of it with the test bed's dom0: mainline, ours and raw DMA;
#   3. one boot of the same kernel without Xen: the native reference;
#   4. build/bench/results.csv, table.md and bench.png (scripts/bench-report.py).
# BENCH_ARGS adds to the kernel command line, e.g.
#   BENCH_ARGS="bench.total=64 bench.repeats=3 bench.sizes=64:2048"
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT=$BUILD/bench
OBJ=$BUILD/xen-bench-obj
mkdir -p "$OUT" "$LOGS"

stage "1/4" bench-xen "building Xen with perf counters (build/xen-bench-obj)" -- \
	"$TOP/scripts/build-xen.sh" hypervisor "$OBJ" "$TOP/config/xen-bench.config"

# run <name> <env...>: one boot of the benchmark; its serial log is kept
run() {
	local name=$1
	shift
	env "$@" SCENARIO_DOM0_ARGS="${BENCH_ARGS:-}" \
		"$TOP/tests/run-scenario.sh" "$TOP/tests/bench/ttm-pool" || return 1
	cp "$LOGS/system-ttm-pool.serial" "$OUT/$name.serial"
}
stage "2/4" bench-xen-run "benchmark under Xen: mainline, ours, dma_alloc_attrs" -- run xen XEN="$OBJ/xen"
stage "3/4" bench-native-run "benchmark without Xen: native TTM, dma_alloc_attrs" -- run native NATIVE=1
stage "4/4" bench-report "report (build/bench)" -- \
	"$TOP/scripts/bench-report.py" "$OUT/xen.serial" "$OUT/native.serial" "$OUT"
cat "$OUT/table.md"

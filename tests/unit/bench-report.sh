# The benchmark report: the reading tool's baseline is subtracted, medians
# are taken over repeats, a cycle is cold + release (+ shrink), values are
# per MiB, and a failed check in a log fails the report.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# steps <path> <size> <phase> <repeats> <ns> <counters...>: that step's
# BENCH line once per repeat (same values: the median is that value)
steps() {
	local path=$1 size=$2 phase=$3 n=$4 r
	shift 4
	for r in $(seq 1 "$n"); do echo "BENCH $path $size $phase $r $*"; done
}
{
	echo "BENCH-CONFIG xen=1 perf=1 total_mib=4 repeats=3 sizes=2048 dma_sizes=2048"
	cat <<'LOG'
BENCH base 0 nop 1 0 0 1 0 2 0 4 0 10
BENCH base 0 nop 2 0 0 1 0 2 0 4 0 10
BENCH base 0 nop 3 0 0 9 0 2 0 4 0 10
BENCH mainline 2048 cold 1 8000000 0 3 8 2 0 4 512 10
BENCH mainline 2048 cold 2 4000000 0 3 8 2 0 4 512 10
BENCH mainline 2048 cold 3 6000000 0 3 8 2 0 4 512 10
LOG
	steps mainline 2048 release 3 2000000 0 1 8 2 0 4 512 10
	steps mainline 2048 warm 3 400000 0 1 0 2 0 4 0 10
	steps mainline 2048 free 3 100000 0 1 0 2 0 4 0 10
	steps mainline 2048 free2 3 100000 0 1 0 2 0 4 0 10
	steps ours 2048 cold 3 4000000 0 2 0 4 0 5 0 1034 4
	steps ours 2048 release 3 100000 0 1 0 2 0 4 0 10 0
	steps ours 2048 shrink 3 900000 0 2 0 4 0 5 0 1034 4
	steps ours 2048 warm 3 200000 0 1 0 2 0 4 0 10 0
	steps ours 2048 free 3 100000 0 1 0 2 0 4 0 10 0
	steps ours 2048 free2 3 100000 0 1 0 2 0 4 0 10 0
	steps dma 2048 cold 3 300000 0 1 0 2 0 4 0 10
	steps dma 2048 release 3 300000 0 1 0 2 0 4 0 10
	echo "BENCH-DONE"
} >"$tmp/xen.results"
{
	echo "BENCH-CONFIG xen=0 perf=0 total_mib=4 repeats=1 sizes=2048 dma_sizes=2048"
	steps base 0 nop 1 0 0 - - - - - - -
	steps native 2048 cold 1 1000000 0 - - - - - - -
	steps native 2048 release 1 1000000 0 - - - - - - -
	steps native 2048 warm 1 100000 0 - - - - - - -
	steps native 2048 free 1 100000 0 - - - - - - -
	steps native 2048 free2 1 100000 0 - - - - - - -
	steps dma 2048 cold 1 400000 0 - - - - - - -
	steps dma 2048 release 1 400000 0 - - - - - - -
	echo "BENCH-DONE"
} >"$tmp/native.results"
check "the report is written" python3 "$TOP/scripts/bench-report.py" "$tmp/xen.results" "$tmp/native.results" "$tmp"
# val <path> <size> <phase> <column>: one value of results.csv
val() {
	awk -F, -v k="$1,$2,$3" -v c="$4" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i }
		$1 "," $2 "," $3 == k { print $n }' "$tmp/results.csv"
}
# mainline cold: (3-1)+8+(2-2)+0+(4-4) = 10 hypercalls over 4 MiB, median time 6 ms
check_eq "hypercalls per MiB, baseline (median) subtracted" 2.5000 "$(val mainline 2048 cold hypercalls_per_mib)"
check_eq "time per MiB is the median over repeats" 1.5000 "$(val mainline 2048 cold ms_per_mib)"
check_eq "sub-operations: calls from multicall + page updates" 128.0000 "$(val mainline 2048 cold subops_per_mib)"
# ours cycle: cold (1+0+2+0+1=4) + release (0) + shrink (4) = 8 over 4 MiB
check_eq "our cycle counts cold, release and shrink" 2.0000 "$(val ours 2048 cycle hypercalls_per_mib)"
check_eq "hypercalls our source issued (debugfs), per MiB" 2.0000 "$(val ours 2048 cycle issued_per_mib)"
check_eq "our cycle time is the sum of its steps" 1.2500 "$(val ours 2048 cycle ms_per_mib)"
check_eq "native dma is told apart from dma under Xen" 0.1000 "$(val native-dma 2048 cold ms_per_mib)"
check "the table compares the paths" grep -q '^| 2 MiB | 4.50 | 2.00 | 2.2x | 2.00 |' "$tmp/table.md"
check "the plot is drawn" test -s "$tmp/bench.png"
echo "XTEST-FAIL: ours 2048KiB: every page below the device's limit: 3 above" >>"$tmp/xen.results"
check "a failed check in a log fails the report" sh -c "! python3 '$TOP/scripts/bench-report.py' '$tmp/xen.results' '$tmp/native.results' '$tmp' >/dev/null 2>&1"
check "and the table says why" grep -q "ERROR: XTEST-FAIL: ours 2048KiB" "$tmp/table.md"

# An incomplete run is no result (a crashed boot printed 'ok' once).
report_fails() { ! python3 "$TOP/scripts/bench-report.py" "$tmp/x.results" "$tmp/native.results" "$tmp" >/dev/null 2>&1; }
grep -v '^XTEST-FAIL' "$tmp/xen.results" | grep -v '^BENCH-DONE' >"$tmp/x.results"
check "a run without its end marker fails the report" report_fails
check "... naming what is missing" grep -q "no BENCH-DONE end marker" "$tmp/table.md"
grep -v '^XTEST-FAIL' "$tmp/xen.results" | grep -v '^BENCH ours 2048 warm 2 ' >"$tmp/x.results"
check "a run missing one repeat of one step fails the report" report_fails
check "... naming the step" grep -q "ours 2048 warm: 2 of 3 repeats" "$tmp/table.md"
grep -v '^XTEST-FAIL' "$tmp/xen.results" | grep -v '^BENCH-CONFIG' >"$tmp/x.results"
check "a run without its configuration fails the report" report_fails
: >"$tmp/x.results"
check "an empty log (a boot that crashed before the benchmark) fails the report" report_fails

# Single-populate latencies: a run that announces them must hold them all,
# with figures, and the table compares ours' tail with mainline's median.
lat_logs() {
	sed -e 's/^\(BENCH-CONFIG .*\)$/\1 lat_sizes=4 lat_total_mib=1 lat_gap_us=0/' \
		-e '/^XTEST-FAIL/d' "$tmp/xen.results" >"$tmp/x.results"
	sed 's/^\(BENCH-CONFIG .*\)$/\1 lat_sizes=4 lat_total_mib=1 lat_gap_us=0/' \
		"$tmp/native.results" >"$tmp/n.results"
}
lat_report() { python3 "$TOP/scripts/bench-report.py" "$tmp/x.results" "$tmp/n.results" "$tmp" >/dev/null 2>&1; }
lat_logs
lat_shared() {
	echo "BENCH-LAT-SHARED mainline 4 1200 19000 28000 80000 80 40000 0 0 0 0" >>"$tmp/x.results"
	echo "BENCH-LAT-SHARED ours 4 1240 3900 7000 9000 36 30000 2 350000 2 60000" >>"$tmp/x.results"
	echo "BENCH-LAT-SHARED native 4 1280 2000 3000 5000 0 0 0 0 0 0" >>"$tmp/n.results"
}
echo "BENCH-LAT mainline 4 1280 20000 30000 90000" >>"$tmp/x.results"
echo "BENCH-LAT ours 4 1280 4000 8000 400000" >>"$tmp/x.results"
echo "BENCH-LAT native 4 1280 2000 3000 5000" >>"$tmp/n.results"
check "a run with its latencies but not their breakdown fails the report" sh -c "! python3 '$TOP/scripts/bench-report.py' '$tmp/x.results' '$tmp/n.results' '$tmp' >/dev/null 2>&1"
check "... naming it" grep -q "no latency breakdown for ours 4 KiB" "$tmp/table.md"
lat_shared
check "a run with its latencies is reported" lat_report
check "the breakdown: share alone, its p50 / p99, share with an interrupt, its p50, inline refills, switches" \
	grep -q '^| 4 KiB | ours | 96.88% | 3.9 / 7.0 | 2.81% | 30 | 2 | 350 | 2 | 60 |' "$tmp/table.md"
check "... for every path, the native one without refills or switches" \
	grep -q '^| 4 KiB | native | 100.00% | 2.0 / 3.0 | 0.00% | - | 0 | - | 0 | - |' "$tmp/table.md"
check "the latency table: p50 / p99 / max in microseconds, ours' p99 and max over mainline's median" \
	grep -q '^| 4 KiB | 1280 | 20 / 30 / 90 | 4.0 / 8.0 / 400 | 2.0 / 3.0 / 5.0 | 0.40x | 20.00x |' "$tmp/table.md"
check_eq "latency.csv holds every path" 3 "$(grep -c ',4,1280,' "$tmp/latency.csv")"
lat_logs
echo "BENCH-LAT mainline 4 80 20000 30000 90000" >>"$tmp/x.results"
echo "BENCH-LAT ours 4 80 4000 8000 400000" >>"$tmp/x.results"
echo "BENCH-LAT native 4 80 2000 3000 5000" >>"$tmp/n.results"
lat_shared
check "a run with 80 samples per size is reported" lat_report
check "... without a 99th percentile of them (it would be the maximum) nor its ratio" \
	grep -q '^| 4 KiB | 80 | 20 / - / 90 | 4.0 / - / 400 | 2.0 / - / 5.0 | - | 20.00x |' "$tmp/table.md"
lat_logs
echo "BENCH-LAT mainline 4 1280 20000 30000 90000" >>"$tmp/x.results"
echo "BENCH-LAT native 4 1280 2000 3000 5000" >>"$tmp/n.results"
check "a run missing one path's latencies fails the report" sh -c "! python3 '$TOP/scripts/bench-report.py' '$tmp/x.results' '$tmp/n.results' '$tmp' >/dev/null 2>&1"
check "... naming it" grep -q "no latencies for ours 4 KiB" "$tmp/table.md"
echo "BENCH-LAT ours 4   " >>"$tmp/x.results"
check "a latency line without figures fails the report" sh -c "! python3 '$TOP/scripts/bench-report.py' '$tmp/x.results' '$tmp/n.results' '$tmp' >/dev/null 2>&1"
check "... saying so" grep -q "latency line without figures" "$tmp/table.md"
lat_logs
echo "BENCH-LAT mainline 4 1280 20000 30000 90000" >>"$tmp/x.results"
echo "BENCH-LAT ours 4 1280 4000 8000 400000" >>"$tmp/x.results"
echo "BENCH-LAT native 4 1280 2000 3000 5000" >>"$tmp/n.results"
lat_shared
echo "BENCH-LAT-SHARED ours 4 1240 3900 7000 9000 36 30000" >>"$tmp/x.results"
check "a breakdown line without every figure fails the report" sh -c "! python3 '$TOP/scripts/bench-report.py' '$tmp/x.results' '$tmp/n.results' '$tmp' >/dev/null 2>&1"
check "... saying so" grep -q "latency breakdown without figures" "$tmp/table.md"

# The benchmark report: the reading tool's baseline is subtracted, medians
# are taken over repeats, a cycle is cold + release (+ shrink), values are
# per MiB, and a failed check in a log fails the report.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/xen.serial" <<'LOG'
BENCH-CONFIG xen=1 perf=1 total_mib=4 repeats=3 sizes=2048
BENCH base 0 nop 1 0 0 1 0 2 0 4 0 10
BENCH base 0 nop 2 0 0 1 0 2 0 4 0 10
BENCH base 0 nop 3 0 0 9 0 2 0 4 0 10
BENCH mainline 2048 cold 1 8000000 0 3 8 2 0 4 512 10
BENCH mainline 2048 cold 2 4000000 0 3 8 2 0 4 512 10
BENCH mainline 2048 cold 3 6000000 0 3 8 2 0 4 512 10
BENCH mainline 2048 release 1 2000000 0 1 8 2 0 4 512 10
BENCH mainline 2048 warm 1 400000 0 1 0 2 0 4 0 10
BENCH ours 2048 cold 1 4000000 0 2 0 4 0 5 0 1034 4
BENCH ours 2048 release 1 100000 0 1 0 2 0 4 0 10 0
BENCH ours 2048 shrink 1 900000 0 2 0 4 0 5 0 1034 4
BENCH ours 2048 warm 1 200000 0 1 0 2 0 4 0 10
LOG
cat >"$tmp/native.serial" <<'LOG'
BENCH-CONFIG xen=0 perf=0 total_mib=4 repeats=1 sizes=2048
BENCH base 0 nop 1 0 0 - - - - - - -
BENCH native 2048 cold 1 1000000 0 - - - - - - -
BENCH native 2048 release 1 1000000 0 - - - - - - -
BENCH native 2048 warm 1 100000 0 - - - - - - -
BENCH dma 2048 cold 1 400000 0 - - - - - - -
LOG
check "the report is written" python3 "$TOP/scripts/bench-report.py" "$tmp/xen.serial" "$tmp/native.serial" "$tmp"
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
echo "XTEST-FAIL: ours 2048KiB: every page below the device's limit: 3 above" >>"$tmp/xen.serial"
check "a failed check in a log fails the report" sh -c "! python3 '$TOP/scripts/bench-report.py' '$tmp/xen.serial' '$tmp/native.serial' '$tmp' >/dev/null 2>&1"
check "and the table says why" grep -q "ERROR: XTEST-FAIL: ours 2048KiB" "$tmp/table.md"

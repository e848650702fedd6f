# The scale benchmark's report: medians per dom0 path, size and total with
# the reading tools' baseline subtracted, growth against the smallest total
# and the fewest guests (target: at most 1.1 times the work), Xen's count of
# a guests' window less the idle polling's, and an incomplete or failed run
# fails the report.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/scale.results" <<'LOG'
BENCH-SCALE-CONFIG xen=1 perf=1 repeats=1 totals=8,32 sizes=2048 guests=1,3 guest_mib=8 quota_mib=40
BENCH-SCALE base nop 0 0 nop 1 0 0 100 0
BENCH-SCALE base nop 0 0 nop 2 0 0 100 0
BENCH-SCALE base nop 0 0 nop 3 0 0 300 0
BENCH-SCALE dom0 mainline 2048 8 cold 1 8000000 0 1100 8
BENCH-SCALE dom0 mainline 2048 8 release 1 2000000 0 600 4
BENCH-SCALE dom0 mainline 2048 32 cold 1 32000000 0 4100 32
BENCH-SCALE dom0 mainline 2048 32 release 1 8000000 0 2100 16
BENCH-SCALE dom0 ours 2048 8 cold 1 4000000 0 200 4
BENCH-SCALE dom0 ours 2048 8 release 1 1000000 0 100 0
BENCH-SCALE dom0 ours 2048 8 shrink 1 1000000 0 200 2
BENCH-SCALE dom0 ours 2048 32 cold 1 22000000 0 600 16
BENCH-SCALE dom0 ours 2048 32 release 1 4000000 0 100 0
BENCH-SCALE dom0 ours 2048 32 shrink 1 2000000 0 300 2
BENCH-SCALE guest 1 1 8 1 500 10
BENCH-SCALE guests 1 8 1 1000 5000 1000
BENCH-SCALE guest 3 1 8 1 600 10
BENCH-SCALE guest 3 2 8 1 900 12
BENCH-SCALE guest 3 3 8 1 700 8
BENCH-SCALE guests 3 8 1 3000 15000 1000
BENCH-SCALE-DONE
LOG
check "the scale report is written" python3 "$TOP/scripts/bench-scale-report.py" "$tmp/scale.results" "$tmp"
# row <kind> <path or guests> <total MiB>: that row of scale.csv
row() { awk -F, -v k="$1,$2" -v t="$3" '$1 "," $2 == k && $4 == t { print $5, $6, $7 }' "$tmp/scale.csv"; }
check_eq "mainline 8 MiB cycle: cold + release, nop median (100) subtracted per step" "10.0 1500 12" "$(row dom0 mainline 8)"
check_eq "ours 32 MiB cycle: cold + release + shrink" "28.0 700 18" "$(row dom0 ours 32)"
check_eq "3 guests: slowest guest, net of the idle polling, issued in all" "900 12000 30" "$(row guests 3 24)"
contains() { grep -qF -- "$2" <<<"$1"; }
md=$(cat "$tmp/scale.md")
check "4x the work in 4.00x the time: met" contains "$md" "| mainline | 2048 KiB | 32 MiB | 40 | 1.25 | 187.50 | 1.50 | 4x work: 4.00x (met) | 4x work: 4.00x (met) | 4x work: 4.00x (met) |"
check "4x the work in 4.67x the time: missed (more than 4.4x)" contains "$md" "| ours | 2048 KiB | 32 MiB | 28 | 0.88 | 21.88 | 0.56 | 4x work: 4.67x (missed) | 4x work: 3.50x (met) | 4x work: 3.00x (met) |"
check "3 guests against 1: wall, slowest, issued, net hypercalls" contains "$md" "| 3 | 24 | 3,000 | 900 | 1.25 | 500.0 | 3x work: 3.00x (met) | 3x work: 1.80x (met) | 3x work: 3.00x (met) | 3x work: 3.00x (met) |"

# fails <description> <sed expression>: the report refuses the log so changed
fails() {
	sed "$2" "$tmp/scale.results" >"$tmp/bad.results"
	check "$1" sh -c "! python3 '$TOP/scripts/bench-scale-report.py' '$tmp/bad.results' '$tmp/bad' 2>'$tmp/err'"
	check "$1: says why" test -s "$tmp/err"
	check "$1: writes no report" test ! -e "$tmp/bad/scale.md"
}
fails "a run without its end marker" '/BENCH-SCALE-DONE/d'
fails "a guest count with a guest missing" '/guest 3 2 8 1/d'
fails "a dom0 step missing a repeat" '/ours 2048 32 shrink/d'
fails "a step without its time" 's/^BENCH-SCALE dom0 ours 2048 8 cold 1 4000000/BENCH-SCALE dom0 ours 2048 8 cold 1/'
fails "a failed check in the run" '$a XTEST-FAIL: guest 3 within its quota'
fails "no configuration line" '/BENCH-SCALE-CONFIG/d'

# A figure lost in the readings' noise (Xen's count at most the nop's) has
# no growth, rather than a ratio of noise
sed 's/^BENCH-SCALE dom0 ours 2048 8 cold 1 4000000 0 200 4/BENCH-SCALE dom0 ours 2048 8 cold 1 4000000 0 90 4/; s/^BENCH-SCALE dom0 ours 2048 8 shrink 1 1000000 0 200 2/BENCH-SCALE dom0 ours 2048 8 shrink 1 1000000 0 90 2/' \
	"$tmp/scale.results" >"$tmp/noise.results"
check "a report with a figure in the noise is written" python3 "$TOP/scripts/bench-scale-report.py" "$tmp/noise.results" "$tmp/noise"
check "that figure's growth says so" grep -q "4x work: below the readings' noise" "$tmp/noise/scale.md"

# Growth is against the smallest total and the fewest guests, in whatever
# order the configuration lists them
sed 's/totals=8,32/totals=32,8/; s/guests=1,3/guests=3,1/' "$tmp/scale.results" >"$tmp/order.results"
check "a report with the lists in another order is written" python3 "$TOP/scripts/bench-scale-report.py" "$tmp/order.results" "$tmp/order"
check "the growth of 4x the total still against 8 MiB" grep -qF "| mainline | 2048 KiB | 32 MiB | 40 | 1.25 | 187.50 | 1.50 | 4x work: 4.00x (met)" "$tmp/order/scale.md"
check "the growth of 3 guests still against 1" grep -qF "| 3 | 24 | 3,000 | 900 | 1.25 | 500.0 | 3x work: 3.00x (met)" "$tmp/order/scale.md"

# Lines that carry Xen's count per hypercall: a table of it per MiB of the
# cycle, the readings' (nop) subtracted per step; without it in every line,
# no such table
check "the report of a run without the per-hypercall counts has no such table" sh -c "! grep -q 'per hypercall' '$tmp/scale.md'"
sed -e '/^BENCH-SCALE \(base\|dom0\)/s/$/ 10 0 20 0 5 0 30/' \
	-e 's/^\(BENCH-SCALE dom0 mainline 2048 8 cold .*\) 10 0 20 0 5 0 30$/\1 50 0 420 0 21 0 830/' \
	-e 's/^\(BENCH-SCALE dom0 mainline 2048 8 release .*\) 10 0 20 0 5 0 30$/\1 26 0 220 0 13 0 430/' \
	"$tmp/scale.results" >"$tmp/types.results"
check "a report with the per-hypercall counts is written" python3 "$TOP/scripts/bench-scale-report.py" "$tmp/types.results" "$tmp/types"
check "mainline 8 MiB: memory_op, multicall, mmu_update, update_va_mapping, mmuext_op, calls from multicall, page updates per MiB" \
	grep -qF "| mainline | 2048 KiB | 8 MiB | 7.00 | 0.00 | 75.00 | 0.00 | 3.00 | 0.00 | 150.00 |" "$tmp/types/scale.md"
check "ours 32 MiB: every count the nop's, none net" \
	grep -qF "| ours | 2048 KiB | 32 MiB | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 |" "$tmp/types/scale.md"
sed 's/^\(BENCH-SCALE dom0 ours 2048 8 cold .*\) 10 0 20 0 5 0 30$/\1 - - - - - - -/' "$tmp/types.results" >"$tmp/some.results"
check "a run where one reading has no per-hypercall counts is reported" python3 "$TOP/scripts/bench-scale-report.py" "$tmp/some.results" "$tmp/some"
check "... without the per-hypercall table" sh -c "! grep -q 'per hypercall' '$tmp/some/scale.md'"
cp "$tmp/types.results" "$tmp/scale.results"
fails "a line with part of the per-hypercall counts" 's/^\(BENCH-SCALE dom0 ours 2048 8 cold .*\) 10 0 20 0 5 0 30$/\1 10 0 20/'

# A run on a Xen with lock profiling: Xen's locks over each guests' window
lk="$tmp/locks.results"
sed '/BENCH-SCALE-DONE/d' "$tmp/types.results" >"$lk"
cat >>"$lk" <<'LOG'
BENCH-SCALE locks 1 1 all 5000 9000000 10 2000000
BENCH-SCALE locks 1 1 heap_lock 1000 4000000 5 1000000
BENCH-SCALE locks 1 1 page_alloc_lock 2000 3000000 2 500000
BENCH-SCALE locks 3 1 all 15000 40000000 300 800000000
BENCH-SCALE locks 3 1 heap_lock 3000 30000000 200 600000000
BENCH-SCALE locks 3 1 page_alloc_lock 6000 9000000 50 150000000
BENCH-SCALE-DONE
LOG
check "a report with lock profiles is written" python3 "$TOP/scripts/bench-scale-report.py" "$lk" "$tmp/locks"
check "1 guest: wall, heap_lock taken, held ms, blocked, blocked ms, per wall ms, page_alloc_lock and all blocked ms" \
	grep -qF "| 1 | 1,000 | 1,000 | 4.0 | 5 | 1.0 | 0.001 | 0.5 | 2.0 |" "$tmp/locks/scale.md"
check "3 guests: the heap lock's waits per ms of the window" \
	grep -qF "| 3 | 3,000 | 3,000 | 30.0 | 200 | 600.0 | 0.200 | 150.0 | 800.0 |" "$tmp/locks/scale.md"
cp "$lk" "$tmp/scale.results"
fails "a window without one lock's profile" '/locks 3 1 page_alloc_lock/d'
fails "a lock line without its figures" 's/^BENCH-SCALE locks 3 1 all .*/BENCH-SCALE locks 3 1 all 15000 x 300 8/'

# Benchmark (make bench; docs/benchmark.md): a DMA32-limited device's TTM
# pool, populated and freed through ttm_pool_alloc()/ttm_pool_free() by
# tests/modules/ttm_bench, along three paths in one boot:
#   mainline  use_dma_alloc -> dma_alloc_attrs -> xen-swiotlb, its pools off
#             (debugfs xen_contig_pool/enabled N): one exchange per extent
#   ours      the same with xen-swiotlb's pools of contiguous extents
#   dma       dma_alloc_attrs() alone, as in the issue's mainline table
# Without Xen the same runs give the native reference ("native", "dma").
# One line per measured step:
#   BENCH <path> <size KiB> <phase> <repeat> <ns> <pages above the limit> \
#         <memory_op> <multicall> <mmu_update> <update_va_mapping> \
#         <mmuext_op> <calls from multicall> <page updates> <issued>
# (hypercall counts from Xen's perf counters, '-' when Xen has none; Xen
# counts a hypercall again each time it resumes one it preempted.  <issued>:
# the hypercalls the exchange code made, from debugfs
# xen_contig_pool/hypercalls, '-' without Xen.)
#   BENCH-LAT <path> <size KiB> <samples> <p50 ns> <p99 ns> <max ns>
#   BENCH-LAT-SHARED <path> <size KiB> <alone> <p50 ns> <p99 ns> <max ns> \
#         <with an interrupt> <p50 ns> <refilled the pools> <p50 ns> \
#         <gave up the CPU> <p50 ns>
# (what the populates shared their time with, as counts of samples)
# (single-populate latency: buffers populated one by one from empty pools,
# a pause of bench.lat_gap microseconds between two, every repeat pooled;
# at least bench.repeats repeats, more until bench.lat_samples samples)
# Kernel command line: bench.total=<MiB> bench.repeats=<n> bench.sizes=<KiB:KiB...>
# bench.lat_total=<MiB> bench.lat_gap=<us> bench.lat_sizes=<KiB:KiB...>
# bench.lat_samples=<n>
# (no commas: QEMU's multiboot module list would split there)
# timeout: 3600
# dom0-args: xtest.nodisplay
. ../../system/lib.sh
. ../lib.sh

TOTAL=$(arg_num bench.total 256)
REPEATS=$(arg_num bench.repeats 5)
SIZES=$(arg bench.sizes | tr ':' ' ')
SIZES=${SIZES:-4 64 2048 16384}
DMA_SIZES="4 64 2048"
LAT_TOTAL=$(arg_num bench.lat_total 32)
LAT_GAP=$(arg bench.lat_gap || true)
LAT_GAP=$((${LAT_GAP:-100} + 0))
LAT_SIZES=$(arg bench.lat_sizes | tr ':' ' ')
LAT_SIZES=${LAT_SIZES:-4 64 2048}
# A 99th percentile needs samples enough for it: large buffers' latency
# runs repeat until they have this many
LAT_SAMPLES=$(arg_num bench.lat_samples 1000)
total_bytes=$((TOTAL * 1024 * 1024))

result "BENCH-CONFIG xen=$xen perf=$perf total_mib=$TOTAL repeats=$REPEATS sizes=$(echo $SIZES | tr ' ' ,) dma_sizes=$(echo $DMA_SIZES | tr ' ' ,) lat_sizes=$(echo $LAT_SIZES | tr ' ' ,) lat_total_mib=$LAT_TOTAL lat_gap_us=$LAT_GAP lat_samples=$LAT_SAMPLES"

modprobe ttm && modprobe ttm_bench || { fail "ttm_bench loads"; exit 1; }

# step <path> <size> <phase> <repeat> <command...>: one ttm_bench command
# (bench_ctl), its BENCH line
step() {
	_path=$1 _size=$2 _phase=$3 _rep=$4
	shift 4
	if ! bench_ctl "$@"; then
		fail "$_path ${_size}KiB $_phase: '$*'"
		return 1
	fi
	_c=$bc_counters _issued=$bc_issued _r=$bc_result
	# Per path: hypercalls by Xen's count (memory_op to mmuext_op, those
	# of the reading tools included), by the exchange code's, and steps
	if [ $perf = 1 ]; then
		eval "hc_$_path=\$((\${hc_$_path:-0} + $(hypercalls "$_c")))"
		eval "steps_$_path=\$((\${steps_$_path:-0} + 1))"
	fi
	[ "$_issued" = - ] || eval "issued_$_path=\$((\${issued_$_path:-0} + _issued))"
	echo "$_path $_size $_phase $_c" >>/tmp/bench-steps
	_ns=$(field ns "$_r")
	_above=$(field above "$_r")
	result "BENCH $_path $_size $_phase $_rep ${_ns:-0} ${_above:-0} $_c $_issued"
	[ "${_above:-0}" = 0 ] || fail "$_path ${_size}KiB $_phase: every page below the device's limit" "$_above above"
}

# ttm_path <path> <pooling Y|N>: cold, warm and release per size, the
# device's pool on dma_alloc_attrs() (use_dma_alloc), as under Xen PV
ttm_path() {
	[ $xen = 0 ] || echo "$2" >$CONTIG/enabled || { fail "$1: xen_contig_pool/enabled $2"; return; }
	for size in $SIZES; do
		r=1
		while [ $r -le $REPEATS ]; do
			echo init >$B/ctl || { fail "$1: pool init"; return; }
			[ $r = 1 ] && check_eq "$1 ${size}KiB: the pool takes coherent DMA pages" 1 \
				"$(field coherent "$(cat $B/result)")"
			# a 32-bit device on a host with memory above 4 GiB
			[ $r = 1 ] && [ $xen = 1 ] && check_eq "$1 ${size}KiB: use_dma32, as radeon computes it" 1 \
				"$(field dma32 "$(cat $B/result)")"
			step "$1" "$size" cold "$r" alloc $((size * 1024)) $total_bytes || return
			step "$1" "$size" free "$r" free
			step "$1" "$size" warm "$r" alloc $((size * 1024)) $total_bytes || return
			step "$1" "$size" free2 "$r" free
			step "$1" "$size" release "$r" fini
			# xen-swiotlb's pools outlive the device's pool: their
			# frames go back when the shrinker runs
			[ "$1" = ours ] && step "$1" "$size" shrink "$r" shrink
			r=$((r + 1))
		done
	done
}

# lat_repeats <size KiB>: bench.repeats, or more for bench.lat_samples
lat_repeats() {
	_per=$((LAT_TOTAL * 1024 / $1))
	[ $_per -gt 0 ] || _per=1
	_n=$(((LAT_SAMPLES + _per - 1) / _per))
	echo $((_n > REPEATS ? _n : REPEATS))
}

# lat_path <path> <pooling Y|N>: single-populate latency per size, from
# empty pools each repeat (ours: xen-swiotlb's pools shrunk first)
lat_path() {
	[ $xen = 0 ] || echo "$2" >$CONTIG/enabled || { fail "$1: xen_contig_pool/enabled $2"; return; }
	for size in $LAT_SIZES; do
		echo latreset >$B/ctl
		r=1 reps=$(lat_repeats "$size")
		while [ $r -le $reps ]; do
			[ $xen = 0 ] || echo shrink >$B/ctl
			echo init >$B/ctl || { fail "$1: pool init"; return; }
			if ! echo "lat $((size * 1024)) $((LAT_TOTAL * 1024 * 1024)) $LAT_GAP" >$B/ctl; then
				fail "$1 ${size}KiB: latency run $r"
				return
			fi
			_r=$(cat $B/result)
			echo fini >$B/ctl
			check_eq "$1 ${size}KiB latency run $r: every page below the device's limit" 0 "$(field above "$_r")"
			r=$((r + 1))
		done
		result "BENCH-LAT $1 $size $(field n "$_r") $(field p50 "$_r") $(field p99 "$_r") $(field max "$_r")"
		result "BENCH-LAT-SHARED $1 $size $(field clean "$_r") $(field clean_p50 "$_r") $(field clean_p99 "$_r") $(field clean_max "$_r") $(field irq "$_r") $(field irq_p50 "$_r") $(field refill "$_r") $(field refill_p50 "$_r") $(field switched "$_r") $(field switched_p50 "$_r")"
	done
}

dma_path() {
	for size in $DMA_SIZES; do
		r=1
		while [ $r -le $REPEATS ]; do
			step dma "$size" cold "$r" dma $((size * 1024)) $total_bytes || return
			step dma "$size" release "$r" dmafree
			r=$((r + 1))
		done
	done
}

# check_batched_ptes: per cold step of ours with buffers of 64 KiB or more,
# Xen's page updates per mmu_update hypercall (less the nop step's)
check_batched_ptes() {
	awk '$1 == "base" { mu = $6; pu = $10 }
	     $1 == "ours" && $3 == "cold" && $2 >= 64 {
		n = $6 - mu; u = $10 - pu
		printf "%s %d %d\n", $2, u, n }' /tmp/bench-steps |
	while read -r _size _updates _calls; do
		check "ours ${_size}KiB cold: TTM's PTE writes batched ($_updates page updates in $_calls mmu_update calls)" \
			test "$_calls" -gt 0 -a "$_updates" -ge $((8 * _calls))
	done
}

rm -f /tmp/bench-steps
r=1
while [ $r -le $REPEATS ]; do
	step base 0 nop "$r" nop
	hypercalls "$_c" >>/tmp/bench-base
	r=$((r + 1))
done
# The reading tools' own hypercalls per step: the median of the nop steps
hc_base=$(sort -n /tmp/bench-base | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] + 0 }')
rm -f /tmp/bench-base
echo shrink >$B/ctl
if [ $xen = 1 ]; then
	ttm_path mainline N
	ttm_path ours Y
	lat_path mainline N
	lat_path ours Y
	mib=$((TOTAL * $(echo $SIZES | wc -w) * REPEATS))
	# The exchanges (refills, give-backs): at most 4 hypercalls per MiB
	# populated and given back, whatever the buffer size
	check "ours: the exchanges make at most 4 hypercalls per MiB (${issued_ours:-0} for $mib MiB)" \
		test "${issued_ours:-0}" -le $((4 * mib))
	# Everything, TTM's caching changes included, by Xen's count less the
	# reading tools' own (the nop steps' median): fewer than mainline's
	check "Xen counts hypercalls (perf counters)" test $perf = 1
	ours=$((${hc_ours:-0} - ${steps_ours:-0} * hc_base))
	mainline=$((${hc_mainline:-0} - ${steps_mainline:-0} * hc_base))
	result "BENCH-OURS hypercalls=$ours mainline=$mainline issued=${issued_ours:-0} mib=$mib"
	# TTM changes the caching of a buffer's pages with one request; a
	# request of 16 pages or more (64 KiB buffers and up) must write its
	# PTEs in batches.  Unbatched, each PTE is one mmu_update and the
	# exchanges' own arrays at most double the page updates counted.
	check_batched_ptes
	check "ours: fewer hypercalls than mainline by Xen's count ($ours vs $mainline for $mib MiB)" \
		test $perf = 1 -a "$ours" -lt "$mainline"
	# dma_alloc_attrs() alone, as mainline (pools off)
	echo N >$CONTIG/enabled
else
	ttm_path native -
	lat_path native -
fi
dma_path
[ $xen = 0 ] || echo Y >$CONTIG/enabled
check "ttm_bench unloads" rmmod ttm_bench
result "BENCH-DONE"

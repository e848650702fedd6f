# Benchmark (make bench; docs/benchmark.md): a DMA32-limited device's TTM
# pool, populated and freed through ttm_pool_alloc()/ttm_pool_free() by
# tests/modules/ttm_bench, along three paths in one boot:
#   mainline  ttm.xen_pool=0: use_dma_alloc -> dma_alloc_attrs -> xen-swiotlb
#   ours      ttm.xen_pool=1: the Xen page source
#   dma       dma_alloc_attrs() alone, as in the mainline table
# Without Xen the same runs give the native reference ("native", "dma").
# One line per measured step:
#   BENCH <path> <size KiB> <phase> <repeat> <ns> <pages above the limit> \
#         <memory_op> <multicall> <mmu_update> <update_va_mapping> \
#         <mmuext_op> <calls from multicall> <page updates> <issued>
# (hypercall counts from Xen's perf counters, '-' when Xen has none; Xen
# counts a hypercall again each time it resumes one it preempted.  <issued>:
# the hypercalls our page source made, from its debugfs, '-' for the others.)
# Kernel command line: bench.total=<MiB> bench.repeats=<n> bench.sizes=<KiB:KiB...>
# (no commas: QEMU's multiboot module list would split there)
# timeout: 3600
# dom0-args: xtest.nodisplay
. ../../system/lib.sh

arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n 1; }
TOTAL=$(($(arg bench.total || true) + 0))
[ "$TOTAL" -gt 0 ] || TOTAL=256
REPEATS=$(($(arg bench.repeats || true) + 0))
[ "$REPEATS" -gt 0 ] || REPEATS=5
SIZES=$(arg bench.sizes | tr ':' ' ')
SIZES=${SIZES:-4 64 2048 16384}
DMA_SIZES="4 64 2048"
B=/sys/kernel/debug/ttm_bench
PARAM=/sys/module/ttm/parameters/xen_pool
total_bytes=$((TOTAL * 1024 * 1024))

xen=0
[ "$(cat /sys/hypervisor/type 2>/dev/null)" = xen ] && xen=1
perf=0
[ $xen = 1 ] && xenperf -p 2>/dev/null | grep -q '^calls from multicall' && perf=1
result "BENCH-CONFIG xen=$xen perf=$perf total_mib=$TOTAL repeats=$REPEATS sizes=$(echo $SIZES | tr ' ' ,) dma_sizes=$(echo $DMA_SIZES | tr ' ' ,)"

modprobe ttm && modprobe ttm_bench || { fail "ttm_bench loads"; exit 1; }

# The counters of 'xenperf -p' the benchmark reports, in BENCH line order
counters() {
	[ $perf = 1 ] || { echo "- - - - - - -"; return; }
	xenperf -p | awk '
		$1 == "memory_op" { mo = $2 } $1 == "multicall" { mc = $2 }
		$1 == "mmu_update" { mu = $2 } $1 == "update_va_mapping" { uv = $2 }
		$1 == "mmuext_op" { me = $2 }
		/^calls from multicall/ { sub(/.*T= */, ""); cm = $1 }
		/^page updates/ { sub(/.*T= */, ""); pu = $1 }
		END { printf "%d %d %d %d %d %d %d\n", mo, mc, mu, uv, me, cm, pu }'
}

# Hypercalls our page source counted (ttm/xen_pools), all pools
xen_pool_hypercalls() {
	awk '$1 == "hypercalls" { n += $2 } END { print n + 0 }' /sys/kernel/debug/ttm/xen_pools 2>/dev/null
}

# step <path> <size> <phase> <repeat> <command...>: run one ttm_bench
# command between a reset and a reading of Xen's counters
step() {
	_path=$1 _size=$2 _phase=$3 _rep=$4
	shift 4
	_issued=-
	[ "$_path" = ours ] && _issued=$(xen_pool_hypercalls)
	[ $perf = 1 ] && xenperf -r >/dev/null
	if ! echo "$*" >$B/ctl; then
		fail "$_path ${_size}KiB $_phase: '$*'"
		return 1
	fi
	_c=$(counters)
	[ "$_path" = ours ] && _issued=$(($(xen_pool_hypercalls) - _issued))
	_r=$(cat $B/result)
	_ns=$(field ns "$_r")
	_above=$(field above "$_r")
	result "BENCH $_path $_size $_phase $_rep ${_ns:-0} ${_above:-0} $_c $_issued"
	[ "${_above:-0}" = 0 ] || fail "$_path ${_size}KiB $_phase: every page below the device's limit" "$_above above"
}

# ttm_path <path> <source expected>: cold, warm and release per size
# ("coherent": TTM's dma_alloc_attrs() source, mainline's use_dma_alloc)
ttm_path() {
	for size in $SIZES; do
		r=1
		while [ $r -le $REPEATS ]; do
			echo init >$B/ctl || { fail "$1: pool init"; return; }
			src=$(field source "$(cat $B/result)")
			[ $r = 1 ] && check_eq "$1 ${size}KiB: the pool takes pages from the $2 source" "$2" "$src"
			step "$1" "$size" cold "$r" alloc $((size * 1024)) $total_bytes || return
			step "$1" "$size" free "$r" free
			step "$1" "$size" warm "$r" alloc $((size * 1024)) $total_bytes || return
			step "$1" "$size" free2 "$r" free
			step "$1" "$size" release "$r" fini
			# The Xen pools outlive the device's pool: their frames go
			# back when the shrinker runs
			[ "$1" = ours ] && step "$1" "$size" shrink "$r" shrink
			r=$((r + 1))
		done
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

r=1
while [ $r -le $REPEATS ]; do step base 0 nop "$r" nop; r=$((r + 1)); done
echo shrink >$B/ctl
# xen-swiotlb's pools of contiguous extents (linux-patches: x86/xen) are off
# for the mainline and dma paths, so that those are mainline's.
CONTIG=/sys/kernel/debug/xen_contig_pool
contig_pool() {
	[ -e $CONTIG/enabled ] || return 0
	echo "$1" >$CONTIG/enabled
}
if [ $xen = 1 ]; then
	contig_pool N
	echo N >$PARAM
	ttm_path mainline coherent
	echo Y >$PARAM
	hc_before=$(xen_pool_hypercalls)
	ttm_path ours xen
	# Our page source counts its own hypercalls (debugfs): at most 4 per MiB
	# populated and given back, the 4 KiB-granular target, whatever the size
	hc=$(($(xen_pool_hypercalls) - hc_before))
	mib=$((TOTAL * $(echo $SIZES | wc -w) * REPEATS))
	result "BENCH-OURS hypercalls=$hc mib=$mib"
	check "ours: at most 4 hypercalls per MiB ($hc for $mib MiB, from debugfs)" test $((hc)) -le $((4 * mib))
else
	ttm_path native coherent
fi
dma_path
contig_pool Y
check "ttm_bench unloads" rmmod ttm_bench
result "BENCH-DONE"

# Benchmark at scale (make bench, stage "scale"; docs/benchmark.md): how the
# figures grow with the total size of the buffers and with the number of
# guests populating at the same time.
#
# dom0: a DMA32-limited device's TTM pool (tests/modules/ttm_bench, as in
# tests/bench/ttm-pool) populated cold and released, for each total size
# (bench.scale_totals, MiB; default 256 and 1024: 1 GiB of buffers) and
# buffer size (bench.scale_sizes, KiB), along mainline's path (xen-swiotlb's
# pools off) and ours.  One line per step:
#   BENCH-SCALE dom0 <path> <size KiB> <total MiB> <phase> <repeat> <ns> \
#         <pages above the limit> <hypercalls by Xen's count> <issued> \
#         <memory_op> <multicall> <mmu_update> <update_va_mapping> \
#         <mmuext_op> <calls from multicall> <page updates>
#   BENCH-SCALE base nop 0 0 nop <repeat> 0 0 <hypercalls> 0 <the same 7>
# (nop: the reading tools' own hypercalls, subtracted by the report.)
#
# guests: for each count of guests (bench.scale_guests, default 1 and 3),
# that many PV guests with a DMA32 quota each (the test agent, xen-swiotlb
# through iommu=soft) populate bench.scale_guest_mib MiB of 1 MiB TTM
# buffers at the same time (tests/modules/ttm_workload, write-back; each
# waits in the guest for a xenstore key that dom0 writes to all at once).
#   BENCH-SCALE guest <guests> <guest> <MiB> <repeat> <ms> <issued>
#   BENCH-SCALE guests <guests> <MiB each> <repeat> <wall ms> <hypercalls> \
#         <idle hypercalls per s>
#   BENCH-SCALE locks <guests> <repeat> heap_lock|page_alloc_lock|all \
#         <taken> <held ns> <blocked> <blocked ns>
# (only on a Xen with lock profiling: Xen's locks over the window; the
# page_alloc_locks of all domains together)
# <ms> and <issued> are the guest's own (the workload's time, its exchange
# code's hypercalls); <hypercalls> is Xen's count over the window, all
# domains, and the last field the same count per second with every guest
# idle and dom0 polling them as during the window (the agents' processes).
# timeout: 5400
# machine: pc,max-ram-below-4g=2G
# mem: 6144
# xen-args: dom0_mem=2048M,max:2048M
# cpus: 4
# dom0-args: xtest.nodisplay
. ../../system/lib.sh
. ../lib.sh

REPEATS=$(arg_num bench.scale_repeats 3)
TOTALS=$(arg bench.scale_totals | tr ':' ' ')
TOTALS=${TOTALS:-256 1024}
SIZES=$(arg bench.scale_sizes | tr ':' ' ')
SIZES=${SIZES:-4 2048}
GUESTS=$(arg bench.scale_guests | tr ':' ' ')
GUESTS=${GUESTS:-1 3}
GUEST_MIB=$(arg_num bench.scale_guest_mib 256)
# Room for the workload's own pools beside its buffers
QUOTA_MIB=$((GUEST_MIB + 32))
result "BENCH-SCALE-CONFIG xen=$xen perf=$perf repeats=$REPEATS totals=$(echo $TOTALS | tr ' ' ,) sizes=$(echo $SIZES | tr ' ' ,) guests=$(echo $GUESTS | tr ' ' ,) guest_mib=$GUEST_MIB quota_mib=$QUOTA_MIB"

check "the scale benchmark runs under Xen with perf counters" test $perf = 1 || exit 1
modprobe ttm && modprobe ttm_bench || { fail "ttm_bench loads"; exit 1; }

# now_ms: milliseconds since boot
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

# dom0_step <path> <size> <total> <phase> <repeat> <command...>: one
# ttm_bench command (bench_ctl), its BENCH-SCALE line
dom0_step() {
	_path=$1 _size=$2 _total=$3 _phase=$4 _rep=$5
	shift 5
	if ! bench_ctl "$@"; then
		fail "dom0 $_path ${_size}KiB ${_total}MiB $_phase: '$*'"
		return 1
	fi
	_r=$bc_result
	_above=$(field above "$_r")
	result "BENCH-SCALE dom0 $_path $_size $_total $_phase $_rep $(field ns "$_r") ${_above:-0} $(hypercalls "$bc_counters") $bc_issued $bc_counters"
	[ "${_above:-0}" = 0 ] ||
		fail "dom0 $_path ${_size}KiB ${_total}MiB $_phase: every page below the device's limit" "$_above above"
}

# dom0_path <path> <pooling Y|N>: cold populate and release of each total
dom0_path() {
	echo "$2" >$CONTIG/enabled || { fail "$1: xen_contig_pool/enabled $2"; return; }
	for size in $SIZES; do
		for total in $TOTALS; do
			r=1
			while [ $r -le $REPEATS ]; do
				echo shrink >$B/ctl
				echo init >$B/ctl || { fail "$1: pool init"; return; }
				dom0_step "$1" "$size" "$total" cold $r alloc $((size * 1024)) $((total * 1024 * 1024)) || return
				dom0_step "$1" "$size" "$total" release $r fini
				[ "$1" = ours ] && dom0_step "$1" "$size" "$total" shrink $r shrink
				r=$((r + 1))
			done
		done
	done
}

# The largest total must fit below 4 GiB with room to spare
low_free=$(xl_info_field dma32_free_memory)
largest=$(echo $TOTALS | tr ' ' '\n' | sort -n | tail -n 1)
check "free below 4 GiB ($low_free MiB) holds the largest total ($largest MiB)" \
	test "${low_free:-0}" -gt $((largest + 64)) || exit 1
r=1
while [ $r -le 3 ]; do
	bench_ctl nop
	result "BENCH-SCALE base nop 0 0 nop $r 0 0 $(hypercalls "$bc_counters") 0 $bc_counters"
	r=$((r + 1))
done
dom0_path mainline N
dom0_path ours Y
echo shrink >$B/ctl
check "ttm_bench unloads" rmmod ttm_bench

# all_done <domids...>: has every guest's workload ended? (one agent call
# per guest, the same calls while idle and while working)
all_done() {
	ad_done=1
	for ad_dom in "$@"; do
		[ "$(agent "$ad_dom" workload-result)" = running ] && ad_done=0
	done
	[ $ad_done = 1 ]
}

# Xen's lock profile, if this Xen keeps one (make bench-locks builds it):
# reset as a window begins, read as it ends
lockprof=0
xenlockprof -r >/dev/null 2>&1 && lockprof=1

# lock_lines <guests> <repeat>: a BENCH-SCALE locks line for the heap lock,
# every domain's page_alloc_lock and all locks together, from xenlockprof
lock_lines() {
	[ $lockprof = 1 ] || return 0
	xenlockprof | awk -F': lock:' -v pre="BENCH-SCALE locks $1 $2" '
		NF == 2 {
			rest = $2; gsub(/[(),s]|block:/, " ", rest); split(rest, v, " ")
			name = $1; sub(/ +$/, "", name)
			key = ""
			if (name ~ /^global lock heap_lock$/) key = "heap_lock"
			if (name ~ / lock page_alloc_lock$/) key = "page_alloc_lock"
			for (k in want) if (k == key || k == "all") {
				n[k] += v[1]; t[k] += v[2]; bn[k] += v[3]; bt[k] += v[4]
			}
		}
		BEGIN { want["heap_lock"]; want["page_alloc_lock"]; want["all"] }
		END { for (k in want)
			printf "%s %s %d %.0f %d %.0f\n", pre, k, n[k], t[k] * 1e9, bn[k], bt[k] * 1e9 }' |
		sort | while read -r line; do result "$line"; done
}

# poll_guests <seconds> <domids...>: poll as while waiting, for that long
poll_guests() {
	_end=$(($(now_ms) + $1 * 1000))
	shift
	while [ "$(now_ms)" -lt $_end ]; do
		all_done "$@"
		sleep 1
	done
}

# pool_hypercalls <domid>: the guest's exchange hypercalls so far (0 and a
# failure when it cannot tell)
pool_hypercalls() {
	_v=$(agent "$1" pool-hypercalls)
	case $_v in
	'' | *[!0-9]*) fail "guest $1 reports its exchange hypercalls" "$_v" >&2; echo 0 ;;
	*) echo "$_v" ;;
	esac
}

# scale_guests <n> <repeat>: n guests populate at the same time
scale_guests() {
	sg_n=$1 sg_rep=$2 doms= i=1
	low_start=$(xl_info_field dma32_free_memory)
	while [ $i -le "$sg_n" ]; do
		GUEST_EXTRA="iommu=soft swiotlb=512" guest_cfg sg$i $((GUEST_MIB + 160)) "dma32_quota = $QUOTA_MIB"
		check "$sg_n guests, repeat $sg_rep: xl create sg$i with dma32_quota=$QUOTA_MIB" xl_create /tmp/sg$i.cfg
		xl domid sg$i >/dev/null 2>&1 || { destroy_guests $((i - 1)); return; }
		doms="$doms $(xl domid sg$i)"
		i=$((i + 1))
	done
	for d in $doms; do
		check_eq "guest $d reads its quota" $((QUOTA_MIB * 1024)) "$(agent $d quota)"
	done
	# Xen's count with the guests idle and dom0 polling them
	xenperf -r >/dev/null
	t0=$(now_ms)
	# shellcheck disable=SC2086
	poll_guests 10 $doms
	idle=$(hypercalls "$(counters)")
	idle_rate=$((idle * 1000 / ($(now_ms) - t0)))
	for d in $doms; do
		eval "issued_$d=$(pool_hypercalls $d)"
	done
	for d in $doms; do
		a=$(agent $d workload-go $GUEST_MIB 1024 1 wb=1)
		check_eq "guest $d ready to populate ${GUEST_MIB} MiB" started "$a"
		[ "$a" = started ] || { destroy_guests "$sg_n"; return; }
	done
	# every guest begins when its go key is written: a few ms apart
	xenperf -r >/dev/null
	[ $lockprof = 0 ] || xenlockprof -r >/dev/null
	t0=$(now_ms)
	for d in $doms; do
		xenstore-write /local/domain/$d/data/agent/go 1
	done
	# shellcheck disable=SC2086
	until all_done $doms; do
		[ $(($(now_ms) - t0)) -lt 1800000 ] || { fail "$sg_n guests: workloads end within 1800 s"; break; }
		sleep 1
	done
	wall=$(($(now_ms) - t0))
	hc=$(hypercalls "$(counters)")
	lock_lines "$sg_n" "$sg_rep"
	i=1
	for d in $doms; do
		w=$(agent $d workload-result)
		issued=$(($(pool_hypercalls $d) - $(eval echo "\$issued_$d")))
		check_eq "guest $d: $GUEST_MIB buffers of 1 MiB below 4 GiB (populated failed above corrupt)" \
			"$GUEST_MIB 0 0 0" "$(field populated "$w") $(field failed "$w") $(field above "$w") $(field corrupt "$w")"
		used=$(dma32_kb sg$i used)
		check "guest $d within its quota ($used of $((QUOTA_MIB * 1024)) kB)" test "${used:-0}" -le $((QUOTA_MIB * 1024))
		result "BENCH-SCALE guest $sg_n $i $GUEST_MIB $sg_rep $(field ms "$w") $issued"
		i=$((i + 1))
	done
	result "BENCH-SCALE guests $sg_n $GUEST_MIB $sg_rep $wall $hc $idle_rate"
	destroy_guests "$sg_n"
}

# destroy_guests <n>: the guests go, and free memory below 4 GiB returns
destroy_guests() {
	i=1
	while [ $i -le "$1" ]; do
		check "xl destroy sg$i" xl_destroy sg$i
		i=$((i + 1))
	done
	check "free below 4 GiB returns ($low_start MiB)" wait_info_back dma32_free_memory "$low_start" 60
}

for n in $GUESTS; do
	r=1
	while [ $r -le $REPEATS ]; do
		scale_guests "$n" $r
		r=$((r + 1))
	done
done
result "BENCH-SCALE-DONE"

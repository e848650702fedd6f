# Helpers of the benchmark scenarios (tests/bench/*/test.sh, dom0 side),
# after tests/system/lib.sh.
# shellcheck shell=sh

# arg <name>: the value of name=value on the kernel command line
arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n 1; }

# arg_num <name> <default>: a positive number from the command line
arg_num() {
	_v=$(($(arg "$1" || true) + 0))
	[ "$_v" -gt 0 ] || _v=$2
	echo "$_v"
}

B=/sys/kernel/debug/ttm_bench
CONTIG=/sys/kernel/debug/xen_contig_pool
xen=0
[ "$(cat /sys/hypervisor/type 2>/dev/null)" = xen ] && xen=1
perf=0
[ $xen = 1 ] && xenperf -p 2>/dev/null | grep -q '^calls from multicall' && perf=1

# The counters of 'xenperf -p' the benchmarks report, in this order:
# memory_op multicall mmu_update update_va_mapping mmuext_op, calls from
# multicall, page updates ('-' each without perf counters)
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

# hypercalls <counters>: the hypercalls among them (the first five)
hypercalls() { echo "$1" | awk '{ print $1 + $2 + $3 + $4 + $5 }'; }

# Hypercalls the exchange code made (debugfs), '-' without Xen
exchange_hypercalls() {
	if [ $xen = 1 ]; then cat $CONTIG/hypercalls; else echo -; fi
}

# bench_ctl <command...>: one ttm_bench command between a reset and a
# reading of Xen's counters; sets bc_counters (counters), bc_issued (the
# exchange code's hypercalls, '-' without Xen) and bc_result (its result)
bench_ctl() {
	bc_issued=$(exchange_hypercalls)
	[ $perf = 1 ] && xenperf -r >/dev/null
	echo "$*" >$B/ctl || return 1
	bc_counters=$(counters)
	[ $xen = 1 ] && bc_issued=$(($(exchange_hypercalls) - bc_issued))
	bc_result=$(cat $B/result)
}

# Common helpers for the xen-ttm build scripts. Source it; do not run it.
# shellcheck shell=bash

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=${BUILD:-$TOP/build}
LOGS=$BUILD/logs
CACHE=${XEN_TTM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xen-ttm}
JOBS=${JOBS:-$(nproc)}

die() { echo "error: $*" >&2; exit 1; }
warn() { echo "WARNING: $*" >&2; }
note() { echo "  $*"; }

# tracked_tests: the files under tests/ that dom0 gets, relative to tests/:
# the scenarios git tracks (system, bench, packages) (all of them outside a git checkout), their
# library, the failure patterns and allowed reports.
tracked_tests() {
	if git -C "$TOP" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$TOP/tests" ls-files -- system bench packages failure-patterns allowed-reports
	else
		(cd "$TOP/tests" && find system bench packages failure-patterns allowed-reports \
			-type f 2>/dev/null)
	fi
}

# scenario_names: the system scenarios that make test runs (tracked folders)
scenario_names() {
	tracked_tests | sed -n 's|^system/\([^/]*\)/test.sh$|\1|p' | sort
}

# Run one build stage: one progress line (with what ccache served, when it
# compiled anything), full output in build/logs/<name>.log, the log's tail on
# failure.  Each stage's time is added to build/logs/times.txt ("stage <name>
# <seconds> <ok|failed> <start>"), which tests/run.sh sums up before its verdict.
#   stage <n/m> <name> <description> -- command...
stage() {
	local num=$1 name=$2 desc=$3 t0 rc secs before
	shift 3
	[ "$1" = "--" ] && shift
	mkdir -p "$LOGS"
	printf '[%s] %s ... ' "$num" "$desc"
	t0=$(date +%s)
	before=$(ccache_counts)
	if "$@" >"$LOGS/$name.log" 2>&1; then
		rc=0
		secs=$(($(date +%s) - t0))
		printf 'ok (%ss%s)\n' "$secs" "$(ccache_delta "$before")"
		# a stage's warnings are shown, not only logged
		grep -a '^WARNING: ' "$LOGS/$name.log" | sed 's/^/    /' || true
	else
		rc=$?
		secs=$(($(date +%s) - t0))
		printf 'FAILED (%ss)\n' "$secs"
		echo "---- last 40 lines of build/logs/$name.log ----"
		tail -n 40 "$LOGS/$name.log"
		echo "---- end of build/logs/$name.log ----"
	fi
	echo "stage $name $secs $([ $rc = 0 ] && echo ok || echo failed) $t0" >>"$LOGS/times.txt"
	return $rc
}

# ccache_counts: "<hits> <misses>" of ccache's statistics (empty without it)
ccache_counts() {
	command -v ccache >/dev/null 2>&1 || return 0
	ccache --print-stats 2>/dev/null | awk '
		$1 == "direct_cache_hit" || $1 == "preprocessed_cache_hit" { h += $2 }
		$1 == "cache_miss" { m += $2 }
		END { print h + 0, m + 0 }'
}

# ccache_delta <counts before>: ", ccache <hits> hits <misses> misses" since
# then, nothing when the stage compiled nothing (a cold cache shows as misses)
ccache_delta() {
	[ -n "$1" ] || return 0
	# shellcheck disable=SC2046
	set -- $1 $(ccache_counts) # hits, misses before; hits, misses now
	[ $(($3 - $1 + $4 - $2)) -gt 0 ] || return 0
	printf ', ccache %s hits %s misses' $(($3 - $1)) $(($4 - $2))
}

# ccache, when installed.  Paths are hashed relative to the checkout
# (CCACHE_BASEDIR) so that every clone on this machine shares one cache.
# Sets CC_CMD for builds that take CC= ("ccache gcc"); builds that cannot
# (Xen's recursive makes) get ccache's masquerade directory first on PATH.
use_ccache() {
	CC_CMD=gcc
	command -v ccache >/dev/null 2>&1 || return 0
	export CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=1
	export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
	# Kbuild maps the absolute source path away with the first option, and
	# Xen gives the assembler its include directory as the second: the
	# result is the same in every clone, but the path (which basedir does
	# not rewrite inside these options) would make every hash differ.
	export CCACHE_IGNOREOPTIONS="-fmacro-prefix-map=* -Wa,-I*"
	CC_CMD="ccache gcc"
	[ -d /usr/lib/ccache ] && export PATH=/usr/lib/ccache:$PATH
	return 0
}

# kbuild_env [<host>]: the fixed build identity of our kernels, so that a
# rebuild of unchanged sources relinks nothing (<host>: qemu, the test bed's)
kbuild_env() {
	export KBUILD_BUILD_TIMESTAMP="Thu Jan  1 00:00:00 UTC 2026"
	export KBUILD_BUILD_USER=xen-ttm KBUILD_BUILD_HOST=${1:-qemu}
}

# The series' identity for package versions: series_epoch is when it last
# changed (its last commit, else its newest file), series_version
# "<yyyymmdd>.<hash of its patches>".
SERIES_DIRS="linux-patches xen-hooks libxl-config"
series_epoch() {
	local t
	# shellcheck disable=SC2086
	t=$(git -C "$TOP" log -1 --format=%ct -- $SERIES_DIRS 2>/dev/null || true)
	[ -n "$t" ] || t=$(cd "$TOP" && find $SERIES_DIRS -type f -printf '%T@\n' | sort -n | tail -n1)
	echo "${t%.*}"
}
series_version() {
	echo "$(date -u -d "@$(series_epoch)" +%Y%m%d).$(cd "$TOP" &&
		find $SERIES_DIRS -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-8)"
}

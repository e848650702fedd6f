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

# Run one build stage: one progress line, full output in build/logs/<name>.log,
# the log's tail on failure.
#   stage <n/m> <name> <description> -- command...
stage() {
	local num=$1 name=$2 desc=$3 t0 rc
	shift 3
	[ "$1" = "--" ] && shift
	mkdir -p "$LOGS"
	printf '[%s] %s ... ' "$num" "$desc"
	t0=$(date +%s)
	if "$@" >"$LOGS/$name.log" 2>&1; then
		rc=0
		printf 'ok (%ss)\n' "$(($(date +%s) - t0))"
	else
		rc=$?
		printf 'FAILED (%ss)\n' "$(($(date +%s) - t0))"
		echo "---- last 40 lines of build/logs/$name.log ----"
		tail -n 40 "$LOGS/$name.log"
		echo "---- end of build/logs/$name.log ----"
	fi
	return $rc
}

# ccache for builds that cannot take CC="ccache gcc" (Xen's recursive makes):
# put its masquerade directory first on PATH.
ccache_path() {
	if [ -d /usr/lib/ccache ]; then
		export CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=1
		export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
		export PATH=/usr/lib/ccache:$PATH
	fi
}

# Prefix the compiler with ccache when it is installed.
cc_wrapper() {
	if command -v ccache >/dev/null 2>&1; then
		export CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=1
		export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
		echo "ccache gcc"
	else
		echo gcc
	fi
}

#!/bin/bash
# Everything from a fresh checkout to bootable images, one line per stage.
# Logs: build/logs/<stage>.log.   build-all.sh [last-stage]  (deps fetch prepare
# linux xen tools initramfs) stops after the named stage; FROM=<stage> starts
# at that one (make test: the stages after prepare, beside the unit tests).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$TOP/scripts
last=${1:-initramfs}
from=${FROM:-deps}
case $from in
deps | fetch | prepare | linux | xen | tools | initramfs) ;;
*) die "FROM=$from: no such stage (deps fetch prepare linux xen tools initramfs)" ;;
esac
n=0
# a whole build starts a new list of times (tests/run.sh prints this run's,
# by their start times, so a partial build's older entries do not show)
[ -n "${1:-}" ] || [ "$from" != deps ] || { mkdir -p "$LOGS" && : >"$LOGS/times.txt"; }
step() {
	local name=$1
	n=$((n + 1))
	[ "$name" != "$from" ] || from=
	[ -n "$from" ] || stage "$n/7" "$@" || exit 1
	[ "$name" != "$last" ] || exit 0
}
step deps "installing host packages" -- "$S/deps.sh"
step fetch "fetching Linux 6.12 and Xen 4.20 sources (private apt)" -- "$S/fetch-sources.sh"
step prepare "applying linux-patches, xen-hooks, libxl-config" -- \
	sh -c "'$S/series.sh' prepare linux && '$S/series.sh' prepare xen"
# A kernel with lock, list and might-sleep debugging and a debug hypervisor
# (config/linux-debug.config, config/xen-debug.config), as make test boots
# them; DEBUG=0 builds release ones instead (make bench always builds its
# own release ones beside them).
if [ "${DEBUG:-1}" != 0 ]; then
	step linux "building Linux 6.12 (lockdep, list and atomic-sleep debugging)" -- \
		env EXTRA_CONFIG="$TOP/config/linux-debug.config" "$S/build-linux.sh"
	step xen "building the Xen 4.20 hypervisor (debug build)" -- \
		"$S/build-xen.sh" hypervisor "$BUILD/xen-obj" "$TOP/config/xen-debug.config"
else
	step linux "building Linux 6.12" -- "$S/build-linux.sh"
	step xen "building the Xen 4.20 hypervisor" -- "$S/build-xen.sh" hypervisor "$BUILD/xen-obj"
fi
step tools "building the Xen 4.20 tools" -- "$S/build-xen.sh" tools
step initramfs "building the dom0 and guest initramfs" -- "$S/mk-initramfs.sh"

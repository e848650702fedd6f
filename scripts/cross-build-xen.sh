#!/bin/bash
# Build the patched hypervisor for Arm (arm64, arm32) with Debian's cross
# compilers: the xen-hooks series is common code and must build there too.
# Debug builds, so that ASSERTs and debug-only code are compiled as well;
# arm64 with LLC coloring.  x86-options: the host's architecture with the
# options the test bed's Xen leaves out that the series touches (memory
# sharing).
#   cross-build-xen.sh [arm64|arm32|x86-options]...
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SRC=$BUILD/xen
[ -d "$SRC/.git" ] || die "build/xen is not prepared (make prepare)"

cross_prefix() {
	case $1 in
	arm64) echo aarch64-linux-gnu- ;;
	arm32) echo arm-linux-gnueabihf- ;;
	x86-options) echo "" ;;
	*) die "unknown architecture $1 (arm64 or arm32)" ;;
	esac
}

# Options beyond defconfig each build turns on (code the series changes)
extra_config() {
	case $1 in
	arm64) printf '%s\n' CONFIG_EXPERT=y CONFIG_LLC_COLORING=y ;;
	x86-options) printf '%s\n' CONFIG_UNSUPPORTED=y CONFIG_MEM_SHARING=y CONFIG_MEM_PAGING=y ;;
	esac
}

build_arch() {
	local arch=$1 target=$1 cross obj opt
	cross=$(cross_prefix "$arch")
	[ "$arch" != x86-options ] || target=x86_64
	obj=$BUILD/xen-obj-$arch
	mkdir -p "$obj"
	echo "== $arch (${cross}gcc)"
	make -C "$SRC/xen" O="$obj" XEN_TARGET_ARCH="$target" CROSS_COMPILE="$cross" defconfig
	{ echo "CONFIG_DEBUG=y"; extra_config "$arch"; } >>"$obj/.config"
	make -C "$SRC/xen" O="$obj" XEN_TARGET_ARCH="$target" CROSS_COMPILE="$cross" olddefconfig
	# an option olddefconfig dropped (a missing dependency) is not built
	for opt in $(extra_config "$arch"); do
		grep -qx "$opt" "$obj/.config" || die "$arch: $opt did not survive olddefconfig"
	done
	make -C "$SRC/xen" O="$obj" XEN_TARGET_ARCH="$target" CROSS_COMPILE="$cross" -j"$JOBS"
	ls -l "$obj/xen"
}

EXTRA_PKGS="gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf" "$(dirname "$0")/deps.sh"
use_ccache
for arch in "${@:-arm64 arm32 x86-options}"; do
	# shellcheck disable=SC2086
	for a in $arch; do build_arch "$a"; done
done
echo "cross build: ok"

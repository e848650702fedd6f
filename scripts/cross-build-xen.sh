#!/bin/bash
# Build the patched hypervisor for Arm (arm64, arm32) with Debian's cross
# compilers: the xen-hooks series is common code and must build there too.
# Debug builds, so that ASSERTs and debug-only code are compiled as well.
#   cross-build-xen.sh [arm64|arm32]...
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SRC=$BUILD/xen
[ -d "$SRC/.git" ] || die "build/xen is not prepared (make prepare)"

cross_prefix() {
	case $1 in
	arm64) echo aarch64-linux-gnu- ;;
	arm32) echo arm-linux-gnueabihf- ;;
	*) die "unknown architecture $1 (arm64 or arm32)" ;;
	esac
}

build_arch() {
	local arch=$1 cross obj
	cross=$(cross_prefix "$arch")
	obj=$BUILD/xen-obj-$arch
	mkdir -p "$obj"
	echo "== $arch (${cross}gcc)"
	make -C "$SRC/xen" O="$obj" XEN_TARGET_ARCH="$arch" CROSS_COMPILE="$cross" defconfig
	echo "CONFIG_DEBUG=y" >>"$obj/.config"
	make -C "$SRC/xen" O="$obj" XEN_TARGET_ARCH="$arch" CROSS_COMPILE="$cross" olddefconfig
	make -C "$SRC/xen" O="$obj" XEN_TARGET_ARCH="$arch" CROSS_COMPILE="$cross" -j"$JOBS"
	ls -l "$obj/xen"
}

EXTRA_PKGS="gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf" "$(dirname "$0")/deps.sh"
use_ccache
for arch in "${@:-arm64 arm32}"; do
	# shellcheck disable=SC2086
	for a in $arch; do build_arch "$a"; done
done
echo "cross build: ok"

#!/bin/bash
# Build Xen from build/xen.
#   build-xen.sh hypervisor [objdir] [kconfig fragment...]
#       out of tree into build/xen-obj (or objdir): default config + fragments
#   build-xen.sh tools
#       in tree; installed into build/xen-dist
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SRC=$BUILD/xen
DIST=$BUILD/xen-dist
# Test programs dom0 runs: ours, and Xen's own that run against a live
# hypervisor (tests/system/xen-tools-tests says which cannot run here)
XEN_TEST_PROGRAMS="dma32-quota cpu-policy resource xenstore paging-mempool"
[ -d "$SRC/.git" ] || die "build/xen is not prepared (make prepare)"
use_ccache

hypervisor() {
	local obj inputs stamp
	obj=$(realpath -m "${1:-$BUILD/xen-obj}")
	shift || true
	inputs=$(cat /dev/null "$@" | sha256sum)
	stamp=$obj/.xen-ttm-config-inputs
	mkdir -p "$obj"
	if [ ! -f "$obj/.config" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$inputs" ]; then
		make -C "$SRC/xen" O="$obj" defconfig
		if [ $# -gt 0 ]; then
			cat "$@" >>"$obj/.config"
			make -C "$SRC/xen" O="$obj" olddefconfig
		fi
		echo "$inputs" >"$stamp"
	fi
	make -C "$SRC/xen" O="$obj" -j"$JOBS"
	ls -l "$obj/xen-syms" "$obj/xen"
}

# Flex and bison outputs ship in the tarball.  After a git checkout their
# sources can look newer, and the build would regenerate them with the host's
# tools and leave the tree dirty: keep the shipped ones while the source is
# the base's.
keep_shipped_parsers() {
	local src gen
	for src in $(git ls-files -- 'tools/*.l' 'tools/*.y'); do
		git diff --quiet base -- "$src" || continue
		for gen in "${src%.*}.c" "${src%.*}.h"; do
			[ -f "$gen" ] && touch "$gen"
		done
	done
	return 0
}

tools() {
	if dpkg -s libxen-dev >/dev/null 2>&1; then
		die "libxen-dev is installed: its headers in /usr/include shadow the tree's and break the tools build; apt-get remove libxen-dev"
	fi
	cd "$SRC"
	# xentop (the monitors) is built: administrators read DMA32 use there;
	# systemd units and man pages for the packages (make deb); Debian's
	# python3, whatever else is first on PATH (scripts' #! lines)
	local flags="--prefix=/usr --enable-systemd --disable-stubdom
		--disable-xen --disable-qemu-traditional --disable-rombios
		--disable-seabios --disable-ipxe --disable-ovmf --disable-ocamltools
		--disable-golang --disable-pvshim --disable-pygrub --disable-xsmpolicy
		--with-system-qemu=/usr/bin/qemu-system-i386
		PYTHON=/usr/bin/python3"
	if [ ! -f config/Tools.mk ] || [ tools/configure -nt config/Tools.mk ] ||
		[ "$(cat "$BUILD/xen-tools.flags" 2>/dev/null)" != "$(echo $flags)" ]; then
		# shellcheck disable=SC2086
		./configure $flags
		echo $flags >"$BUILD/xen-tools.flags"
	fi
	keep_shipped_parsers
	make -C tools/include -j"$JOBS"
	make -C tools -j"$JOBS" CONFIG_TESTS=n
	rm -rf "$DIST"
	make -C tools install DESTDIR="$DIST" CONFIG_TESTS=n
	# The test programs (tools/tests is otherwise not built).
	for t in $XEN_TEST_PROGRAMS; do
		[ -d "tools/tests/$t" ] || die "tools/tests/$t is missing"
		make -C "tools/tests/$t" install DESTDIR="$DIST"
	done
	# libxl's own IDL test (built with libxl, never installed): every
	# type's JSON round trip, run in dom0 by xen-tools-tests
	install -m 0755 tools/libs/light/testidl "$DIST/usr/lib/xen/bin/testidl"
	ls -l "$DIST/usr/sbin/xl"
}

case ${1:-} in
hypervisor) shift; hypervisor "$@" ;;
tools) tools ;;
*) die "usage: $0 hypervisor [objdir] [fragment...] | tools" ;;
esac

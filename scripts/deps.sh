#!/bin/bash
# Install the host packages the test bed needs (Debian 12), once;
# EXTRA_PKGS: more for a target outside make test (make cross-check).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS="build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils git python3
	acpica-tools libyajl-dev uuid-dev libncurses-dev zlib1g-dev libzstd-dev liblzma-dev
	libbz2-dev pkg-config libfdt-dev libnl-3-dev libnl-route-3-dev python3-dev
	libglib2.0-dev libpixman-1-dev gettext dpkg-dev file kmod
	qemu-system-x86 busybox-static ccache imagemagick socat gnuplot-nox
	libdrm-tests libdrm-dev
	libsystemd-dev lintian rsync debhelper abigail-tools
	tcl patch libdbi-perl
	${EXTRA_PKGS:-}"

missing=$(for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
done)
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || die "missing host packages (run as root or install them): $missing"
	echo "installing:" $missing
	apt-get update
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
fi
if dpkg -s libxen-dev >/dev/null 2>&1; then
	die "libxen-dev is installed: its headers shadow the Xen tree's and break the tools build; apt-get remove libxen-dev"
fi
echo "host packages present"

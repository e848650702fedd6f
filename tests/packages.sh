#!/bin/bash
# The packages of make deb are what was tested: build them (scripts/mk-deb.sh,
# with lintian in make test-release), check that apt resolves them on this host, install them
# with dpkg into a fresh root, and boot the hypervisor, kernel, modules and
# tools taken from there, not from build/:
# tests/packages/boot, then scenarios of make test again (PKG_TESTS), named
# "pkg-<scenario>".  What the packages do not ship comes on top, as a tester
# would add it: busybox and the scenarios, our test modules built against the
# packaged linux-headers (as any out-of-tree module), and the test programs
# of tools/tests.  Last, dpkg --purge must leave the root as it found it.
# The packaged hypervisor is a release build: checks of its
# debug-only audit are skipped (tests/system/lib.sh, audit_dma32).
# Prints PASS/FAIL/SKIP lines as tests/run-scenario.sh does.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/scripts/lib.sh"

D=$BUILD/deb
ROOT=$D/root
IMG=$D/img
# The kernel packaged: in make test, the test bed's own (DEB_KERNEL=testbed:
# Kbuild's bindeb-pkg of build/linux-obj, no second kernel compile; its boot
# scenario runs a guest with a quota and a TTM workload); make test-release
# packages the host configuration and runs PKG_TESTS=guest-ttm-quota on it
# too (not xl-dma32-config: its 64 MiB guests are sized for the test bed's
# trimmed kernel; the host kernel runs out of memory booting in 64 MiB,
# docs/admin-guide.md).
export DEB_KERNEL=${DEB_KERNEL:-testbed}
PKG_TESTS=${PKG_TESTS:-}
# the test modules those scenarios load (others need test-only kernel
# options, e.g. ttm_bench the pools' debug interface)
PKG_TEST_MODULES="ttm_workload"

# What is left of make test's time budget (tests/run.sh) is this step's,
# the package build included
deadline=$(($(date +%s) + ${TIMEOUT_CAP:-86400}))
left() { echo $((deadline - $(date +%s))); }

# lintian (about 100 s) only in make test-release: make test is near its
# 45 minutes, and what the packages do is checked by booting them below
export LINTIAN=${RELEASE:-0}
if timeout "$(left)" "$TOP/scripts/mk-deb.sh" 2>&1 | tee "$LOGS/make-deb.out"; [ "${PIPESTATUS[0]}" = 0 ]; then
	echo "PASS: packages: make deb built every package"
	if [ "$LINTIAN" = 1 ]; then
		echo "PASS: packages: lintian reports nothing unexplained"
	else
		echo "SKIP: packages: lintian (make test-release runs it)"
	fi
else
	echo "FAIL: packages: make deb (build/logs/make-deb.out)"
	exit 1
fi

# The packages' own names, for apt and dpkg
pkg_names() { for d in "$D"/*.deb; do dpkg-deb -f "$d" Package; done; }

# apt on this host resolves the packages' dependencies (nothing installed)
apt_simulate() {
	local out n
	out=$(apt-get install --simulate -o Debug::NoLocking=1 "$D"/*.deb 2>&1) || { echo "$out"; return 1; }
	for n in $(pkg_names); do
		grep -q "^Inst $n " <<<"$out" || { echo "$out"; echo "apt would not install $n"; return 1; }
	done
}

# A fresh root: busybox (the maintainer scripts' shell and tools) and an
# empty dpkg database; dpkg --root installs the packages there, maintainer
# scripts included (run chrooted).  Their dependencies are this host's
# libraries, not the root's: --force-depends.
fresh_root() {
	rm -rf "$ROOT"
	mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,var/lib/dpkg/info,var/lib/dpkg/updates}
	: >"$ROOT/var/lib/dpkg/status"
	mkdir -p "$ROOT/dev"
	mknod -m 0666 "$ROOT/dev/null" c 1 3
	cp "$(command -v busybox)" "$ROOT/bin/busybox"
	chroot "$ROOT" /bin/busybox --install -s
	(cd "$ROOT" && find . | LC_ALL=C sort) >"$D/root-before.list"
}
install_root() {
	fresh_root && dpkg --root="$ROOT" --force-depends -i "$D"/*.deb
}

# The boot's images from the installed root; sets rel, xenver
images() {
	local moddir t
	moddir=$(dirname "$(find "$ROOT" -path '*/modules/*/modules.order' | head -n1)")
	rel=$(basename "$moddir")
	xenver=$(basename "$(ls "$ROOT"/boot/xen-*.gz)" .gz)
	xenver=${xenver#xen-}
	mkdir -p "$IMG"
	gunzip -c "$ROOT/boot/xen-$xenver.gz" >"$IMG/xen" || return 1
	# dom0's and the guest's modules: the packaged ones, without the drivers
	# of real GPUs (tens of MiB QEMU has no device for), and ours on top
	rm -rf "$D/mods" "$D/test-modules"
	mkdir -p "$D/mods/lib/modules"
	cp -a "$moddir" "$D/mods/lib/modules/"
	rm -rf "$D/mods/lib/modules/$rel/kernel/drivers/gpu/drm/"{amd,radeon,nouveau}
	mkdir -p "$D/test-modules"
	cp -r "$TOP/tests/modules/include" "$D/test-modules/"
	for t in $PKG_TEST_MODULES; do
		cp -r "$TOP/tests/modules/$t" "$D/test-modules/"
		t=$D/test-modules/$t
		make -C "$ROOT/usr/src/linux-headers-$rel" M="$t" modules &&
			make -C "$ROOT/usr/src/linux-headers-$rel" M="$t" INSTALL_MOD_PATH="$D/mods" \
				INSTALL_MOD_DIR=extra INSTALL_MOD_STRIP=1 modules_install || return 1
	done
	depmod -b "$D/mods" "$rel" || return 1
	# tools/tests programs, as build/xen-dist has them
	rm -rf "$D/extra"
	(cd "$BUILD/xen-dist" && find . -type f -name 'test-*' | cpio -pdm --quiet "$D/extra") || return 1
	XEN_DIST=$ROOT BZIMAGE="$ROOT/boot/vmlinuz-$rel" LINUX_MODS=$D/mods EXTRA_ROOT=$D/extra \
		IMAGES=$IMG "$TOP/scripts/mk-initramfs.sh"
}

# dpkg --purge leaves nothing of the packages in the root
dpkg_purge() {
	local left
	# shellcheck disable=SC2046
	dpkg --root="$ROOT" --purge $(pkg_names) || return 1
	left=$(comm -13 "$D/root-before.list" <(cd "$ROOT" && find . | LC_ALL=C sort) |
		grep -v '^\./var/lib/dpkg')
	[ -z "$left" ] || { echo "left behind:"; echo "$left"; return 1; }
}

# pkg_step <description> <function>: one PASS or FAIL line, log in build/logs
pkg_step() {
	if stage pkg "pkg-$2" "$1" -- "$2"; then
		echo "PASS: packages: $1"
	else
		echo "FAIL: packages: $1 (build/logs/pkg-$2.log)"
		return 1
	fi
}
pkg_step "apt install --simulate resolves the packages on this host" apt_simulate
pkg_step "dpkg --root installs every package into a fresh root" install_root || exit 1
pkg_step "images from the installed root (build/deb/img)" images || exit 1
echo "INFO: packages: kernel $rel, Xen $xenver"

# Whether the packaged kernel has Xen's debugfs tuning options (the test
# bed's kernel in make test does, the host configuration does not)
xen_debug_fs=$(grep -c '^CONFIG_XEN_DEBUG_FS=y' "$ROOT/boot/config-$rel")
boot() {
	if [ "$(left)" -le 0 ]; then
		echo "FAIL: pkg-$(basename "$1"): over budget (TEST_BUDGET spent before it started)"
		return 1
	fi
	env TIMEOUT_CAP="$(left)" XEN="$IMG/xen" BZIMAGE="$ROOT/boot/vmlinuz-$rel" INITRD="$IMG/dom0-initrd.gz" \
		SCENARIO_PREFIX=pkg- SCENARIO_DOM0_ARGS="xtest.xen=release pkg.kernel=$rel pkg.xen=$xenver pkg.xen_debug_fs=$xen_debug_fs" \
		"$TOP/tests/run-scenario.sh" "$1"
}
rc=0
echo "== packages scenario boot"
boot "$TOP/tests/packages/boot" || rc=1
for t in $PKG_TESTS; do
	echo "== packages: system scenario $t"
	boot "$TOP/tests/system/$t" || rc=1
done
pkg_step "dpkg --purge removes every file the packages installed" dpkg_purge || rc=1
exit $rc

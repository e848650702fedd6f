#!/bin/bash
# Build the two initramfs images the test bed boots:
#   build/guest-initrd.gz  busybox + xenstore client + kernel modules: a PV guest
#                          that says it is up and runs the test agent
#   build/dom0-initrd.gz   busybox + our Xen tools + kernel modules + the
#                          tracked scenarios under /tests (as in the repo),
#                          with the guest kernel and initramfs under /boot
# LINUX_OBJ, LINUX_MODS: another kernel build (make bench's release kernel);
# IMAGES: where the images go (default build/).  The packages' test
# (tests/packages.sh) takes everything from the unpacked packages instead:
# XEN_DIST (the tools' root), BZIMAGE, LINUX_MODS, and EXTRA_ROOT, a tree of
# test programs copied over dom0's root.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DIST=${XEN_DIST:-$BUILD/xen-dist}
MODS=${LINUX_MODS:-$BUILD/linux-mods}
BZIMAGE=${BZIMAGE:-${LINUX_OBJ:-$BUILD/linux-obj}/arch/x86/boot/bzImage}
IMAGES=${IMAGES:-$BUILD}
BUSYBOX=$(command -v busybox || true)
[ -x "$BUSYBOX" ] && file -L "$BUSYBOX" | grep -q 'statically linked' ||
	die "a static busybox is needed (apt-get install busybox-static)"
[ -x "$DIST/usr/sbin/xl" ] || die "Xen tools are not built (build/xen-dist)"
[ -f "$BZIMAGE" ] || die "Linux is not built ($BZIMAGE)"

# A root with busybox and its applet links.
make_root() {
	local root=$1 applet
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,run,tmp,root,usr/bin,usr/sbin,usr/lib,lib64}
	cp "$BUSYBOX" "$root/bin/busybox"
	for applet in $("$BUSYBOX" --list-full); do
		[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
	done
	echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
	echo "root:x:0:" >"$root/etc/group"
}

# Copy the host libraries an ELF in the root needs, and libgcc_s (pthread_cancel
# dlopen()s it: xl aborts without it).
copy_libs() {
	local root=$1 lib
	{
		find "$root" -type f -perm -u+x -exec file {} + | awk -F: '/ELF.*dynamic/ {print $1}' |
			xargs -r env LD_LIBRARY_PATH="$root/usr/lib:$root/usr/lib64" ldd 2>/dev/null |
			awk '/=> \// {print $3} /^\t\/lib/ {print $1}'
		find /lib /usr/lib -name 'libgcc_s.so.1' 2>/dev/null | head -n1
	} | sort -u | while read -r lib; do
		case $lib in "$root"/*) continue ;; esac
		[ -e "$root$lib" ] || install -D -m 0755 "$(realpath "$lib")" "$root$lib"
	done
}

# Xen tools: binaries, libraries and their data, no headers or static libs
# (nor, from a root the packages were installed in, the kernel's files and
# dpkg's database).
copy_xen_tools() {
	local root=$1
	(cd "$DIST" && tar -cf - --exclude='usr/include' --exclude='*.a' --exclude='usr/share/doc' \
		--exclude='usr/share/man' --exclude='usr/lib/pkgconfig' --exclude='usr/lib/debug' \
		--exclude=./boot --exclude=./lib/modules --exclude=./usr/lib/modules \
		--exclude=./usr/src --exclude=./var/lib/dpkg --exclude=./bin --exclude=./sbin .) |
		tar -C "$root" -xf -
	mkdir -p "$root"/var/lib/xen "$root"/var/log/xen/console "$root"/etc/xen
	: >"$root/etc/xen/xl.conf"
	find "$root/usr" -type f -perm -u+x -exec strip --strip-unneeded {} + 2>/dev/null || true
}

pack() {
	local root=$1 out=$2
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 >"$out.tmp"
	mv "$out.tmp" "$out"
	note "$(basename "$out"): $(du -h "$out" | cut -f1)"
}

# KMS clients for both images: libdrm's modetest (Debian's libdrm-tests),
# our dumb-buffer round trip (tests/programs) and the wrapper both use.
PROGRAMS=$BUILD/programs
build_programs() {
	mkdir -p "$PROGRAMS"
	# shellcheck disable=SC2046
	gcc -O2 -Wall -Werror $(pkg-config --cflags libdrm) -o "$PROGRAMS/drm-dumb-roundtrip" \
		"$TOP/tests/programs/drm-dumb-roundtrip.c" $(pkg-config --libs libdrm) ||
		die "tests/programs/drm-dumb-roundtrip.c does not build (libdrm-dev)"
	# a libxl client of Debian's unpatched headers, run against our libraries
	# (those of build/xen-dist, or of the installed packages)
	local debian light toollog
	debian=$("$TOP/scripts/debian-xen.sh" unpack)
	light=$(find "$DIST/usr/lib" -type f -name 'libxenlight.so.4.20*' | head -n 1)
	toollog=$(find "$DIST/usr/lib" -type f -name 'libxentoollog.so.1*' | head -n 1)
	[ -n "$light" ] && [ -n "$toollog" ] || die "no libxenlight.so.4.20 under $DIST/usr/lib"
	gcc -O2 -Wall -Werror -I "$debian/usr/include" -o "$PROGRAMS/libxl-abi" \
		"$TOP/tests/programs/libxl-abi.c" "$light" "$toollog" \
		-Wl,-rpath-link="$(dirname "$light")" ||
		die "tests/programs/libxl-abi.c does not build against Debian's libxen-dev"
	# a grant mapping that outlives its granter: the tree's headers, the
	# library of build/xen-dist or of the installed packages (no .so link)
	local gnttab
	gnttab=$(find "$DIST/usr/lib" -type f -name 'libxengnttab.so.1*' | head -n 1)
	[ -n "$gnttab" ] || die "no libxengnttab.so.1 under $DIST/usr/lib"
	gcc -O2 -Wall -Werror -I "$BUILD/xen/tools/include" -o "$PROGRAMS/gnt-hold" \
		"$TOP/tests/programs/gnt-hold.c" "$gnttab" -Wl,-rpath-link="$(dirname "$gnttab")" ||
		die "tests/programs/gnt-hold.c does not build against $DIST"
}
copy_kms_clients() {
	local root=$1 tool
	for tool in modetest proptest vbltest; do
		[ -x "/usr/bin/$tool" ] || die "/usr/bin/$tool is missing (apt-get install libdrm-tests)"
		install -m 0755 "/usr/bin/$tool" "$root/usr/bin/$tool"
	done
	install -m 0755 "$PROGRAMS/drm-dumb-roundtrip" "$root/usr/bin/"
	install -m 0755 "$TOP/initramfs/kms-client" "$root/usr/bin/"
}

# The test files dom0 runs: what git tracks under tests/system and
# tests/bench (an untracked scenario folder is not run), the failure
# patterns, the allowed reports.
copy_tests() {
	local root=$1
	mkdir -p "$root/tests"
	tracked_tests | (cd "$TOP/tests" && cpio -pdm --quiet "$root/tests")
}

guest() {
	local root=$IMAGES/initramfs/guest
	make_root "$root"
	mkdir -p "$root/proc/xen"
	cp -a "$DIST"/usr/lib/libxenstore.so* "$DIST"/usr/lib/libxentoolcore.so* "$root/usr/lib/"
	cp -a "$DIST/usr/bin/xenstore" "$DIST"/usr/bin/xenstore-* "$root/usr/bin/"
	install -m 0755 "$TOP/initramfs/guest-init" "$root/init"
	install -m 0755 "$TOP/initramfs/guest-agent" "$root/bin/guest-agent"
	mkdir -p "$root/lib/modules"
	cp -a "$MODS/lib/modules/." "$root/lib/modules/"
	copy_kms_clients "$root"
	copy_libs "$root"
	pack "$root" "$IMAGES/guest-initrd.gz"
}

dom0() {
	local root=$IMAGES/initramfs/dom0
	make_root "$root"
	copy_xen_tools "$root"
	mkdir -p "$root/lib/modules" "$root/boot" "$root/tests" "$root/proc/xen"
	cp -a "$MODS/lib/modules/." "$root/lib/modules/"
	cp "$BZIMAGE" "$root/boot/vmlinuz"
	cp "$IMAGES/guest-initrd.gz" "$root/boot/guest-initrd.gz"
	copy_tests "$root"
	[ -z "${EXTRA_ROOT:-}" ] || cp -a "$EXTRA_ROOT/." "$root/"
	install -m 0755 "$TOP/initramfs/dom0-init" "$root/init"
	install -m 0755 "$PROGRAMS/libxl-abi" "$PROGRAMS/gnt-hold" "$root/usr/bin/"
	copy_kms_clients "$root"
	copy_libs "$root"
	pack "$root" "$IMAGES/dom0-initrd.gz"
}

build_programs
guest
dom0

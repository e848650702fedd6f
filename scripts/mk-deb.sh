#!/bin/bash
# make deb: Debian packages of the patched Linux 6.12 and Xen 4.20 for a real
# host, built from the trees and series make test uses (build/linux,
# build/xen), into build/deb/:
#   linux-image-<release>, linux-headers-<release>
#       Kbuild's own packaging (bindeb-pkg); release kernel, config
#       x86_64_defconfig (or DEB_KCONFIG, e.g. /boot/config-$(uname -r)) +
#       Linux's xen.config fragments + config/linux-host.config;
#       DEB_KERNEL=testbed: the test bed's kernel as built (make test)
#   xen-hypervisor-4.20-xenttm   the release hypervisor, /boot/xen-<ver>.gz
#   xen-utils-4.20-xenttm        the tools, libraries, man pages, systemd units
# Versions are the bases' with "+xenttm<date>.<series>" appended: they sort
# after the distribution's and name the series (the date of its last change
# and a hash of its patches).  Then lintian: every tag it reports must be
# fixed or explained in config/lintian-explained, else this fails.
#   mk-deb.sh [linux|hypervisor|tools|lintian]   (default: all, in stages)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT=$BUILD/deb
LINUX_DEB_OBJ=$OUT/linux-obj
XEN_DEB_OBJ=$OUT/xen-obj
STAGE=$OUT/stage
# shellcheck disable=SC1091
. "$BUILD/sources.env"
# one version for every package of a run, even if the series changes under it
export XEN_TTM_DEB_TAG=${XEN_TTM_DEB_TAG:-xenttm$(series_version)}
TAG=$XEN_TTM_DEB_TAG
MAINT=${DEB_MAINTAINER:-$(git -C "$TOP" log -1 --format='%an <%ae>' 2>/dev/null ||
	echo "xen-ttm maintainers <root@localhost>")}
XEN_PKG_VERSION=$XEN_VERSION+$TAG
HV_PKG=xen-hypervisor-4.20-xenttm
UTILS_PKG=xen-utils-4.20-xenttm

# --- Linux: Kbuild's bindeb-pkg, the .debs land beside its object directory.
# DEB_KERNEL=testbed (make test's packages' step) packages the kernel the test
# bed has already built (build/linux-obj: the dom0 config, debug options as
# built) instead of compiling the host configuration: Kbuild only relinks
# what the package's version string changes.
linux_packages() {
	local obj=$LINUX_DEB_OBJ
	export LOCALVERSION=
	if [ "${DEB_KERNEL:-host}" = testbed ]; then
		obj=$BUILD/linux-obj
		[ -f "$obj/vmlinux" ] || die "DEB_KERNEL=testbed: build/linux-obj is not built (make build)"
		kbuild_env qemu
	else
		kbuild_env deb
		LINUX_OBJ=$obj LINUX_MODS=$OUT/linux-mods TEST_MODULES=0 \
			LINUX_FRAGMENTS="$TOP/config/linux-host.config" \
			LINUX_BASE_CONFIG="${DEB_KCONFIG:-}" "$TOP/scripts/build-linux.sh"
		rm -rf "$OUT/linux-mods"
	fi
	use_ccache
	rm -f "$OUT"/linux-*.deb "$OUT"/linux-upstream_* "$(dirname "$obj")"/linux-*.deb
	make -C "$BUILD/linux" O="$obj" CC="$CC_CMD" -j"$JOBS" \
		KDEB_PKGVERSION="${LINUX_VERSION%-*}-1+$TAG" KDEB_SOURCENAME=linux-xenttm \
		KDEB_CHANGELOG_DIST=unstable DEBFULLNAME="${MAINT% <*}" \
		DEBEMAIL="$(echo "$MAINT" | sed 's/.*<\(.*\)>/\1/')" bindeb-pkg
	# Kbuild writes them beside the object directory
	[ "$(dirname "$obj")" = "$OUT" ] || mv "$(dirname "$obj")"/linux-*.deb "$OUT/"
	rm -f "$(dirname "$obj")"/linux-upstream_* "$(dirname "$obj")"/linux-xenttm_*
	# linux-libc-dev would replace the distribution's C library headers
	rm -f "$OUT"/linux-libc-dev_*.deb "$OUT"/linux-xenttm_*
	ls "$OUT"/linux-image-*.deb "$OUT"/linux-headers-*.deb >/dev/null
}

# --- Xen: dpkg-deb from staged install trees

# The distribution's Xen packages (the source package's binaries), which ours
# replace: derived from the registry's index, not written down here.
# debian_xen_packages hypervisor|tools: those the hypervisor package replaces
# (xen-hypervisor-*, xen-system-*), or the tools package (the rest).  Each of
# ours conflicts with its own share only: the hypervisor package conflicting
# with, say, xenstore-utils would conflict with our tools, which provide it.
debian_xen_packages() {
	local pick=-v
	[ "$1" = hypervisor ] && pick=
	debian_xen_binaries | grep $pick -E '^xen-(hypervisor|system)' | paste -sd, | sed 's/,/, /g'
}
debian_xen_binaries() {
	apt-cache -o "Dir::Etc::SourceList=$CACHE/apt/sources.sources" \
		-o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$CACHE/apt/lists" \
		-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= showsrc xen |
		sed -n 's/^Binary: //p' | tr ',' '\n' | tr -d ' ' |
		grep -v -e '-dbg$' -e 'arm64' -e '^xen-doc$' | sort -u
}

# doc_files <pkg> <stage>: copyright and changelog, as Debian policy asks
doc_files() {
	local pkg=$1 root=$2 doc=$2/usr/share/doc/$1
	mkdir -p "$doc"
	cat >"$doc/copyright" <<-EOF
	$pkg: the Xen Project hypervisor 4.20 and its tools, with the xen-ttm
	patch series (xen-hooks, libxl-config) applied.

	Copyright (C) 2002-2025 the Xen Project contributors (see the COPYING
	files and the source headers of the Xen 4.20 sources this package was
	built from).

	License: GPL-2 for the hypervisor and the toolstack (xl); LGPL-2.1 for
	the libraries under tools/libs; parts under BSD-style licenses as their
	headers state.  On Debian systems the complete texts are in
	/usr/share/common-licenses/GPL-2 and /usr/share/common-licenses/LGPL-2.1.
	EOF
	{
		echo "$pkg ($XEN_PKG_VERSION) unstable; urgency=medium"
		echo
		echo "  * Xen with the xen-ttm series: per-domain DMA32 accounting and"
		echo "    quota (xen-hooks), dma32_quota in xl and libxl (libxl-config)."
		echo "  * Base: Debian's Xen $XEN_VERSION."
		echo
		echo " -- $MAINT  $(date -R -d "@$(series_epoch)")"
	} | gzip -9n >"$doc/changelog.Debian.gz"
}

# build_deb <pkg> <stage> <control fields...>: md5sums, control, dpkg-deb
build_deb() {
	local pkg=$1 root=$2
	shift 2
	mkdir -p "$root/DEBIAN"
	(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' |
		LC_ALL=C sort -z | xargs -0r md5sum) >"$root/DEBIAN/md5sums"
	{
		echo "Package: $pkg"
		echo "Version: $XEN_PKG_VERSION"
		echo "Architecture: amd64"
		echo "Maintainer: $MAINT"
		echo "Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)"
		printf '%s\n' "$@"
	} >"$root/DEBIAN/control"
	find "$root" -type d -exec chmod 0755 {} +
	dpkg-deb --root-owner-group -Zxz --build "$root" "$OUT/${pkg}_${XEN_PKG_VERSION}_amd64.deb"
}

hypervisor_package() {
	local root=$STAGE/$HV_PKG ver
	XEN_VENDORVERSION=-xenttm "$TOP/scripts/build-xen.sh" hypervisor "$XEN_DEB_OBJ"
	ver=$(make -s -C "$BUILD/xen/xen" XEN_VENDORVERSION=-xenttm xenversion)
	rm -rf "$root"
	mkdir -p "$root/boot"
	gzip -9n <"$XEN_DEB_OBJ/xen" >"$root/boot/xen-$ver.gz"
	install -m 0644 "$XEN_DEB_OBJ/.config" "$root/boot/xen-$ver.config"
	doc_files "$HV_PKG" "$root"
	mkdir -p "$root/DEBIAN"
	# GRUB's 20_linux_xen makes the entries from /boot/xen-*.gz
	for s in postinst postrm; do
		printf '#!/bin/sh\nset -e\nif command -v update-grub >/dev/null && [ -z "${DPKG_ROOT:-}" ]; then\n\tupdate-grub || true\nfi\n' \
			>"$root/DEBIAN/$s"
		chmod 0755 "$root/DEBIAN/$s"
	done
	build_deb "$HV_PKG" "$root" \
		"Section: kernel" "Priority: optional" \
		"Depends: $UTILS_PKG (= $XEN_PKG_VERSION)" \
		"Recommends: grub-pc | grub-efi-amd64" \
		"Provides: xen-hypervisor, xen-hypervisor-4.20" \
		"Conflicts: $(debian_xen_packages hypervisor)" \
		"Replaces: $(debian_xen_packages hypervisor)" \
		"Description: Xen hypervisor 4.20 with per-domain DMA32 quotas (xen-ttm)" \
		" The Xen hypervisor with the xen-ttm series: it counts each domain's" \
		" memory below 4GiB and enforces a per-domain DMA32 quota, so that GPU" \
		" and other 32-bit DMA driver domains always find the low memory they" \
		" were promised.  Boot it from GRUB's \"Xen hypervisor\" entries."
}

# The tools as make install lays them out, without what only developers need.
stage_tools() {
	local root=$1
	rm -rf "$root"
	make -C "$BUILD/xen/tools" install DESTDIR="$root" CONFIG_TESTS=n
	make -C "$BUILD/xen/docs" install-man-pages DESTDIR="$root"
	rm -rf "$root/usr/include" "$root/usr/lib/pkgconfig" "$root/usr/lib/debug" \
		"$root/usr/share/doc" "$root/var/run" "$root/run"
	# systemd hosts: the units start the daemons; the SysV scripts would start
	# them a second time through systemd's sysv generator
	rm -rf "$root/etc/init.d"
	# bash completions where Debian's bash-completion looks
	mkdir -p "$root/usr/share/bash-completion/completions"
	mv "$root/etc/bash_completion.d/xl" "$root/usr/share/bash-completion/completions/xl"
	rmdir "$root/etc/bash_completion.d"
	# Python modules where Debian's python3 finds them
	if [ -d "$root"/usr/lib/python3.*/site-packages ]; then
		mkdir -p "$root/usr/lib/python3"
		mv "$root"/usr/lib/python3.*/site-packages "$root/usr/lib/python3/dist-packages"
		rmdir "$root"/usr/lib/python3.[0-9]*
	fi
	find "$root" \( -name '*.a' -o -name '*.la' \) -delete
	# lib*.so (no version) are for linking: a -dev package's
	find "$root/usr/lib" -maxdepth 1 -name 'lib*.so' -type l -delete
	find "$root/usr/share/man" -type f -exec gzip -9n {} +
	find "$root" -type f -exec sh -c 'file "$1" | grep -q "ELF.*not stripped"' _ {} \; \
		-exec strip --strip-unneeded --remove-section=.comment --remove-section=.note {} \;
	find "$root" -type f \( -name '*.so.*' -o -name '*.so' \) -exec chmod 0644 {} +
	mkdir -p "$root/usr/share/lintian/overrides"
	install -m 0644 "$TOP/config/lintian-overrides.$UTILS_PKG" \
		"$root/usr/share/lintian/overrides/$UTILS_PKG"
}

# shlibs_depends <root>: the Depends dpkg-shlibdeps computes for its ELF files
shlibs_depends() {
	local root=$1 tmp
	tmp=$(mktemp -d)
	mkdir -p "$tmp/debian"
	printf 'Source: xen\n\nPackage: %s\nArchitecture: amd64\n' "$UTILS_PKG" >"$tmp/debian/control"
	# shellcheck disable=SC2046
	(cd "$tmp" && dpkg-shlibdeps -O -S"$root" -l"$root/usr/lib" -x"$UTILS_PKG" \
		$(find "$root" -type f -exec sh -c 'file "$1" | grep -q ELF' _ {} \; -print) 2>/dev/null) |
		sed -n 's/^shlibs:Depends=//p'
	rm -rf "$tmp"
}

utils_package() {
	local root=$STAGE/$UTILS_PKG lib soname f
	stage_tools "$root"
	doc_files "$UTILS_PKG" "$root"
	mkdir -p "$root/DEBIAN"
	# our libraries: shlibs for packages linking them, ldconfig on change
	: >"$root/DEBIAN/shlibs"
	for lib in "$root"/usr/lib/lib*.so.*; do
		[ -L "$lib" ] && continue
		soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
		echo "$soname" | sed -n "s/^\(.*\)\.so\.\(.*\)$/\1 \2 $UTILS_PKG (>= $XEN_PKG_VERSION)/p" \
			>>"$root/DEBIAN/shlibs"
	done
	sort -u -o "$root/DEBIAN/shlibs" "$root/DEBIAN/shlibs"
	echo "activate-noawait ldconfig" >"$root/DEBIAN/triggers"
	(cd "$root" && find etc -type f | sed 's|^|/|' | LC_ALL=C sort) >"$root/DEBIAN/conffiles"
	for f in postinst postrm; do
		install -m 0755 "$TOP/scripts/deb/$UTILS_PKG.$f" "$root/DEBIAN/$f"
	done
	build_deb "$UTILS_PKG" "$root" \
		"Section: admin" "Priority: optional" \
		"Depends: $(shlibs_depends "$root"), python3" \
		"Recommends: $HV_PKG (= $XEN_PKG_VERSION), qemu-system-x86" \
		"Provides: xen-utils, xen-utils-4.20, xenstore-utils" \
		"Conflicts: $(debian_xen_packages tools)" \
		"Replaces: $(debian_xen_packages tools)" \
		"Description: Xen 4.20 tools with DMA32 quotas (xen-ttm)" \
		" xl, xenstored, xenconsoled, xentop and the Xen libraries, with the" \
		" xen-ttm series: dma32_quota= in xl.cfg, xl dma32-quota-set, DMA32 use" \
		" and quota in xl info, xl list -l and xentop, the quota published in" \
		" xenstore for the guest's kernel."
}

# lintian: every error and warning must be fixed or listed with its reason
# in config/lintian-explained ("<package-glob> <tag>  # reason"); the info
# and pedantic tags are in the report too (build/deb/lintian.txt)
run_lintian() {
	local out=$OUT/lintian.txt unexplained
	lintian --no-cfg --display-level '>=pedantic' --tag-display-limit 0 \
		"$OUT"/*.deb >"$out" 2>&1 || true
	unexplained=$({ grep -E '^[EW]: ' "$out" || true; } | while read -r level rest; do
		pkg=${rest%%:*}
		tag=$(echo "$rest" | awk '{print $2}')
		explained "$pkg" "$tag" || echo "$level $rest"
	done)
	note "lintian: $(grep -cE '^E: ' "$out") errors, $(grep -cE '^W: ' "$out") warnings," \
		"$(grep -cE '^[IPX]: ' "$out") info/pedantic tags ($out)"
	[ -z "$unexplained" ] || { echo "$unexplained"; die "lintian tags neither fixed nor explained in config/lintian-explained"; }
}
explained() {
	local pkg=$1 tag=$2 glob t
	while read -r glob t _; do
		case $glob in '#'* | '') continue ;; esac
		# shellcheck disable=SC2254
		case $pkg in $glob) [ "$t" = "$tag" ] && return 0 ;; esac
	done <"$TOP/config/lintian-explained"
	return 1
}

summary() {
	local d
	for d in "$OUT"/*.deb; do
		printf '  %-45s %-50s %6s\n' "$(dpkg-deb -f "$d" Package)" "$(dpkg-deb -f "$d" Version)" \
			"$(du -h "$d" | cut -f1)"
	done
}

mkdir -p "$OUT" "$STAGE"
case ${1:-all} in
all)
	"$TOP/scripts/build-all.sh" prepare
	kernel="config/linux-host.config"
	[ "${DEB_KERNEL:-host}" != testbed ] || kernel="the test bed's kernel as built"
	stage "1/4" deb-linux "Linux packages (Kbuild bindeb-pkg, $kernel)" -- "$0" linux
	stage "2/4" deb-hypervisor "Xen hypervisor package (release build)" -- "$0" hypervisor
	stage "3/4" deb-tools "Xen tools package" -- \
		sh -c "'$TOP/scripts/build-xen.sh' tools && '$0' tools"
	# LINTIAN=0: make test leaves it to make test-release (time budget)
	[ "${LINTIAN:-1}" = 0 ] || stage "4/4" deb-lintian "lintian" -- "$0" lintian
	summary
	;;
linux) linux_packages ;;
hypervisor) hypervisor_package ;;
tools) utils_package ;;
lintian) run_lintian ;;
*) die "usage: $0 [linux|hypervisor|tools|lintian]" ;;
esac

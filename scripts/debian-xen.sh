#!/bin/bash
# Debian's own Xen 4.20 libraries and headers (libxenmisc4.20, libxen-dev),
# the yardstick of the libxl-config series' ABI promise: programs built
# against them keep working with our libraries under the same sonames.
#
#   debian-xen.sh unpack   download both packages through the private apt
#                          (cached under ~/.cache/xen-ttm/dl/debian-xen) and
#                          unpack them into build/debian-xen; prints its path
#   debian-xen.sh check    abidiff each of Debian's libxenlight, libxenctrl,
#                          libxenstat and libxlutil against ours
#                          (build/xen-dist): PASS when no symbol was removed
#                          or changed, FAIL otherwise (abidiff's report in
#                          build/logs/abi-<lib>.txt).  Debian's libraries
#                          carry no debug info, so this compares symbols
#                          only; the struct layouts are checked by a program
#                          built against Debian's headers and run against
#                          our libraries (tests/programs/libxl-abi.c)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DL=$CACHE/dl/debian-xen
OUT=$BUILD/debian-xen
PKGS="libxen-dev libxenmisc4.20"
LIBS="libxenlight libxenctrl libxenstat libxlutil"

# newest_deb <package>: the newest cached .deb of it
newest_deb() {
	find "$DL" -name "${1}_*.deb" 2>/dev/null | sort -V | tail -n 1
}

unpack() {
	local p deb
	mkdir -p "$DL"
	# served now: download; else the cached copies are used
	(cd "$DL" && "$TOP/scripts/apt-private.sh" run -qq download $PKGS >/dev/null 2>&1) ||
		warn "Debian's $PKGS could not be downloaded; using the cached copies"
	rm -rf "$OUT.tmp"
	mkdir -p "$OUT.tmp"
	for p in $PKGS; do
		deb=$(newest_deb "$p")
		[ -n "$deb" ] || die "no $p package (apt-private.sh update first: make fetch)"
		dpkg-deb -x "$deb" "$OUT.tmp"
		basename "$deb" >>"$OUT.tmp/packages"
	done
	rm -rf "$OUT"
	mv "$OUT.tmp" "$OUT"
	echo "$OUT"
}

# check_lib <lib>: one PASS or FAIL line for Debian's <lib>.so.4.20 vs ours
check_lib() {
	local lib=$1 theirs ours report rc removed
	theirs=$OUT/usr/lib/x86_64-linux-gnu/$lib.so.4.20.0
	ours=$BUILD/xen-dist/usr/lib/$lib.so.4.20.0
	report=$LOGS/abi-$lib.txt
	[ -f "$ours" ] || { echo "FAIL: abi: $lib: ours is not built ($ours)"; return; }
	rc=0
	abidiff "$theirs" "$ours" >"$report" 2>&1 || rc=$?
	# abidiff: bit 0 error, bit 1 usage, bit 3 incompatible change
	removed=$({ grep -Eo '[0-9]+ Removed' "$report" || true; } | awk '{ n += $1 } END { print n + 0 }')
	if [ $((rc & 11)) = 0 ] && [ "$removed" = 0 ] && ! grep -Eq '[1-9][0-9]* Changed' "$report"; then
		echo "PASS: abi: $lib.so.4.20: no symbol of Debian's $(sed -n 2p "$OUT/packages") removed or changed ($(grep -c '^  \[A\]' "$report" || true) added)"
	else
		echo "FAIL: abi: $lib.so.4.20 breaks Debian's: abidiff rc $rc, $removed removed (build/logs/abi-$lib.txt)"
	fi
}

case ${1:-} in
unpack) unpack ;;
check)
	command -v abidiff >/dev/null || die "abidiff is missing (apt-get install abigail-tools)"
	unpack >/dev/null
	mkdir -p "$LOGS"
	for l in $LIBS; do check_lib "$l"; done
	;;
*) die "usage: debian-xen.sh unpack|check" ;;
esac

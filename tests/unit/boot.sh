# scripts/boot.sh builds QEMU's command line and execs QEMU (a fake one on
# PATH records its arguments): release and debug, with and without a
# results channel, and the native boot.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
cat >"$tmp/bin/qemu-system-x86_64" <<'SH'
#!/bin/sh
printf '%s\n' "$@" >"$FAKE_ARGS"
SH
chmod +x "$tmp/bin/qemu-system-x86_64"
touch "$tmp/xen" "$tmp/bzImage" "$tmp/initrd"
export XEN=$tmp/xen BZIMAGE=$tmp/bzImage INITRD=$tmp/initrd PATH=$tmp/bin:$PATH
unset DEBUG SLAB_DEBUG RESULTS MONITOR NATIVE

# boot <name> [VAR=value...]: run boot.sh, its arguments in $tmp/<name>
boot() {
	local n=$1
	shift
	env FAKE_ARGS="$tmp/$n" SERIAL="$tmp/serial" "$@" "$TOP/scripts/boot.sh" >"$tmp/$n.out" 2>&1
	echo $? >"$tmp/$n.rc"
}

boot release DEBUG=0
check_eq "release: boot.sh execs QEMU" 0 "$(cat "$tmp/release.rc")"
check "release: Xen is the multiboot kernel" grep -qx "$tmp/xen" "$tmp/release"
check "release: no slub_debug on dom0's command line" \
	sh -c "grep -q 'hvc0' '$tmp/release' && ! grep -q slub_debug '$tmp/release'"
check "release: no results channel unless asked for" sh -c "! grep -q 'id=results' '$tmp/release'"

boot debug
check_eq "default (debug): boot.sh execs QEMU" 0 "$(cat "$tmp/debug.rc")"
check "default (debug): slub_debug=FZPU on dom0's command line" grep -q 'slub_debug=FZPU' "$tmp/debug"
boot nodebug SLAB_DEBUG=
check "SLAB_DEBUG= turns slab debugging off (make bench)" sh -c "! grep -q slub_debug '$tmp/nodebug'"

boot chan DEBUG=0 RESULTS="$tmp/ch" MONITOR="$tmp/mon"
check "RESULTS: the second serial port on the pipe" grep -qx "pipe,id=results,path=$tmp/ch" "$tmp/chan"
check "MONITOR: a monitor socket" grep -q "^socket,id=mon1,path=$tmp/mon," "$tmp/chan"

boot native NATIVE=1
check "NATIVE=1: Linux is the kernel, no Xen" sh -c "grep -qx '$tmp/bzImage' '$tmp/native' && ! grep -qx '$tmp/xen' '$tmp/native'"

rm "$tmp/initrd"
boot missing
check_eq "a missing image is refused" 1 "$(cat "$tmp/missing.rc")"
check "... with its name" grep -q "$tmp/initrd is missing" "$tmp/missing.out"

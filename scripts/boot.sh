#!/bin/bash
# Boot Xen + the Linux PV dom0 under QEMU (TCG: KVM hangs on these machines).
#
# Memory layout: 4 GiB with only 1 GiB below 4 GiB, dom0 given 1 GiB, so Xen
# places dom0's own frames above 4 GiB and low memory is a scarce resource,
# as on the hosts this project is about.
#
# Environment:
#   SERIAL=stdio|<file>   where the serial console goes (default: stdio, interactive)
#   RESULTS=<path>        the second serial port (dom0's ttyS1, the results
#                         channel of tests/run-scenario.sh) on the FIFOs
#                         <path>.in and <path>.out
#   MONITOR=<socket>      QEMU monitor on a unix socket (screendump etc.)
#   XEN_ARGS, DOM0_ARGS   appended to Xen's / dom0's command line
#   MACHINE, MEM          QEMU machine and memory (defaults above)
#   CPUS                  QEMU's CPUs (default 3: dom0's and one for each of
#                         two guests, docs/testbed.md)
#   QEMU_EXTRA            more QEMU arguments
#   XEN, BZIMAGE, INITRD  images (default: the ones in build/)
#   NATIVE=1              boot the same kernel and initramfs without Xen (the
#                         benchmark's native reference)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

XEN=${XEN:-$BUILD/xen-obj/xen}
BZIMAGE=${BZIMAGE:-$BUILD/linux-obj/arch/x86/boot/bzImage}
INITRD=${INITRD:-$BUILD/dom0-initrd.gz}
MACHINE=${MACHINE:-pc,max-ram-below-4g=1G}
MEM=${MEM:-4096}
SERIAL=${SERIAL:-stdio}

# Slab debugging (poison, red zones, sanity checks, owner tracking) in every
# kernel the test bed boots; the scenarios' guests get it too.
if [ -z "${SLAB_DEBUG+set}" ]; then
	SLAB_DEBUG=
	[ "${DEBUG:-1}" = 0 ] || SLAB_DEBUG=slub_debug=FZPU
fi

native=${NATIVE:-0}
[ "$native" = 1 ] && XEN=$BZIMAGE
for f in "$XEN" "$BZIMAGE" "$INITRD"; do
	[ -f "$f" ] || die "$f is missing: build first (make build)"
done

# dom0 gets one vCPU, pinned to CPU 0; the scenarios' guests (one vCPU
# each) get CPUs 1 and 2 in turn (tests/system/lib.sh): no two domains' vCPUs
# share a CPU, as switching one out for another now and then leaves a
# process a wrong FS base under TCG (docs/testbed.md).
xen_cmdline="console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M dom0_max_vcpus=1 dom0_vcpus_pin"
xen_cmdline="$xen_cmdline loglvl=all guest_loglvl=all noreboot ${XEN_ARGS:-}"
dom0_cmdline="console=tty0 console=hvc0 earlyprintk=xen loglevel=6 $SLAB_DEBUG ${DOM0_ARGS:-}"

# No SVM: Xen's VMLOAD-based PV segment reload leaves a wrong FS base now and
# then under TCG (docs/testbed.md); a PV host has no use for SVM.
args=(-accel tcg -cpu max,-smap,-smep,-pku,-la57,-svm -smp "${CPUS:-3}"
	-machine "$MACHINE" -m "$MEM" -no-reboot -display none)
if [ "$native" = 1 ]; then
	args+=(-kernel "$BZIMAGE" -initrd "$INITRD"
		-append "console=ttyS0,115200 loglevel=6 $SLAB_DEBUG ${DOM0_ARGS:-}")
else
	args+=(-kernel "$XEN" -append "$xen_cmdline"
		-initrd "$BZIMAGE $dom0_cmdline,$INITRD")
fi
if [ "$SERIAL" = stdio ]; then
	args+=(-serial mon:stdio)
else
	args+=(-serial "file:$SERIAL" -monitor none)
fi
[ -n "${RESULTS:-}" ] && args+=(-chardev "pipe,id=results,path=$RESULTS" -serial chardev:results)
[ -n "${MONITOR:-}" ] && args+=(-chardev "socket,id=mon1,path=$MONITOR,server=on,wait=off"
	-mon chardev=mon1,mode=readline)
# shellcheck disable=SC2206
[ -n "${QEMU_EXTRA:-}" ] && args+=($QEMU_EXTRA)

exec qemu-system-x86_64 "${args[@]}"

# gpu-cycles at its release length: 4 boots of the driver domain with the
# display and 16 hot-plug cycles (make test runs 2 and 8 of them).
# release: 1
# timeout: 780
# group: q35-gpu
# machine: q35,kernel-irqchip=split,max-ram-below-4g=1G
# xen-args: iommu=1
# qemu: -nic none -vga none -device intel-iommu,intremap=on,caching-mode=on -device VGA,id=dom0vga,addr=01.0 -device secondary-vga,id=gpuvga,addr=02.0
boots=4
hot=16
. ../gpu-cycles/test.sh

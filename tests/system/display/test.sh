# bochs-drm (a TTM driver) drives QEMU's std VGA in the PV dom0.
# timeout: 120
. ../lib.sh

check "bochs-drm is bound to a PCI device" sh -c 'ls /sys/bus/pci/drivers/bochs-drm/ | grep -q "^0000:"'
check "/dev/dri/card0 exists" test -c /dev/dri/card0
check "card0's driver is bochs-drm" sh -c 'basename "$(readlink /sys/class/drm/card0/device/driver)" | grep -qx bochs-drm'
check "fbdev emulation gives /dev/fb0" test -c /dev/fb0
check "TTM is loaded" test -d /sys/module/ttm
check "TTM debugfs page_pool is readable" sh -c 'head -n 3 /sys/kernel/debug/ttm/page_pool | grep -q .'
check "bochs-drm's TTM memory manager is in debugfs" sh -c 'cat /sys/kernel/debug/dri/0*/vram-mm | grep -q .'
check "dom0's console is on the bochs-drm framebuffer" sh -c 'grep -q . /sys/class/graphics/fb0/name'
# The host saves the display now and checks that it is not blank.
sleep 2
screenshot

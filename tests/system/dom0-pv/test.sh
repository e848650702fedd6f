# dom0 boots under Xen 4.20 and is a PV control domain.
# timeout: 120
# group: guests
. ../lib.sh

check_eq "hypervisor type is xen" xen "$(cat /sys/hypervisor/type)"
check_eq "dom0 runs as a PV guest" PV "$(cat /sys/hypervisor/guest_type)"
check_eq "Xen major version" 4 "$(cat /sys/hypervisor/version/major)"
check_eq "Xen minor version" 20 "$(cat /sys/hypervisor/version/minor)"
check "/proc/xen/capabilities says control_d" grep -qx control_d /proc/xen/capabilities
check "kernel booted paravirtualized on Xen" sh -c 'dmesg | grep -q "Booting kernel on Xen$"'
check_eq "dom0's balloon target is dom0_mem (1 GiB)" 1048576 "$(cat /sys/devices/system/xen_memory/xen_memory0/target_kb)"

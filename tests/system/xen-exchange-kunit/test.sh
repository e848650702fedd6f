# The batched exchange of machine frames (linux-patches: x86/xen), tested by
# its KUnit suite against the real hypervisor in the PV dom0.
# timeout: 300
# dom0-args: xtest.nodisplay
. ../lib.sh

check "modprobe exchange_test" modprobe exchange_test
check "KUnit suite xen_exchange registered" test -d /sys/kernel/debug/kunit/xen_exchange
ktap xen_exchange

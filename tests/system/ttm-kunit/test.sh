# Linux's own TTM KUnit suites run inside the Xen PV dom0.  No display driver
# is loaded: ttm_device_init_multiple counts the global TTM device list and
# expects only its own devices.
# timeout: 120
# group: kunit
# dom0-args: xtest.nodisplay
. ../lib.sh

check "no other TTM device is registered" sh -c '! ls /sys/class/drm/card* >/dev/null 2>&1'
for m in ttm_device_test ttm_pool_test ttm_resource_test ttm_tt_test ttm_bo_test ttm_bo_validate_test; do
	check "modprobe $m" modprobe "$m"
done
suites=$(ls /sys/kernel/debug/kunit/)
check "KUnit suites registered" test -n "$suites"
for s in $suites; do
	ktap "$s"
done

# The TTM page source for Xen PV (linux-patches: drm/ttm), tested by its
# KUnit suite in the PV dom0 against the real hypervisor: frames below the
# device's limit, contiguity, caching, sharing between devices, separate
# pools per limit, shrinking, refusal.  Then its debugfs counters.
# timeout: 600
# bochs-drm stays loaded: its TTM device keeps TTM's globals (and debugfs) alive.
. ../lib.sh

low_free_before=$(xl_info_field dma32_free_memory)
check "modprobe ttm_pool_xen_test" modprobe ttm_pool_xen_test
ktap ttm_pool_xen
d=/sys/kernel/debug/ttm
check "debugfs: ttm/xen_pools lists the 32-bit pool" grep -q "pool below 2^32" $d/xen_pools
check "debugfs: exchanges were counted" sh -c "grep -q '^  exchanges [1-9]' $d/xen_pools"
check "debugfs: four hypercalls per exchange" sh -c "awk '/^pool below/ {e=0} /^  exchanges/ {e=\$2} /^  hypercalls/ {if (\$2 != 4 * e) bad=1} END {exit bad}' $d/xen_pools"
check "debugfs: nothing in use after the tests" sh -c "! grep -q '^  in_use_pages [1-9]' $d/xen_pools"
echo 1000000 >$d/xen_pools_shrink
check "debugfs: shrinking leaves nothing pooled" sh -c "! grep -q '^  pooled_pages [1-9]' $d/xen_pools"
wait_for 10 sh -c "[ \$(xl info | sed -n 's/^dma32_free_memory *: *//p') -ge $low_free_before ]"
check_eq "Xen's free memory below 4 GiB back to its start value (MiB)" "$low_free_before" "$(xl_info_field dma32_free_memory)"
cat $d/xen_pools

# Smoke run of the scale benchmark (make bench, stage "scale";
# tests/bench/ttm-scale) on the test build: dom0 populates 8 and 32 MiB of
# 4 KiB and 2 MiB buffers along mainline's path and ours, then one guest and
# three guests with DMA32 quotas populate 8 MiB each at the same time.
# Checks what does not depend on timing: every page below the device's
# limit, each guest's buffers complete and within its quota, and free
# memory below 4 GiB back after the guests.
# timeout: 480
# release: 1
# cpus: 4
# dom0-args: xtest.nodisplay bench.scale_totals=8:32 bench.scale_repeats=1 bench.scale_guest_mib=8
cd ../../bench/ttm-scale && . ./test.sh

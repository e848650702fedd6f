# Smoke run of the benchmark (make bench; tests/bench/ttm-pool) on the test
# build of Xen: 8 MiB per case, one repeat.  Checks what does not depend on
# timing: each path's pool takes coherent DMA pages, every page lies below
# the device's limit, the exchanges stay within 4 hypercalls per MiB, ours
# makes fewer hypercalls than mainline by Xen's own count (the test Xen has
# perf counters), and the module unloads.
# timeout: 230
# dom0-args: xtest.nodisplay bench.total=8 bench.repeats=1 bench.sizes=4:64:2048 bench.lat_total=4 bench.lat_samples=8
cd ../../bench/ttm-pool && . ./test.sh

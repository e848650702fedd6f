# Smoke run of the benchmark (make bench; tests/bench/ttm-pool) on the test
# build of Xen: 8 MiB per case, one repeat.  Checks what does not depend on
# timing: each path gets the page source it should, every page lies below
# the device's limit, our source stays within 4 hypercalls per MiB, and the
# benchmark's module unloads.  (The test Xen has no perf counters.)
# timeout: 600
# dom0-args: xtest.nodisplay bench.total=8 bench.repeats=1 bench.sizes=4:64:2048
cd ../../bench/ttm-pool && . ./test.sh

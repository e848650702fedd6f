# xen-ttm: build Linux 6.12 + Xen 4.20 with our patch series and boot them
# under QEMU.  See README.md and docs/workflow.md.
#
# Overrides: LINUX_SRC=<tree|tarball>  XEN_SRC=<tree|tarball>  JOBS=<n>
#            DEBUG=0 (release Xen and Linux; default: debug Xen, lockdep/list/
#                     sleep-debug Linux, slub_debug)
#            TESTS="<scenario> ..."    (make test: only these system scenarios)
#            PACKAGES=0|1              (make test: skip / force the packages' boot)

SHELL := /bin/bash
S := scripts
export LINUX_SRC XEN_SRC JOBS TESTS BENCH_ARGS DEBUG PACKAGES DEB_KCONFIG

.PHONY: all build deps fetch prepare linux xen tools initramfs run screenshot cross-check \
	test test-release judge bench bench-scale bench-locks deb unit-test check-drivers export check-series update-lock clean clean-trees distclean help

all: build

help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## build         install host packages, fetch sources, apply the series, build everything
build:
	@$(S)/build-all.sh

## deps fetch prepare linux xen tools initramfs   run the stages up to that one
deps fetch prepare linux xen tools initramfs:
	@$(S)/build-all.sh $@

## run           build, then boot Xen + dom0 with a shell on this terminal (C-a x quits)
run: build
	@echo "monitor: build/qemu-monitor.sock (make screenshot saves the display)"
	@MONITOR=$(CURDIR)/build/qemu-monitor.sock $(S)/boot.sh

## screenshot    save dom0's display as build/logs/screenshot.png (from a running 'make run', else a fresh boot)
screenshot:
	@$(S)/screenshot.sh build/logs/screenshot.png

## test          build, then run every test suite (last line: N passed, N failed); TEST_BUDGET=<s>
test:
	@export MAKE_TEST_START=$$(date +%s); \
	mkdir -p "$${BUILD:-build}/logs" && : >"$${BUILD:-build}/logs/times.txt"; \
	if $(S)/build-all.sh prepare; then BUILD_FROM=linux tests/run.sh; else \
		echo "FAIL: build (build/logs)"; echo "0 passed, 1 failed, 0 skipped"; exit 1; fi

## test-release  make test, and what it leaves out: bench-scale-smoke, the host kernel's packages booted with guest-ttm-quota, check-drivers, cross-check
test-release: build
	@if $(S)/check-drivers.sh && $(S)/cross-build-xen.sh; then \
		RELEASE=1 DEB_KERNEL=host PKG_TESTS=guest-ttm-quota \
		TEST_BUDGET=$${TEST_BUDGET:-14400} tests/run.sh; else \
		echo "FAIL: check-drivers or cross-check (build/logs)"; \
		echo "0 passed, 1 failed, 0 skipped"; exit 1; fi

## judge         the verdict of the last make test again from its saved logs, nothing booted
judge:
	@JUDGE=1 tests/run.sh

## bench         build, then benchmark TTM's DMA32 paths (mainline, ours, native): build/bench/ (BENCH_ARGS=...)
bench: build
	@$(S)/bench.sh

## bench-scale   build, then only the benchmark at scale (1 GiB in dom0, guests at once): build/bench/scale.md
bench-scale: build
	@BENCH_ONLY=scale $(S)/bench.sh

## bench-locks   build, then the guests at once on a Xen profiling its locks: build/bench/locks/scale.md
bench-locks: build
	@BENCH_ONLY=locks $(S)/bench.sh

## deb           Debian packages of the patched Linux and Xen for a real host: build/deb/ (docs/admin-guide.md; DEB_KCONFIG=<config> starts from that kernel config)
deb:
	@$(S)/mk-deb.sh

## check-drivers build check: compile the TTM drivers radeon, amdgpu, nouveau, vmwgfx, qxl and bochs with the series
check-drivers: prepare
	@$(S)/check-drivers.sh

## unit-test     host-side unit tests only (no build, no boot)
unit-test:
	@SYSTEM=0 tests/run.sh

## export        write the commits of build/linux and build/xen back into the series
export:
	@$(S)/series.sh export linux
	@$(S)/series.sh export xen

## cross-check  build the patched hypervisor for arm64 and arm32 (Debian's cross compilers; not part of make test)
cross-check: prepare
	@$(S)/cross-build-xen.sh

## check-series  do the series in the repo and the build trees agree?
check-series:
	@$(S)/series.sh check

## update-lock   move config/sources.lock to what the registry serves now (UPDATE_LOCK=linux|xen: one base)
update-lock:
	@UPDATE_LOCK=$${UPDATE_LOCK:-1} $(S)/fetch-sources.sh

## clean         remove build products, keep the prepared trees
clean:
	rm -rf build/linux-obj build/linux-mods build/xen-obj build/xen-dist build/initramfs \
		build/*.gz build/logs

## clean-trees   remove the prepared trees (unexported work in them is lost)
clean-trees:
	rm -rf build/linux build/xen build/.applied

distclean:
	rm -rf build

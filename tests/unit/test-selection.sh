# make test TESTS="...": exact scenario names, unknown ones refused; only
# scenario folders git tracks are run or packed into dom0.
. "$(dirname "$0")/lib.sh"
unset TESTS RELEASE # a make test TESTS=... run must not narrow these lists
list() { LIST=1 UNIT=0 TESTS="$1" "$TOP/tests/run.sh" 2>&1; }
check_eq "TESTS=guest-dma32-quota runs that scenario alone (not dma32-quota)" guest-dma32-quota "$(list guest-dma32-quota)"
check_eq "several names, in the order given" "display|dom0-pv" "$(list "display dom0-pv" | paste -sd'|')"
refused() { local o; o=$(list "$1") && return 1; grep -q "TESTS: no scenario '$1'" <<<"$o"; }
check "a misspelt name is refused, not a run of nothing" refused guest-dma32-qouta
check "a part of a name is refused" refused dma32
all=$(list "")
release=$(cd "$TOP" && git ls-files 'tests/system/*/test.sh' | xargs grep -lx '# release: 1' | wc -l)
check_eq "no TESTS: every tracked scenario but those for make test-release" \
	"$(($(git -C "$TOP" ls-files 'tests/system/*/test.sh' | wc -l) - release))" "$(wc -l <<<"$all")"
check_eq "RELEASE=1 (make test-release): every tracked scenario" "$(git -C "$TOP" ls-files 'tests/system/*/test.sh' | wc -l)" \
	"$(RELEASE=1 LIST=1 UNIT=0 "$TOP/tests/run.sh" | wc -l)"
check_eq "TESTS= may name a scenario for make test-release" bench-scale-smoke "$(list bench-scale-smoke)"
mkdir -p "$TOP/tests/system/zz-untracked-$$"
echo ': untracked' >"$TOP/tests/system/zz-untracked-$$/test.sh"
check "an untracked scenario folder is not run" sh -c "! LIST=1 UNIT=0 '$TOP/tests/run.sh' | grep -q zz-untracked"
check "... nor packed into dom0" sh -c ". '$TOP/scripts/lib.sh' && ! tracked_tests | grep -q zz-untracked"
rm -rf "$TOP/tests/system/zz-untracked-$$"

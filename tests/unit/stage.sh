# A build stage's warnings reach the terminal, not only its log.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$(BUILD=$tmp TOP=$TOP bash -c '. "$TOP/scripts/lib.sh"; stage 1/1 demo "a stage" -- sh -c "echo noise; echo \"WARNING: the registry now serves 9.9\""')
check "the stage says ok" grep -q '^\[1/1\] a stage \.\.\. ok' <<<"$out"
check "its warning is shown under it" grep -q '^    WARNING: the registry now serves 9.9' <<<"$out"
check_eq "the rest stays in the log" 0 "$(grep -c noise <<<"$out")"
o=$(FROM=nosuch "$TOP/scripts/build-all.sh" 2>&1)
rc=$?
check "build-all.sh FROM=<unknown stage> is refused" test $rc != 0
check "... saying which stages there are" grep -q 'FROM=nosuch: no such stage' <<<"$o"

# The patch-series workflow on a toy base: prepare applies the series as
# commits, export writes them back, check notices drift, a patch that no longer
# applies fails clearly, and unexported work is never clobbered.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TOP_REAL=$TOP TOP=$tmp/repo BUILD=$tmp/build XEN_TTM_CACHE=$tmp/cache
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
S=$TOP_REAL/scripts/series.sh
mkdir -p "$TOP" "$BUILD" "$tmp/base/toy-1.0/src"
for d in linux-patches xen-hooks libxl-config; do
	mkdir -p "$TOP/$d"
	echo "# $d" >"$TOP/$d/series"
done
printf 'int main(void)\n{\n\treturn 0;\n}\n' >"$tmp/base/toy-1.0/src/main.c"
# A file the base's own .gitignore matches is still part of the base.
echo '*.gen' >"$tmp/base/toy-1.0/.gitignore"
echo 'generated' >"$tmp/base/toy-1.0/src/table.gen"
tar -C "$tmp/base" -cJf "$tmp/toy-1.0.tar.xz" toy-1.0
cat >"$BUILD/sources.env" <<ENV
LINUX_VERSION=1.0
LINUX_BASE=$tmp/toy-1.0.tar.xz
XEN_VERSION=1.0
XEN_BASE=$tmp/toy-1.0.tar.xz
ENV
L=$BUILD/linux
commit_change() { # <tree> <file> <text> <subject>
	echo "$3" >>"$1/$2" && git -C "$1" add "$2" && git -C "$1" commit -q -s -m "$4"
}

check "prepare an empty series" "$S" prepare linux
check "base unpacked with its top directory stripped" test -f "$L/src/main.c"
check_eq "files the base's .gitignore matches are in the base commit" src/table.gen "$(git -C "$L" ls-files src/table.gen)"
rm -rf "$L"
check "a tree cloned from the cached base has them too" sh -c "'$S' prepare linux && test -f '$L/src/table.gen'"
check "empty series agrees with the tree" "$S" check linux
commit_change "$L" src/main.c "/* one */" "toy: first change"
check "check notices an unexported commit" sh -c "! '$S' check linux"
check "export" "$S" export linux
check_eq "export wrote one patch" 1 "$(ls "$TOP/linux-patches"/*.patch | wc -l)"
check_eq "series file lists it" "0001-toy-first-change.patch" "$(grep -v '^#' "$TOP/linux-patches/series")"
check "exported patch has no git version trailer" sh -c "! grep -q '^-- $' '$TOP'/linux-patches/*.patch"
check "tree and series agree after export" "$S" check linux
cp "$TOP/linux-patches/0001-toy-first-change.patch" "$tmp/p1"
check "export is stable (same bytes twice)" sh -c "'$S' export linux && cmp '$tmp/p1' '$TOP/linux-patches/0001-toy-first-change.patch'"
rm -rf "$L"
check "a fresh prepare applies the series" "$S" prepare linux
check_eq "the patch became one commit" "toy: first change" "$(git -C "$L" log -1 --format=%s)"
check "fresh tree agrees" "$S" check linux

# A series changed in the repo (git pull) is re-applied onto an untouched tree.
sed -i 's|/\* one \*/|/* uno */|' "$TOP/linux-patches/0001-toy-first-change.patch"
check "changed repo series is re-applied" "$S" prepare linux
check "re-applied tree has the new text" grep -q uno "$L/src/main.c"

# Unexported work plus a changed repo series: refuse, keep the work.
commit_change "$L" src/main.c "/* local */" "toy: local work"
sed -i 's|/\* uno \*/|/* eins */|' "$TOP/linux-patches/0001-toy-first-change.patch"
refuses() { local o; o=$("$S" prepare linux 2>&1) && return 1; grep -q 'holds work that is not in' <<<"$o"; }
check "prepare refuses to clobber unexported work" refuses
check_eq "the local commit is still there" "toy: local work" "$(git -C "$L" log -1 --format=%s)"

# A patch that no longer applies fails with a message naming it.
rm -rf "$L"
sed -i 's|^-\treturn 0;|-\treturn 42;|; s|^ \treturn 0;| \treturn 42;|' "$TOP/linux-patches/0001-toy-first-change.patch"
no_apply() { local o; o=$("$S" prepare linux 2>&1) && return 1; grep -q 'patch 1 of linux-patches (0001-toy-first-change.patch) no longer applies' <<<"$o"; }
check "a stale patch fails clearly" no_apply

# Xen: hypervisor commits on branch xen-hooks, toolstack commits above it.
X=$BUILD/xen
check "prepare xen" "$S" prepare xen
git -C "$X" checkout -q xen-hooks
commit_change "$X" src/main.c "/* hv */" "xen: hypervisor change"
git -C "$X" checkout -q master && git -C "$X" rebase -q xen-hooks
commit_change "$X" src/main.c "/* tools */" "tools/libxl: toolstack change"
check "export xen" "$S" export xen
check_eq "hypervisor patch in xen-hooks" "0001-xen-hypervisor-change.patch" "$(grep -v '^#' "$TOP/xen-hooks/series")"
check_eq "toolstack patch in libxl-config" "0001-tools-libxl-toolstack-change.patch" "$(grep -v '^#' "$TOP/libxl-config/series")"
rm -rf "$X"
check "xen tree rebuilt from both series" "$S" prepare xen
check_eq "both commits, in order" "tools/libxl: toolstack change|xen: hypervisor change" "$(git -C "$X" log -2 --format=%s | paste -sd'|')"
check_eq "branch xen-hooks ends at the hypervisor patch" "xen: hypervisor change" "$(git -C "$X" log -1 --format=%s xen-hooks)"

# A changed base never deletes unexported work (committed or not).
git -C "$X" checkout -q master
commit_change "$X" src/main.c "/* unexported */" "tools: unexported work"
mkdir -p "$tmp/base2/toy-1.1/src" && cp "$tmp/base/toy-1.0/src/main.c" "$tmp/base2/toy-1.1/src/"
tar -C "$tmp/base2" -cJf "$tmp/toy-1.1.tar.xz" toy-1.1
sed -i "s|^XEN_BASE=.*|XEN_BASE=$tmp/toy-1.1.tar.xz|; s|^XEN_VERSION=.*|XEN_VERSION=1.1|" "$BUILD/sources.env"
base_refuses() { local o; o=$("$S" prepare xen 2>&1) && return 1; grep -q 'its base changed' <<<"$o"; }
check "a new base does not replace a tree with unexported commits" base_refuses
check_eq "... which are still there" "tools: unexported work" "$(git -C "$X" log -1 --format=%s)"
git -C "$X" reset -q --hard HEAD~1
echo "/* edit */" >>"$X/src/main.c"
check "... nor one with uncommitted changes" base_refuses
check "... which are still there too" grep -q edit "$X/src/main.c"
git -C "$X" checkout -q -- src/main.c

# An interrupted prepare is redone, not taken for somebody's work.
touch "$BUILD/.prepare-xen-in-progress"
git -C "$X" reset -q --hard base
check "a prepare interrupted half way is redone" "$S" prepare xen
check "... and leaves no mark" test ! -f "$BUILD/.prepare-xen-in-progress"
check_eq "... with both series on the new base" 2 "$(git -C "$X" rev-list --count base..HEAD)"

# A user's source tree is told apart by its content, not its path.
mkdir -p "$tmp/mytree/src" && cp "$tmp/base/toy-1.0/src/main.c" "$tmp/mytree/src/"
sed -i "s|^LINUX_BASE=.*|LINUX_BASE=$tmp/mytree|" "$BUILD/sources.env"
rm -rf "$L"
sed -i 's|-\treturn 42;|-\treturn 0;|; s| \treturn 42;| \treturn 0;|' "$TOP/linux-patches/0001-toy-first-change.patch"
check "prepare from a user's tree" "$S" prepare linux
"$S" export linux >/dev/null # the hand-edited patch, as export writes it
id1=$(git -C "$L" tag -l --format='%(contents:subject)' base)
echo "/* changed by its owner */" >>"$tmp/mytree/src/other.c"
check "a changed user tree is a new base" sh -c "'$S' prepare linux && [ \"\$(git -C '$L' tag -l --format='%(contents:subject)' base)\" != '$id1' ]"
check "... whose change is in build/linux" test -f "$L/src/other.c"

# A build product committed by mistake never becomes a patch.
printf '\177ELF\0\1\2' >"$L/src/prog" && git -C "$L" add src/prog && git -C "$L" commit -q -m "toy: with a binary"
cp "$TOP/linux-patches/series" "$tmp/series.before"
bin_refused() { local o; o=$("$S" export linux 2>&1) && return 1; grep -q 'commits binary files: src/prog' <<<"$o"; }
check "export refuses a commit that adds a binary file" bin_refused
check "... and leaves the series as it was" cmp "$tmp/series.before" "$TOP/linux-patches/series"

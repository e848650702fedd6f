# LINUX_SRC= and XEN_SRC= build from the user's own tree or tarball: nothing
# is downloaded, the lock is left alone, and the trees are prepared from them.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
S=$TOP/scripts
export TOP=$tmp/repo BUILD=$tmp/build XEN_TTM_CACHE=$tmp/cache LOCK=$tmp/sources.lock
for d in linux-patches xen-hooks libxl-config; do
	mkdir -p "$TOP/$d" && echo "# $d" >"$TOP/$d/series"
done
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
mkdir -p "$tmp/mylinux/kernel" "$tmp/x/xen-4.20/xen" "$BUILD"
echo "int x;" >"$tmp/mylinux/kernel/a.c"
git -C "$tmp/mylinux" init -q && git -C "$tmp/mylinux" add -A && git -C "$tmp/mylinux" commit -q -m user
echo "int y;" >"$tmp/x/xen-4.20/xen/b.c"
tar -C "$tmp/x" -czf "$tmp/xen.tar.gz" xen-4.20
echo "LOCKED=1" >"$LOCK"

check "fetch with both overrides needs no registry" \
	env LINUX_SRC="$tmp/mylinux" XEN_SRC="$tmp/xen.tar.gz" SYS_SOURCES=/nonexistent \
	"$S/fetch-sources.sh"
check_eq "the lock is left alone" "LOCKED=1" "$(cat "$LOCK")"
check "sources.env names the user's tree" grep -qx "LINUX_BASE=$tmp/mylinux" "$BUILD/sources.env"
check "sources.env names the user's tarball" grep -qx "XEN_BASE=$tmp/xen.tar.gz" "$BUILD/sources.env"
check "prepare linux from a directory" "$S/series.sh" prepare linux
check_eq "its files, without its .git" "int x;|no .git" \
	"$(cat "$BUILD/linux/kernel/a.c")|$(git -C "$BUILD/linux" ls-files | grep -q '^\.git/' && echo has .git || echo no .git)"
check "prepare xen from a tarball" "$S/series.sh" prepare xen
check_eq "its files, top directory stripped" "int y;" "$(cat "$BUILD/xen/xen/b.c")"
missing() { local o; o=$(LINUX_SRC=$tmp/nope XEN_SRC=$tmp/xen.tar.gz "$S/fetch-sources.sh" 2>&1) && return 1; grep -q "LINUX_SRC=$tmp/nope does not exist" <<<"$o"; }
check "a missing LINUX_SRC is a clear error" missing

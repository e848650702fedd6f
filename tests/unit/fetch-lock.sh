# The lock's rules (scripts/fetch-sources.sh, pick_version): a locked version
# the registry serves is used, a newer one only warned about; one it no
# longer lists is a warning, and with CI=true an error, unless the archive's
# pool still serves it; make update-lock (UPDATE_LOCK=1, =linux, =xen) moves
# the bases it names and only those.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export BUILD=$tmp/build XEN_TTM_CACHE=$tmp/cache
# shellcheck disable=SC1091
. "$TOP/scripts/fetch-sources.sh"
set +eu
# CI itself runs with CI=true; the cases without it must not inherit that.
unset CI
served=$'4.20.4\n4.20.3'

# pick <args...>: pick_version's choice, its warnings on stderr as "W: ..."
pick() {
	(pick_version "$@") >"$tmp/out" 2>"$tmp/err"
	echo "rc=$?" >>"$tmp/err"
	sed -i 's/^WARNING: /W: /' "$tmp/err"
	cat "$tmp/out"
}
check_eq "the locked version, when served, is used" 4.20.3 "$(pick "xen 4.20 source" 4.20.3 4.20.4 "$served")"
check "... and the newer one served is a warning" grep -q 'W: xen 4.20 source: the registry now serves 4.20.4; using the locked 4.20.3' "$tmp/err"
check_eq "not listed, in the cache: used" 4.20.1 "$(pick "xen 4.20 source" 4.20.1 4.20.4 "$served" 1)"
check "... with a warning" grep -q 'W: .*the locked 4.20.1 is no longer served; using the cached copy' "$tmp/err"
check_eq "not listed, in the cache, CI=true: an error" "" "$(CI=true pick "xen 4.20 source" 4.20.1 4.20.4 "$served" 1)"
check "... that says what to do" grep -q 'error: .*no longer served.*CI=true: make update-lock' "$tmp/err"
check "... and fails" grep -qx 'rc=1' "$tmp/err"
check_eq "not listed but in the archive's pool, CI=true: used (still served)" 4.20.1 \
	"$(CI=true pick "xen 4.20 source" 4.20.1 4.20.4 "$served" pool)"
check "... without an error" grep -qx 'rc=0' "$tmp/err"
check_eq "neither served nor cached: the newest, with a warning" 4.20.4 "$(pick "xen 4.20 source" 4.20.1 4.20.4 "$served")"
check_eq "... and with CI=true an error" "" "$(CI=true pick "xen 4.20 source" 4.20.1 4.20.4 "$served")"
check_eq "make update-lock: the newest" 4.20.4 "$(UPDATE_LOCK=1 pick "xen 4.20 source" 4.20.3 4.20.4 "$served")"
check_eq "UPDATE_LOCK=xen moves Xen" 4.20.4 "$(UPDATE_LOCK=xen pick "xen 4.20 source" 4.20.3 4.20.4 "$served")"
check_eq "UPDATE_LOCK=xen keeps Linux" 6.12.117-1 \
	"$(UPDATE_LOCK=xen pick linux-source-6.12 6.12.117-1 6.12.118-1 $'6.12.118-1\n6.12.117-1')"
check_eq "UPDATE_LOCK=linux moves Linux" 6.12.118-1 \
	"$(UPDATE_LOCK=linux pick linux-source-6.12 6.12.117-1 6.12.118-1 $'6.12.118-1\n6.12.117-1')"

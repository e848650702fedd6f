#!/bin/bash
# Configure and build Linux from build/linux into build/linux-obj (out of tree,
# so the git tree stays clean), then install modules into build/linux-mods.
#
# The config is x86_64_defconfig + Linux's two xen.config fragments + ours
# (config/linux-dom0.config), plus EXTRA_CONFIG fragments (space separated).
# make deb: LINUX_BASE_CONFIG (a whole .config, e.g. a distribution's) in
# place of x86_64_defconfig, LINUX_FRAGMENTS in place of linux-dom0.config,
# TEST_MODULES=0 (no tests/modules).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SRC=$BUILD/linux
OBJ=${LINUX_OBJ:-$BUILD/linux-obj}
MODS=${LINUX_MODS:-$BUILD/linux-mods}
BASE_CONFIG=${LINUX_BASE_CONFIG:-}
FRAGMENTS="${LINUX_FRAGMENTS:-$TOP/config/linux-dom0.config} ${EXTRA_CONFIG:-}"
[ -z "$BASE_CONFIG" ] || [ -f "$BASE_CONFIG" ] || die "no such config: $BASE_CONFIG"
[ -d "$SRC/.git" ] || die "build/linux is not prepared (make prepare)"

kbuild_env "${KBUILD_BUILD_HOST:-qemu}"
use_ccache
CC=$CC_CMD
kmake() { make -C "$SRC" O="$OBJ" CC="$CC" -j"$JOBS" "$@"; }

# Every option of our fragments must end up as asked: catch missing deps.
# An option a later fragment sets again is that fragment's to check.
check_fragment() {
	local f=$1 opt val bad=0 later
	later=$(echo "$FRAGMENTS" | tr ' ' '\n' | sed -n "\|^$f\$|,\$p" | tail -n +2)
	while IFS='=' read -r opt val; do
		case $opt in CONFIG_*) ;; *) continue ;; esac
		# shellcheck disable=SC2086
		[ -n "$later" ] && grep -q "^$opt=" $later && continue
		if [ "$val" = n ]; then
			grep -q "^$opt=" "$OBJ/.config" && { echo "$f: $opt=n not honoured"; bad=1; }
		else
			grep -qx "$opt=$val" "$OBJ/.config" || { echo "$f: $opt=$val not honoured"; bad=1; }
		fi
	done <"$f"
	return $bad
}

all_fragments_honoured() {
	local f
	for f in $FRAGMENTS; do check_fragment "$f" >/dev/null || return 1; done
}

configure() {
	local stamp inputs f
	inputs=$(cat "${BASE_CONFIG:-$SRC/arch/x86/configs/x86_64_defconfig}" \
		"$SRC/kernel/configs/xen.config" "$SRC/arch/x86/configs/xen.config" $FRAGMENTS |
		sha256sum)
	stamp=$OBJ/.xen-ttm-config-inputs
	# Kbuild drops options the tree does not know (e.g. after checking out
	# an older commit), so an unchanged stamp is not enough: recheck.
	if [ -f "$OBJ/.config" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$inputs" ] &&
		all_fragments_honoured; then
		echo "config unchanged"
		return
	fi
	mkdir -p "$OBJ"
	if [ -n "$BASE_CONFIG" ]; then
		cp "$BASE_CONFIG" "$OBJ/.config"
		# a distribution's signing keys are not in this tree
		"$SRC/scripts/config" --file "$OBJ/.config" --set-str SYSTEM_TRUSTED_KEYS "" \
			--set-str SYSTEM_REVOCATION_KEYS "" --set-str MODULE_SIG_KEY certs/signing_key.pem
		kmake olddefconfig
	else
		kmake x86_64_defconfig
	fi
	# shellcheck disable=SC2086
	"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" \
		"$SRC/kernel/configs/xen.config" "$SRC/arch/x86/configs/xen.config" $FRAGMENTS
	kmake olddefconfig
	for f in $FRAGMENTS; do check_fragment "$f" || die "config fragment $f not honoured"; done
	echo "$inputs" >"$stamp"
}

# Our test modules (tests/modules/*/Kbuild), built out of tree from a copy so
# that the repo stays clean, installed under extra/; their shared header is in
# tests/modules/include.
test_modules() {
	local m
	rm -rf "$BUILD/test-modules"
	mkdir -p "$BUILD/test-modules"
	cp -r "$TOP/tests/modules/include" "$BUILD/test-modules/include"
	for m in "$TOP"/tests/modules/*/Kbuild; do
		m=$(basename "$(dirname "$m")")
		cp -r "$TOP/tests/modules/$m" "$BUILD/test-modules/$m"
		kmake M="$BUILD/test-modules/$m" modules
		kmake M="$BUILD/test-modules/$m" INSTALL_MOD_PATH="$MODS" \
			INSTALL_MOD_STRIP=1 INSTALL_MOD_DIR=extra modules_install
	done
}

configure
kmake bzImage modules
rm -rf "$MODS"
kmake INSTALL_MOD_PATH="$MODS" INSTALL_MOD_STRIP=1 modules_install
[ "${TEST_MODULES:-1}" = 0 ] || test_modules
echo "kernel: $(cat "$OBJ/include/config/kernel.release")"

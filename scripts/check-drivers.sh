#!/bin/bash
# Build check: compile the TTM drivers radeon, amdgpu, nouveau, vmwgfx,
# qxl and bochs against build/linux with our series applied, in its own object
# directory (build/linux-drivers-obj), so that an API change in TTM that
# breaks a driver is caught.  Compiles the drivers' objects and TTM; the
# test bed's kernel is untouched.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

export LINUX_OBJ=$BUILD/linux-drivers-obj
SRC=$BUILD/linux
DIRS="drivers/gpu/drm/ttm/ drivers/gpu/drm/radeon/ drivers/gpu/drm/amd/amdgpu/
	drivers/gpu/drm/nouveau/ drivers/gpu/drm/vmwgfx/ drivers/gpu/drm/qxl/
	drivers/gpu/drm/tiny/"
use_ccache
[ -d "$SRC/.git" ] || die "build/linux is not prepared (make prepare)"

mkdir -p "$LINUX_OBJ"
make -C "$SRC" O="$LINUX_OBJ" x86_64_defconfig >/dev/null
"$SRC/scripts/kconfig/merge_config.sh" -m -O "$LINUX_OBJ" "$LINUX_OBJ/.config" \
	"$SRC/kernel/configs/xen.config" "$SRC/arch/x86/configs/xen.config" \
	"$TOP/config/linux-dom0.config" "$TOP/config/linux-ttm-drivers.config" >/dev/null
make -C "$SRC" O="$LINUX_OBJ" olddefconfig >/dev/null
for opt in $(sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=m$/\1/p' "$TOP/config/linux-ttm-drivers.config"); do
	grep -qx "$opt=m" "$LINUX_OBJ/.config" || die "$opt=m not honoured"
done
# shellcheck disable=SC2086
make -C "$SRC" O="$LINUX_OBJ" CC="$CC_CMD" -j"$JOBS" $DIRS
echo "built: $(find "$LINUX_OBJ/drivers/gpu/drm" -name '*.o' | wc -l) objects"

# KUNIT_ALL_TESTS=y must not pull in our KUnit suites that change the
# running domain (issue #29: xen-exchange-kunit takes memory below 4 GiB
# from the domain's quota and empties xen-swiotlb's shared pools): Kconfig
# of the patched tree, on a PV config with every KUnit test asked for.
# (Needs the prepared tree build/linux; make test always prepares it.)
. "$(dirname "$0")/lib.sh"
src=$TOP/build/linux
if [ ! -f "$src/arch/x86/xen/Kconfig" ]; then
	echo "SKIP: unit/$SUITE: build/linux is not prepared (make prepare)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
kc() { make -s -C "$src" O="$tmp" "$@" >/dev/null 2>&1; }
kc x86_64_defconfig &&
	"$src/scripts/config" --file "$tmp/.config" -e HYPERVISOR_GUEST -e PARAVIRT -e XEN -e XEN_PV \
		-e KUNIT -e KUNIT_ALL_TESTS &&
	kc olddefconfig
check "a PV config with KUNIT_ALL_TESTS=y (Kconfig ran)" grep -qx 'CONFIG_KUNIT_ALL_TESTS=y' "$tmp/.config"
check "... has XEN_PV" grep -qx 'CONFIG_XEN_PV=y' "$tmp/.config"
check_eq "... and leaves the exchange's KUnit suite out (it changes the running domain)" \
	'# CONFIG_XEN_EXCHANGE_KUNIT_TEST is not set' "$(grep 'XEN_EXCHANGE_KUNIT_TEST' "$tmp/.config")"

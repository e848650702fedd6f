# The libxl 4.20 ABI kept (the Xen v3 issue): a libxl client built against
# Debian's unpatched libxen-dev headers (tests/programs/libxl-abi.c, built by
# scripts/mk-initramfs.sh) runs in dom0 against our libxenlight.so.4.20.
# libxl_physinfo, libxl_dominfo and libxl_domain_config, in buffers of their
# stock size followed by guard bytes, are filled without a byte past their
# end; libxl_list_domain()'s array, read with the stock stride, has the
# domids xl lists; the guest's config comes back with its name, memory and
# vCPUs where the stock headers put them.  (When libxl-config appended its
# fields to these structs, physinfo and dominfo wrote 16 bytes past the
# stock ones, and list entries were read at the wrong offsets.)
# timeout: 120
# group: guests
. ../lib.sh

guest_cfg abi 64 "dma32_quota = 8"
check "xl create a guest with dma32_quota=8" xl_create /tmp/abi.cfg
dom=$(xl domid abi)

out=$(libxl-abi "$dom" abi 2>&1)
rc=$?
echo "$out"
check_eq "libxl-abi ran every check, none failed" "libxl-abi: 9 checks, 0 failed" "$(echo "$out" | tail -n 1)"
check_eq "libxl-abi exits 0" 0 $rc
echo "$out" | sed -n 's/^ok: //p' | while read -r line; do pass "stock-header client: $line"; done
echo "$out" | sed -n 's/^FAIL: //p' | while read -r line; do fail "stock-header client: $line" "see the console"; done
check_eq "the domids it listed are xl's" "$(xl list | awk 'NR > 1 { print $2 }' | sort -n | paste -sd' ')" \
	"$(echo "$out" | sed -n 's/^domids: //p' | tr ' ' '\n' | sort -n | paste -sd' ')"
check_eq "its host memory is xl info's (MiB)" "$(xl_info_field total_memory)" \
	$(($(echo "$out" | sed -n 's/^total_pages: //p') / 256))
check_eq "xl list -l still reports the guest's quota (kB)" 8192 "$(dma32_kb abi quota)"
check "xl destroy abi" xl_destroy abi

# Real KMS clients in dom0 on bochs-drm (TTM through the VRAM helper):
# libdrm's modetest sets the preferred mode and draws its SMPTE bars into a
# dumb buffer, and the host finds the bars on the screenshot; modetest -v
# flips between two buffers; drm-dumb-roundtrip (tests/programs) writes
# twice as many dumb buffers as VRAM holds through one mapping and reads
# them back through another: in system memory, in VRAM after scan-out
# (TTM's I/O memory mapping of the BAR) and wherever TTM evicted them, and
# the host checks the last one on screen pixel by pixel.
# timeout: 220
. ../lib.sh

v=$(kms-client vram)
vram_mib=$(field vram_mib "$v")
check "bochs-drm's VRAM size, from TTM's VRAM manager ($vram_mib MiB)" test "${vram_mib:-0}" -gt 0

p=$(kms-client pattern)
echo "modetest: $p"
mode=$(field mode "$p")
check "modetest set a mode on the connected connector ($p)" test -n "$mode"
[ -n "$mode" ] && screenshot - modetest "smpte:$mode"
s=$(kms-client stop)
check_eq "modetest ended cleanly ($s)" 0 "$(field exit "$s")"

f=$(kms-client flips 12)
echo "page flips: $f"
check "modetest -v flipped between two buffers for 12 s ($f)" \
	test "$(field reports "$f")" -ge 1 -a "$(field flips "$f")" -gt 0

mib=$((2 * vram_mib))
s=$(kms-client roundtrip $mib)
echo "drm-dumb-roundtrip: $s"
check "drm-dumb-roundtrip shows its last buffer ($s)" contains "$s" DUMB-SHOWN
contains "$s" DUMB-SHOWN &&
	screenshot - roundtrip "dumb:$(field seed "$s"):$(field buffer "$s"):$(field pitch "$s"):$(field mode "$s")"
r=$(kms-client stop)
echo "drm-dumb-roundtrip: $r"
bytes=$(field bytes_verified "$r")
check_eq "every byte read back through the other mapping, in VRAM and after eviction ($bytes bytes)" \
	"0 0" "$(field mismatches "$r") $(field exit "$r")"
shown=$(field mode "$s")
total=$(($(field buffers "$r") * $(field pitch "$s") * ${shown#*x}))
check "more dumb buffers than VRAM holds ($(field buffers "$r") buffers, $((total >> 20)) MiB, VRAM $vram_mib MiB)" \
	test "$total" -gt $((vram_mib << 20))
check "TTM evicted buffers from VRAM and brought them back ($(field evictions "$r") evictions)" \
	test "$(field evictions "$r")" -gt 0
# Again with TTM's own DMA32 page limit (mainline's ttm.dma32_pages_limit)
# lowered to the VRAM's size: buffers evicted to system memory are swapped
# out to shmem and back too.  A kernel mapping the VRAM helpers kept of a
# swapped-out buffer wrote into freed pages here (linux-patches 0010).
L=/sys/module/ttm/parameters/dma32_pages_limit
limit=$(cat $L)
check "TTM's DMA32 limit lowered to $((vram_mib * 256)) pages" sh -c "echo $((vram_mib * 256)) >$L"
s=$(kms-client roundtrip $mib)
contains "$s" DUMB-SHOWN ||
	fail "drm-dumb-roundtrip under TTM's lowered limit shows its last buffer" "$s"
w=$(kms-client stop)
echo "drm-dumb-roundtrip, TTM's limit lowered: $w"
echo "$limit" >$L
check_eq "every byte read back while TTM swapped buffers out ($(field bytes_verified "$w") bytes)" \
	"0 0" "$(field mismatches "$w") $(field exit "$w")"
check "TTM swapped buffers out to shmem ($(field swapouts "$w") swap-outs, $(field evictions "$w") evictions)" \
	test "$(field swapouts "$w")" -gt 0
result "XTEST-REPORT: kms dom0: flip rate $(field flip_rate "$f") Hz, $bytes bytes verified, $(field evictions "$r") evictions; with TTM's limit lowered $(field bytes_verified "$w") bytes, $(field swapouts "$w") swap-outs"

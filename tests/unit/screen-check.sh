#!/bin/bash
# tests/screen-check.py: it finds libdrm's SMPTE bars and the dumb-buffer
# pattern where they are drawn, refuses a picture that is shifted, of
# another mode or of another buffer, and computes the pattern exactly as
# tests/programs/drm-dumb-roundtrip.c does.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SC=$TOP/tests/screen-check.py

# Pictures drawn as the programs draw them: SMPTE with libdrm's loops
# (fill_smpte_rgb32), the dumb pattern word by word, as PPM
python3 - "$tmp" "$SC" <<'PY'
import importlib.machinery, importlib.util, sys
tmp, sc_path = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_loader('sc', importlib.machinery.SourceFileLoader('sc', sc_path))
sc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sc)

def smpte(w, h):
    rows = []
    for y in range(h):
        row = []
        for x in range(w):
            if y < h * 6 // 9:
                c = sc.SMPTE_TOP[x * 7 // w]
            elif y < h * 7 // 9:
                c = sc.SMPTE_MIDDLE[x * 7 // w]
            elif x < w * 5 // 7:
                c = sc.SMPTE_BOTTOM[x * 4 // (w * 5 // 7)]
            elif x < w * 6 // 7:
                c = sc.SMPTE_BOTTOM[(x - w * 5 // 7) * 3 // (w // 7) + 4]
            else:
                c = sc.SMPTE_BOTTOM[7]
            row.append(c)
        rows.append(row)
    return rows

def dumb(seed, b, pitch, w, h):
    rows = []
    for y in range(h):
        row = []
        for x in range(w):
            v = sc.pattern_word(seed, b, y * pitch // 4 + x)
            row.append(((v >> 16) & 255, (v >> 8) & 255, v & 255))
        rows.append(row)
    return rows

def save(name, rows):
    h, w = len(rows), len(rows[0])
    with open(f'{tmp}/{name}.ppm', 'wb') as f:
        f.write(f'P6 {w} {h} 255\n'.encode())
        f.write(bytes(v for row in rows for c in row for v in c))

save('smpte-1024x768', smpte(1024, 768))
save('smpte-800x600', smpte(800, 600))
shifted = [row[48:] + row[:48] for row in smpte(1024, 768)]
save('smpte-shifted', shifted)
save('dumb', dumb(7, 3, 1280 * 4, 1280, 720))
PY

# refused <description> <image> <spec>: the checker ran and said no
refused() {
	local o rc=0
	o=$(python3 "$SC" "$2" "$3" 2>&1) || rc=$?
	if [ $rc = 1 ] && grep -Eq '^(smpte|dumb): ' <<<"$o"; then pass "$1 ($o)"; else fail "$1" "exit $rc: $o"; fi
}

check "SMPTE bars at 1024x768 are found" python3 "$SC" "$tmp/smpte-1024x768.ppm" smpte:1024x768
check "SMPTE bars at 800x600 are found" python3 "$SC" "$tmp/smpte-800x600.ppm" smpte:800x600
refused "bars shifted by 48 pixels (a third of a bar) are refused" "$tmp/smpte-shifted.ppm" smpte:1024x768
refused "a picture of another mode is refused" "$tmp/smpte-800x600.ppm" smpte:1024x768
check "the dumb pattern is found" python3 "$SC" "$tmp/dumb.ppm" dumb:7:3:5120:1280x720
refused "another buffer's pattern is refused" "$tmp/dumb.ppm" dumb:7:4:5120:1280x720
refused "the SMPTE check refuses the dumb pattern" "$tmp/dumb.ppm" smpte:1280x720

# The C program's pattern_word(), compiled, against the checker's
cat >"$tmp/words.c" <<'C'
#include <stdio.h>
#define main roundtrip_main
#include "drm-dumb-roundtrip.c"
#undef main
int main(void)
{
	unsigned int s, b, k;

	for (s = 0; s < 3; s++)
		for (b = 0; b < 3; b++)
			for (k = 0; k < 4000000; k += 999983)
				printf("%u %u %u %u\n", s, b, k, pattern_word(s, b, k));
	return 0;
}
C
if gcc -O2 -I"$TOP/tests/programs" $(pkg-config --cflags libdrm) -o "$tmp/words" "$tmp/words.c" \
	$(pkg-config --libs libdrm) 2>"$tmp/cc.err"; then
	"$tmp/words" >"$tmp/c.txt"
	cat >"$tmp/words.py" <<'PY'
import importlib.machinery, importlib.util, sys
spec = importlib.util.spec_from_loader('sc', importlib.machinery.SourceFileLoader('sc', sys.argv[1]))
sc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sc)
for line in sys.stdin:
    s, b, k, _ = (int(v) for v in line.split())
    print(s, b, k, sc.pattern_word(s, b, k))
PY
	python3 "$tmp/words.py" "$SC" <"$tmp/c.txt" >"$tmp/py.txt" 2>&1
	check_eq "C and Python compute the same pattern ($(wc -l <"$tmp/c.txt") words)" "$(cat "$tmp/c.txt")" "$(cat "$tmp/py.txt")"
else
	fail "drm-dumb-roundtrip.c compiles" "$(tail -n 3 "$tmp/cc.err")"
fi

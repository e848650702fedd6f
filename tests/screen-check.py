#!/usr/bin/env python3
"""Check a screenshot against the picture a scenario drew.

usage: screen-check.py <image> <spec>
  smpte:<w>x<h>                      libdrm's SMPTE colour bars (modetest)
  dumb:<seed>:<buffer>:<pitch>:<w>x<h>
                                     drm-dumb-roundtrip's pattern for that
                                     buffer (tests/programs)
Samples the picture at positions computed for the mode, compares each with
the colour the pattern puts there (within TOLERANCE per channel) and prints
one line; exit status 0 when every sample matches.
"""
import subprocess
import sys

TOLERANCE = 4

# libdrm tests/util/pattern.c, fill_smpte_rgb32()
SMPTE_TOP = [(192, 192, 192), (192, 192, 0), (0, 192, 192), (0, 192, 0),
             (192, 0, 192), (192, 0, 0), (0, 0, 192)]
SMPTE_MIDDLE = [(0, 0, 192), (19, 19, 19), (192, 0, 192), (19, 19, 19),
                (0, 192, 192), (19, 19, 19), (192, 192, 192)]
SMPTE_BOTTOM = [(0, 33, 76), (255, 255, 255), (50, 0, 106), (19, 19, 19),
                (9, 9, 9), (19, 19, 19), (29, 29, 29), (19, 19, 19)]


def read_rgb(path):
    """(width, height, bytes) of the image, 8-bit RGB rows."""
    size = subprocess.run(['identify', '-format', '%w %h', path],
                          capture_output=True, text=True, check=True).stdout
    width, height = (int(v) for v in size.split())
    raw = subprocess.run(['convert', path, '-depth', '8', 'rgb:-'],
                         capture_output=True, check=True).stdout
    return width, height, raw


def across(x0, x1, y, colour):
    """Samples at a quarter, half and three quarters of [x0, x1) on row y."""
    return [(x0 + (x1 - x0) * q // 4, y, colour) for q in (1, 2, 3)]


def smpte_samples(w, h):
    """(x, y, colour) across every bar of the SMPTE pattern."""
    out = []
    for i, colour in enumerate(SMPTE_TOP):
        out += across(i * w // 7, (i + 1) * w // 7, h * 3 // 9, colour)
    for i, colour in enumerate(SMPTE_MIDDLE):
        out += across(i * w // 7, (i + 1) * w // 7,
                      (h * 6 // 9 + h * 7 // 9) // 2, colour)
    y = (h * 7 // 9 + h) // 2
    left = w * 5 // 7
    for i in range(4):
        out += across(i * left // 4, (i + 1) * left // 4, y, SMPTE_BOTTOM[i])
    for i in range(3):
        out += across(left + i * (w // 7) // 3, left + (i + 1) * (w // 7) // 3,
                      y, SMPTE_BOTTOM[4 + i])
    out += across(w * 6 // 7, w, y, SMPTE_BOTTOM[7])
    return out


def pattern_word(seed, b, k):
    """tests/programs/drm-dumb-roundtrip.c, pattern_word()."""
    m = 0xffffffff
    x = (k * 0x9e3779b1 + b * 0x85ebca77 + seed) & m
    x ^= x >> 15
    x = (x * 0x2c1b3c6d) & m
    x ^= x >> 12
    return x


def dumb_samples(seed, b, pitch, w, h):
    """(x, y, colour) on a 16 x 12 grid and the four corners."""
    points = {(x * (w - 1) // 15, y * (h - 1) // 11)
              for x in range(16) for y in range(12)}
    out = []
    for x, y in sorted(points):
        word = pattern_word(seed, b, y * pitch // 4 + x)
        out.append((x, y, ((word >> 16) & 255, (word >> 8) & 255, word & 255)))
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    path, spec = sys.argv[1], sys.argv[2]
    kind, *args = spec.split(':')
    w, h = (int(v) for v in args[-1].split('x'))
    if kind == 'smpte' and len(args) == 1:
        samples = smpte_samples(w, h)
    elif kind == 'dumb' and len(args) == 4:
        samples = dumb_samples(int(args[0]), int(args[1]), int(args[2]), w, h)
    else:
        sys.exit('unknown check: ' + spec)
    width, height, raw = read_rgb(path)
    if (width, height) != (w, h):
        print(f'{kind}: the picture is {width}x{height}, the mode {w}x{h}')
        return 1
    bad = []
    for x, y, want in samples:
        at = (y * width + x) * 3
        got = tuple(raw[at:at + 3])
        if any(abs(g - e) > TOLERANCE for g, e in zip(got, want)):
            bad.append(f'({x},{y}) is {got}, not {want}')
    print(f'{kind}: {len(samples) - len(bad)} of {len(samples)} samples match'
          + (': ' + '; '.join(bad[:3]) if bad else ''))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())

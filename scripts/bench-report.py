#!/usr/bin/env python3
"""Turn the benchmark's serial logs into results.csv, table.md and bench.png.

bench-report.py <xen.results> <native.results> <outdir>

The inputs are the boots' results channels (build/bench/*.results).  A report
needs the complete set: every path x size x phase x repeat that the log's
BENCH-CONFIG announces, and the BENCH-DONE end marker; anything less fails.

Each 'BENCH' line is one measured step (tests/bench/ttm-pool/test.sh); each
'BENCH-LAT' line one path's single-populate latencies for a buffer size, its
'BENCH-LAT-SHARED' line what those populates shared their time with: how
many ran alone, met an interrupt, refilled xen-swiotlb's pools themselves or
gave up the CPU (ttm_bench's 'lat' result).
Hypercall counts: the step's reading minus the median reading of the 'nop'
step (what xenperf itself costs), then the median over repeats (they are
deterministic but for that noise).  Times: median over repeats.
A 'cycle' is what one buffer generation costs from empty pools and back:
cold + release (+ shrink for ours, whose pools outlive the device's).
"""
import csv
import os
import statistics
import subprocess
import sys

COUNTERS = ["memory_op", "multicall", "mmu_update", "update_va_mapping",
            "mmuext_op", "calls_from_multicall", "page_updates"]
HYPERCALLS = COUNTERS[:5]
# Fewer samples than this have no 99th percentile of their own
MIN_P99_SAMPLES = 100
PATH_NAMES = {"mainline": "mainline (xen-swiotlb)", "ours": "ours (xen-swiotlb pools)",
              "native": "native TTM (no Xen)", "dma": "dma_alloc_attrs (Xen)",
              "native-dma": "dma_alloc_attrs (no Xen)"}


TTM_PHASES = ("cold", "free", "warm", "free2", "release")


def expected_steps(config, native):
    """{(path, size, phase): repeats} that a complete log holds"""
    repeats = int(config["repeats"])
    sizes = [int(x) for x in config["sizes"].split(",")]
    dma_sizes = [int(x) for x in config["dma_sizes"].split(",")]
    want = {("base", 0, "nop"): repeats}
    paths = {"native": TTM_PHASES} if native else {
        "mainline": TTM_PHASES, "ours": TTM_PHASES + ("shrink",)}
    for path, phases in paths.items():
        for size in sizes:
            for phase in phases:
                want[(path, size, phase)] = repeats
    for size in dma_sizes:
        for phase in ("cold", "release"):
            want[("native-dma" if native else "dma", size, phase)] = repeats
    return want


def expected_lat(config, native):
    """{(path, size)} whose latencies a complete log holds"""
    sizes = [int(x) for x in config.get("lat_sizes", "").split(",") if x]
    paths = ("native",) if native else ("mainline", "ours")
    return {(p, s) for p in paths for s in sizes}


def completeness_errors(path, steps, config, done, native, lat=None, shared=None):
    """What a log lacks to be a complete benchmark run"""
    if config is None:
        return [f"{path}: no BENCH-CONFIG line"]
    errors = [] if done else [f"{path}: no BENCH-DONE end marker (the run did not finish)"]
    for key in sorted(expected_lat(config, native) - set(lat or {})):
        errors.append(f"{path}: no latencies for {key[0]} {key[1]} KiB")
    if shared is not None:
        for key in sorted(expected_lat(config, native) - set(shared)):
            errors.append(f"{path}: no latency breakdown for {key[0]} {key[1]} KiB")
    for key, n in sorted(expected_steps(config, native).items()):
        got = len(steps.get(key, []))
        if got != n:
            errors.append(f"{path}: {' '.join(map(str, key))}: {got} of {n} repeats")
    return errors


def read_log(path, native):
    """{(path, size, phase): [(ns, counts or None), ...]}, total MiB, errors,
    {(path, size): (samples, p50, p99, max)},
    {(path, size): (alone, p50, p99, max, irq, p50, refill, p50, switched, p50)}"""
    steps, total, errors, config, done, lat, shared = {}, None, [], None, False, {}, {}
    with open(path, errors="replace") as log:
        for line in log:
            line = line.strip()
            if line.startswith("BENCH-CONFIG"):
                config = dict(f.split("=", 1) for f in line.split()[1:])
                total = int(config["total_mib"])
            elif line == "BENCH-DONE":
                done = True
            elif line.startswith("XTEST-FAIL"):
                errors.append(line)
            elif line.startswith("BENCH-LAT "):
                f = line.split()
                if len(f) != 7 or not all(x.isdigit() for x in f[3:]) or int(f[3]) == 0:
                    errors.append(f"{path}: latency line without figures: {line}")
                    continue
                lat[(f[1], int(f[2]))] = tuple(int(x) for x in f[3:])
            elif line.startswith("BENCH-LAT-SHARED "):
                f = line.split()
                if len(f) != 13 or not all(x.isdigit() for x in f[3:]):
                    errors.append(f"{path}: latency breakdown without figures: {line}")
                    continue
                shared[(f[1], int(f[2]))] = tuple(int(x) for x in f[3:])
            elif line.startswith("BENCH "):
                f = line.split()
                name = f[1]
                if native and name == "dma":
                    name = "native-dma"
                counts = None if f[7] == "-" else [int(x) for x in f[7:14]]
                issued = int(f[14]) if len(f) > 14 and f[14] != "-" else None
                steps.setdefault((name, int(f[2]), f[3]), []).append((int(f[5]), counts, issued))
    errors += completeness_errors(path, steps, config, done, native, lat, shared)
    return steps, total, errors, lat, shared


def summarize(steps):
    """{(path, size, phase): {'ns': median, 'counts': [...] or None, 'n': repeats}}"""
    base = steps.pop(("base", 0, "nop"), [])
    base_counts = None
    if base and base[0][1] is not None:
        base_counts = [statistics.median(c[i] for _, c, _ in base) for i in range(len(COUNTERS))]
    out = {}
    for key, runs in steps.items():
        counts = None
        if base_counts is not None and runs[0][1] is not None:
            counts = [max(0, statistics.median(c[i] for _, c, _ in runs) - base_counts[i])
                      for i in range(len(COUNTERS))]
        issued = None
        if runs[0][2] is not None:
            issued = statistics.median(i for _, _, i in runs)
        out[key] = {"ns": statistics.median(ns for ns, _, _ in runs), "counts": counts,
                    "issued": issued, "n": len(runs)}
    return out


def add_cycles(res):
    """cycle = cold + release (+ shrink), per path and size"""
    for (path, size, phase) in list(res):
        if phase != "cold":
            continue
        parts = [res[(path, size, p)] for p in ("cold", "release", "shrink")
                 if (path, size, p) in res]
        counts = None
        if all(p["counts"] is not None for p in parts):
            counts = [sum(p["counts"][i] for p in parts) for i in range(len(COUNTERS))]
        issued = None
        if all(p["issued"] is not None for p in parts):
            issued = sum(p["issued"] for p in parts)
        res[(path, size, "cycle")] = {"ns": sum(p["ns"] for p in parts), "counts": counts,
                                      "issued": issued, "n": min(p["n"] for p in parts)}


def per_mib(r, total):
    row = {"ms_per_mib": r["ns"] / 1e6 / total}
    if r["issued"] is not None:
        row["issued_per_mib"] = r["issued"] / total
    if r["counts"] is not None:
        c = dict(zip(COUNTERS, (x / total for x in r["counts"])))
        row.update(c)
        row["hypercalls_per_mib"] = sum(c[k] for k in HYPERCALLS)
        row["subops_per_mib"] = c["calls_from_multicall"] + c["page_updates"]
    return row


def fmt(x, digits=2):
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b


def times(x):
    """a ratio as '1.23x', '-' if there is none"""
    return "-" if x is None else f"{fmt(x)}x"


def size_name(kib):
    return f"{kib // 1024} MiB" if kib >= 1024 else f"{kib} KiB"


def main():
    xen_log, native_log, outdir = sys.argv[1:4]
    xen_steps, total, errors, lat, shared = read_log(xen_log, False)
    native_steps, ntotal, nerrors, nlat, nshared = read_log(native_log, True)
    lat.update(nlat)
    shared.update(nshared)
    if errors or nerrors:
        # an incomplete or failed run gives no table, only its errors
        with open(os.path.join(outdir, "table.md"), "w") as f:
            f.write("".join(f"ERROR: {e}\n" for e in errors + nerrors))
        for e in errors + nerrors:
            print(f"ERROR: {e}", file=sys.stderr)
        return 1
    res = summarize(xen_steps)
    res.update(summarize(native_steps))
    add_cycles(res)
    rows = {}
    for (path, size, phase), r in res.items():
        t = total if path in ("mainline", "ours", "dma") else ntotal
        rows[(path, size, phase)] = per_mib(r, t) | {"n": r["n"]}

    fields = ["path", "size_kib", "phase", "repeats", "ms_per_mib", "hypercalls_per_mib",
              "subops_per_mib"] + COUNTERS + ["issued_per_mib"]
    with open(os.path.join(outdir, "results.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(fields)
        for (path, size, phase) in sorted(rows):
            r = rows[(path, size, phase)]
            w.writerow([path, size, phase, r["n"]] +
                       [("%.4f" % r[k]) if k in r else "" for k in fields[4:]])

    get = lambda p, s, ph, k: rows.get((p, s, ph), {}).get(k)
    sizes = sorted({s for (p, s, ph) in rows if p == "ours"})
    lines = [f"Benchmark: {total} MiB of DMA32 TTM buffers per case, write-combined, "
             f"median of {rows.get(('ours', sizes[0], 'cold'), {}).get('n', '?')} repeats; "
             "hypercall counts per MiB from Xen's perf counters (xenperf: hc = memory_op + "
             "multicall + mmu_update + update_va_mapping + mmuext_op, each resumption of a "
             "preempted hypercall counted again; sub-ops = calls from multicall + page updates); "
             "'issued' = hypercalls the exchange code made (debugfs); "
             "times per MiB under QEMU TCG (absolute times mean little; ratios matter).", ""]
    lines += ["Cold cycle (empty pools: populate + give every frame back):", "",
              "| buffer | mainline hc/MiB | ours hc/MiB | mainline/ours | ours issued/MiB | mainline sub-ops/MiB | ours sub-ops/MiB | mainline ms/MiB | ours ms/MiB | native ms/MiB | mainline/ours time |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in sizes:
        mh, oh = get("mainline", s, "cycle", "hypercalls_per_mib"), get("ours", s, "cycle", "hypercalls_per_mib")
        mt, ot = get("mainline", s, "cycle", "ms_per_mib"), get("ours", s, "cycle", "ms_per_mib")
        lines.append(f"| {size_name(s)} | {fmt(mh)} | {fmt(oh)} | {fmt(ratio(mh, oh), 1)}x | "
                     f"{fmt(get('ours', s, 'cycle', 'issued_per_mib'))} | "
                     f"{fmt(get('mainline', s, 'cycle', 'subops_per_mib'))} | "
                     f"{fmt(get('ours', s, 'cycle', 'subops_per_mib'))} | {fmt(mt)} | {fmt(ot)} | "
                     f"{fmt(get('native', s, 'cycle', 'ms_per_mib'))} | {fmt(ratio(mt, ot), 1)}x |")
    lines += ["", "Warm (pool hits: repopulate after free):", "",
              "| buffer | mainline hc/MiB | ours hc/MiB | mainline ms/MiB | ours ms/MiB | native ms/MiB | ours/native time |",
              "|---|---|---|---|---|---|---|"]
    for s in sizes:
        ot, nt = get("ours", s, "warm", "ms_per_mib"), get("native", s, "warm", "ms_per_mib")
        lines.append(f"| {size_name(s)} | {fmt(get('mainline', s, 'warm', 'hypercalls_per_mib'))} | "
                     f"{fmt(get('ours', s, 'warm', 'hypercalls_per_mib'))} | "
                     f"{fmt(get('mainline', s, 'warm', 'ms_per_mib'))} | {fmt(ot)} | {fmt(nt)} | "
                     f"{fmt(ratio(ot, nt))}x |")
    lines += ["", "Phases (per MiB):", "",
              "| path | buffer | phase | hc/MiB | memory_op | multicall | mmu_update | update_va_mapping | mmuext_op | sub-ops/MiB | ms/MiB |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    order = {"cold": 0, "free": 1, "warm": 2, "free2": 3, "release": 4, "shrink": 5, "cycle": 6}
    for (p, s, ph) in sorted(rows, key=lambda k: (k[0], k[1], order.get(k[2], 9))):
        r = rows[(p, s, ph)]
        lines.append(f"| {p} | {size_name(s)} | {ph} | {fmt(r.get('hypercalls_per_mib'))} | "
                     + " | ".join(fmt(r.get(k)) for k in HYPERCALLS) +
                     f" | {fmt(r.get('subops_per_mib'))} | {fmt(r['ms_per_mib'])} |")
    lines += ["", "dma_alloc_attrs alone (one alloc + free cycle; the issue's mainline table):", "",
              "| chunk | hc/MiB | sub-ops/MiB | alloc ms/MiB (Xen) | alloc ms/MiB (no Xen) |",
              "|---|---|---|---|---|"]
    for s in sorted({s for (p, s, ph) in rows if p == "dma"}, reverse=True):
        lines.append(f"| {size_name(s)} | {fmt(get('dma', s, 'cycle', 'hypercalls_per_mib'))} | "
                     f"{fmt(get('dma', s, 'cycle', 'subops_per_mib'))} | "
                     f"{fmt(get('dma', s, 'cold', 'ms_per_mib'))} | "
                     f"{fmt(get('native-dma', s, 'cold', 'ms_per_mib'))} |")
    lines += latency_table(lat)
    lines += shared_table(lat, shared)
    with open(os.path.join(outdir, "table.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(outdir, "latency.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["path", "size_kib", "samples", "p50_ns", "p99_ns", "max_ns"])
        for key in sorted(lat):
            w.writerow(list(key) + list(lat[key]))

    plot(rows, sizes, outdir)
    return 0


def latency_table(lat):
    """Single-populate latencies, and the targets: ours' p99 within 2x and
    its maximum within 10x of mainline's median"""
    lines = ["", "Single populate (one buffer from empty pools, every repeat pooled), microseconds:", "",
             "| buffer | samples | mainline p50 / p99 / max | ours p50 / p99 / max | native p50 / p99 / max "
             "| ours p99 / mainline p50 | ours max / mainline p50 |",
             "|---|---|---|---|---|---|---|"]
    for s in sorted({s for (_, s) in lat}):
        m, o, n = (p99_known(lat.get((p, s))) for p in ("mainline", "ours", "native"))
        cell = lambda v: "-" if v is None else " / ".join("-" if x is None else us(x) for x in v[1:])
        lines.append(f"| {size_name(s)} | {o[0] if o else '-'} | {cell(m)} | {cell(o)} | {cell(n)} | "
                     f"{times(ratio(o and o[2], m and m[1]))} | {times(ratio(o and o[3], m and m[1]))} |")
    lines += ["", f"(a 99th percentile of fewer than {MIN_P99_SAMPLES} samples is the maximum "
              "or next to it: not given)"]
    return lines


def p99_known(v):
    """latencies (samples, p50, p99, max), p99 None if too few samples"""
    if v is None or v[0] >= MIN_P99_SAMPLES:
        return v
    return (v[0], v[1], None, v[3])


def us(ns):
    """Nanoseconds as microseconds, to the unit from 10 on"""
    return f"{ns / 1000:,.0f}" if ns >= 10000 else f"{ns / 1000:.1f}"


def shared_table(lat, shared):
    """What the single populates shared their time with: the tail's causes"""
    lines = ["", "What each single populate shared its time with (share of samples, median and "
             "99th percentile in microseconds):", "",
             "| buffer | path | alone | alone p50 / p99 | with an interrupt | its p50 "
             "| refilled the pool itself | its p50 | gave up the CPU | its p50 |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    share = lambda k, n: f"{100 * k / n:.2f}%"
    for (path, s) in sorted(shared, key=lambda k: (k[1], k[0])):
        n = lat.get((path, s), (0,))[0]
        a, ap50, ap99, _, i, ip50, r, rp50, w, wp50 = shared[(path, s)]
        if not n:
            continue
        lines.append(f"| {size_name(s)} | {path} | {share(a, n)} | {us(ap50)} / {us(ap99)} | "
                     f"{share(i, n)} | {us(ip50) if i else '-'} | {r} | {us(rp50) if r else '-'} | "
                     f"{w} | {us(wp50) if w else '-'} |")
    return lines


def plot(rows, sizes, outdir):
    dat = os.path.join(outdir, "plot.dat")
    with open(dat, "w") as f:
        f.write("# size_kib mainline_hc ours_hc mainline_ms ours_ms native_ms "
                "mainline_warm_ms ours_warm_ms native_warm_ms ours_issued\n")
        for s in sizes:
            vals = [rows.get((p, s, ph), {}).get(k) for p, ph, k in (
                ("mainline", "cycle", "hypercalls_per_mib"), ("ours", "cycle", "hypercalls_per_mib"),
                ("mainline", "cycle", "ms_per_mib"), ("ours", "cycle", "ms_per_mib"),
                ("native", "cycle", "ms_per_mib"), ("mainline", "warm", "ms_per_mib"),
                ("ours", "warm", "ms_per_mib"), ("native", "warm", "ms_per_mib"),
                ("ours", "cycle", "issued_per_mib"))]
            f.write(f"{s} " + " ".join("NaN" if v is None else f"{max(v, 1e-3):.4f}" for v in vals) + "\n")
    script = f"""
set terminal png size 1200,500
set output '{os.path.join(outdir, "bench.png")}'
set multiplot layout 1,2
set logscale xy
set xlabel 'buffer size (KiB)'
set grid
set key top right
set title 'hypercalls per MiB, cold cycle'
plot '{dat}' using 1:2 with linespoints title 'mainline (xen-swiotlb)', \
     '' using 1:3 with linespoints title 'ours (xen-swiotlb pools)', \
     '' using 1:10 with linespoints dt 2 title 'ours, issued by the guest'
set title 'ms per MiB (QEMU TCG)'
plot '{dat}' using 1:4 with linespoints title 'mainline, cold', \
     '' using 1:5 with linespoints title 'ours, cold', \
     '' using 1:6 with linespoints title 'native, cold', \
     '' using 1:7 with linespoints dt 2 title 'mainline, warm', \
     '' using 1:8 with linespoints dt 2 title 'ours, warm', \
     '' using 1:9 with linespoints dt 2 title 'native, warm'
unset multiplot
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


if __name__ == "__main__":
    sys.exit(main())

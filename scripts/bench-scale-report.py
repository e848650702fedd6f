#!/usr/bin/env python3
"""Turn the scale benchmark's results channel into scale.csv and scale.md.

bench-scale-report.py <scale.results> <outdir>

The input is tests/bench/ttm-scale's results (build/bench/scale.results).
A report needs the complete set that BENCH-SCALE-CONFIG announces (each dom0
path x buffer size x total x phase x repeat, each guest count x repeat with
a line per guest) and the BENCH-SCALE-DONE marker; anything less fails.

Figures are medians over repeats.  dom0: a 'cycle' is cold + release
(+ shrink for ours); hypercalls by Xen's count less the median 'nop'
reading per step, in all and (lines that carry it) per hypercall.
Guests: the slowest guest's own time, the guests' exchange hypercalls
(their own count), and Xen's count over the window less what the same
polling costs with the guests idle (its rate times the window); with lock
profiling (make bench-locks), Xen's locks over that window.  Growth: a
figure at k times the work (total size, or guests) over the figure at the
smallest of them; the target is at most 1.1 k.
"""
import csv
import os
import statistics
import sys

GROWTH_LIMIT = 1.1
# Xen's locks that a run with lock profiling reports per guests' window
LOCKS = ("heap_lock", "page_alloc_lock", "all")
DOM0_PHASES = {"mainline": ("cold", "release"), "ours": ("cold", "release", "shrink")}
# Xen's count per hypercall (and per multicall entry, per page update) that
# dom0's lines carry after their totals: which one a growth comes from
TYPES = ("memory_op", "multicall", "mmu_update", "update_va_mapping", "mmuext_op",
         "calls from multicall", "page updates")


def ints(fields):
    """the fields as integers, or None if any is not one"""
    return [int(x) for x in fields] if all(x.isdigit() for x in fields) else None


def read_log(path):
    """config, {(path, size, total, phase): [(ns, above, hc, issued, types)]},
    [(base hc, types)], {(n, rep): (wall, hc, idle_rate)}, {(n, rep): [(ms, issued)]},
    errors; types: Xen's count per TYPES, or None if the line has none"""
    config, done, errors = None, False, []
    dom0, base, windows, guests, locks = {}, [], {}, {}, {}
    with open(path, errors="replace") as log:
        for line in log:
            f = line.split()
            if not f:
                continue
            if f[0] == "BENCH-SCALE-CONFIG":
                config = dict(x.split("=", 1) for x in f[1:])
            elif f[0] == "BENCH-SCALE-DONE":
                done = True
            elif f[0].startswith("XTEST-FAIL"):
                errors.append(line.strip())
            elif f[0] == "BENCH-SCALE":
                if not read_line(f[1:], dom0, base, windows, guests, locks):
                    errors.append(f"{path}: a line without figures: {line.strip()}")
    errors += completeness_errors(path, config, done, dom0, base, windows, guests, locks)
    return config, dom0, base, windows, guests, locks, errors


def split_types(f):
    """a dom0 or base line's fields, and its per-hypercall counts (None if
    it has none: an older line, or a Xen without perf counters); None for
    the fields if malformed"""
    if len(f) == 10 or (len(f) == 10 + len(TYPES) and all(x == "-" for x in f[10:])):
        return f[:10], None
    if len(f) != 10 + len(TYPES):
        return None, None
    types = ints(f[10:])
    return (f[:10], types) if types is not None else (None, None)


def read_line(f, dom0, base, windows, guests, locks):
    """file one BENCH-SCALE line; False if malformed"""
    if f[0] in ("dom0", "base"):
        f, types = split_types(f)
        if f is None:
            return False
    if f[0] == "dom0":
        n = ints([f[2], f[3]] + f[5:])
        if n is None:
            return False
        dom0.setdefault((f[1], n[0], n[1], f[4]), []).append(tuple(n[3:]) + (types,))
    elif f[0] == "base":
        n = ints(f[8:9])
        if n is None:
            return False
        base.append((n[0], types))
    elif f[0] == "guests" and len(f) == 7:
        n = ints(f[1:])
        if n is None:
            return False
        windows[(n[0], n[2])] = (n[3], n[4], n[5])
    elif f[0] == "guest" and len(f) == 7:
        n = ints(f[1:])
        if n is None:
            return False
        guests.setdefault((n[0], n[3]), []).append((n[4], n[5]))
    elif f[0] == "locks" and len(f) == 8 and f[3] in LOCKS:
        n = ints(f[1:3] + f[4:])
        if n is None:
            return False
        locks[(n[0], n[1], f[3])] = tuple(n[2:])
    else:
        return False
    return True


def completeness_errors(path, config, done, dom0, base, windows, guests, locks=None):
    """what the log lacks to be a complete run"""
    if config is None:
        return [f"{path}: no BENCH-SCALE-CONFIG line"]
    errors = [] if done else [f"{path}: no BENCH-SCALE-DONE end marker (the run did not finish)"]
    reps = int(config["repeats"])
    if not base:
        errors.append(f"{path}: no nop readings")
    for p, phases in DOM0_PHASES.items():
        for size in listed(config, "sizes"):
            for total in listed(config, "totals"):
                for phase in phases:
                    got = len(dom0.get((p, size, total, phase), []))
                    if got != reps:
                        errors.append(f"{path}: dom0 {p} {size} KiB {total} MiB {phase}: {got} of {reps} repeats")
    for n in listed(config, "guests"):
        for rep in range(1, reps + 1):
            if (n, rep) not in windows:
                errors.append(f"{path}: {n} guests, repeat {rep}: no window")
            got = len(guests.get((n, rep), []))
            if got != n:
                errors.append(f"{path}: {n} guests, repeat {rep}: {got} of {n} guests reported")
            for name in LOCKS if locks else ():
                if (n, rep, name) not in locks:
                    errors.append(f"{path}: {n} guests, repeat {rep}: no lock profile of {name}")
    return errors


def listed(config, key):
    """a comma-separated list of the config as integers"""
    return [int(x) for x in config[key].split(",") if x]


def dom0_rows(config, dom0, base):
    """one row per path, size and total: median cycle ns, hc, issued, and
    Xen's count per hypercall if every reading has it"""
    nop = statistics.median(b[0] for b in base)
    nop_types = None
    if all(b[1] is not None for b in base):
        nop_types = [statistics.median(b[1][i] for b in base) for i in range(len(TYPES))]
    rows = []
    for p, phases in DOM0_PHASES.items():
        for size in listed(config, "sizes"):
            for total in listed(config, "totals"):
                steps = [dom0[(p, size, total, ph)] for ph in phases]
                cold = dom0[(p, size, total, "cold")]
                rows.append({
                    "path": p, "size_kib": size, "total_mib": total,
                    "cycle_ns": statistics.median(sum(s[r][0] for s in steps) for r in range(len(cold))),
                    "hc": statistics.median(sum(s[r][2] - nop for s in steps) for r in range(len(cold))),
                    "issued": statistics.median(sum(s[r][3] for s in steps) for r in range(len(cold))),
                    "types": cycle_types(steps, nop_types),
                })
    return rows


def cycle_types(steps, nop_types):
    """per TYPES, the median over repeats of a cycle's count less the
    readings' (one nop per step); None without them all"""
    if nop_types is None or any(rep[4] is None for s in steps for rep in s):
        return None
    return [statistics.median(sum(s[r][4][i] - nop_types[i] for s in steps) for r in range(len(steps[0])))
            for i in range(len(TYPES))]


def guest_rows(config, windows, guests):
    """one row per guest count: medians over repeats"""
    rows = []
    mib = int(config["guest_mib"])
    for n in listed(config, "guests"):
        reps = sorted(r for (k, r) in windows if k == n)
        rows.append({
            "guests": n, "mib": n * mib,
            "wall_ms": statistics.median(windows[(n, r)][0] for r in reps),
            "slowest_ms": statistics.median(max(g[0] for g in guests[(n, r)]) for r in reps),
            "issued": statistics.median(sum(g[1] for g in guests[(n, r)]) for r in reps),
            "hc_net": statistics.median(max(0, windows[(n, r)][1] - windows[(n, r)][2] * windows[(n, r)][0] / 1000)
                                        for r in reps),
        })
    return rows


def growth(base, row, work, keys):
    """{key: figure at k times the work / figure at the base}, k"""
    k = row[work] / base[work]
    return {key: (row[key] / base[key] if base[key] > 0 and row[key] > 0 else None)
            for key in keys}, k


def verdict(ratio, k):
    """a growth against its target; none when a figure is within the noise
    of the readings (Xen's count less theirs at or below zero)"""
    if ratio is None:
        return "below the readings' noise"
    return f"{ratio:.2f}x ({'met' if ratio <= GROWTH_LIMIT * k else 'missed'})"


def tables(drows, grows):
    """the markdown report"""
    out = ["Scale, dom0: cold populate + release of each total (median of the repeats); "
           "hc = Xen's count less the readings', issued = the exchange code's own:", "",
           "| path | buffer | total | cycle ms | ms/MiB | hc/MiB | issued/MiB | growth time | growth hc | growth issued |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for r in drows:
        base = min((b for b in drows if b["path"] == r["path"] and b["size_kib"] == r["size_kib"]),
                   key=lambda b: b["total_mib"])
        g, k = growth(base, r, "total_mib", ("cycle_ns", "hc", "issued"))
        out.append(f"| {r['path']} | {r['size_kib']} KiB | {r['total_mib']} MiB | {r['cycle_ns'] / 1e6:,.0f} | "
                   f"{r['cycle_ns'] / 1e6 / r['total_mib']:.2f} | {r['hc'] / r['total_mib']:,.2f} | "
                   f"{r['issued'] / r['total_mib']:.2f} | "
                   + (" | ".join(["-"] * 3) if r is base else
                      " | ".join(f"{k:.0f}x work: " + verdict(g[key], k)
                                 for key in ("cycle_ns", "hc", "issued"))) + " |")
    if all(r["types"] is not None for r in drows):
        out += ["", "Scale, dom0: Xen's count per hypercall, per MiB of the cycle, less the readings' "
                "(calls from multicall and page updates are entries of the hypercalls before them):", "",
                "| path | buffer | total | " + " | ".join(TYPES) + " |",
                "|---|---|---|" + "---|" * len(TYPES)]
        for r in drows:
            out.append(f"| {r['path']} | {r['size_kib']} KiB | {r['total_mib']} MiB | "
                       + " | ".join(f"{t / r['total_mib']:,.2f}" for t in r["types"]) + " |")
    out += ["", "Scale, guests populating at the same time (median of the repeats); slowest = the "
            "slowest guest's own time; issued = the guests' exchange hypercalls; hc net = Xen's count "
            "over the window less the same polling's with the guests idle:", "",
            "| guests | MiB in all | wall ms | slowest guest ms | issued/MiB | hc/MiB (net) | growth wall | growth slowest | growth issued | growth hc net |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    base = min(grows, key=lambda b: b["guests"])
    for r in grows:
        g, k = growth(base, r, "guests", ("wall_ms", "slowest_ms", "issued", "hc_net"))
        out.append(f"| {r['guests']} | {r['mib']} | {r['wall_ms']:,.0f} | {r['slowest_ms']:,.0f} | "
                   f"{r['issued'] / r['mib']:.2f} | {r['hc_net'] / r['mib']:,.1f} | "
                   + (" | ".join(["-"] * 4) if r is base else
                      " | ".join(f"{k:.0f}x work: " + verdict(g[key], k)
                                 for key in ("wall_ms", "slowest_ms", "issued", "hc_net"))) + " |")
    return "\n".join(out) + "\n"


def lock_table(config, windows, locks):
    """Xen's locks over each guests' window (medians of the repeats)"""
    out = ["", "Scale, guests: Xen's locks over the window (lock profiling; page_alloc_lock: every "
           "domain's together; blocked = waits for a lock another CPU held):", "",
           "| guests | wall ms | heap_lock taken | held ms | blocked | blocked ms | blocked ms per wall ms "
           "| page_alloc_lock blocked ms | all locks blocked ms |",
           "|---|---|---|---|---|---|---|---|---|"]
    for n in listed(config, "guests"):
        reps = sorted(r for (k, r) in windows if k == n)
        med = lambda name, i: statistics.median(locks[(n, r, name)][i] for r in reps)
        wall = statistics.median(windows[(n, r)][0] for r in reps)
        out.append(f"| {n} | {wall:,.0f} | {med('heap_lock', 0):,.0f} | {med('heap_lock', 1) / 1e6:,.1f} | "
                   f"{med('heap_lock', 2):,.0f} | {med('heap_lock', 3) / 1e6:,.1f} | "
                   f"{med('heap_lock', 3) / 1e6 / wall:.3f} | {med('page_alloc_lock', 3) / 1e6:,.1f} | "
                   f"{med('all', 3) / 1e6:,.1f} |")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    results, outdir = sys.argv[1:3]
    config, dom0, base, windows, guests, locks, errors = read_log(results)
    if errors:
        for e in errors:
            print(f"bench-scale-report: {e}", file=sys.stderr)
        print("bench-scale-report: incomplete scale run, no report", file=sys.stderr)
        return 1
    drows = dom0_rows(config, dom0, base)
    grows = guest_rows(config, windows, guests)
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "scale.csv"), "w", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["kind", "path_or_guests", "size_kib", "total_mib", "cycle_ms", "hc", "issued"])
        for r in drows:
            w.writerow(["dom0", r["path"], r["size_kib"], r["total_mib"], f"{r['cycle_ns'] / 1e6:.1f}",
                        f"{r['hc']:.0f}", f"{r['issued']:.0f}"])
        for r in grows:
            w.writerow(["guests", r["guests"], 1024, r["mib"], f"{r['slowest_ms']:.0f}",
                        f"{r['hc_net']:.0f}", f"{r['issued']:.0f}"])
    text = tables(drows, grows)
    if locks:
        text += lock_table(config, windows, locks)
    with open(os.path.join(outdir, "scale.md"), "w") as out:
        out.write(text)
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())

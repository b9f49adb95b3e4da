#!/usr/bin/env python3
"""tests/bench/compare.py - two runs of tests/bench/run side by side.

  compare.py SMALL.txt BIG.txt [--limit 1.5]

Reads two reports (tests/artifacts/bench-RUNID.txt), typically the shared
20,000-video dataset and BENCH_SCALE=1000000, and prints for every point
both have: p50 and p99 (wrk, ms) in each and BIG / SMALL; then for every
statement of the per-statement table the median PostgreSQL execution time
(EXPLAIN ANALYZE, ms), the shared buffers touched and the ratio.  A ratio
above --limit (issue 8: 1.5) is marked "over".  Reference points (static, static-end,
blob) and the micro-cache ("cached:") are left out: they do not touch the
catalog; nor are the writes phase's points (alone:, viewers:).  Standard
library only.
"""

import argparse
import re
import sys


def read(path):
    points, stmts, meta = {}, [], {}
    section = None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"Marquee benchmark, run (\S+)", line)
            if m:
                meta["run"] = m.group(1)
            m = re.match(r"machine: .*load average (.*)", line)
            if m:
                meta["load"] = m.group(1)
            m = re.match(r"data: (\d+) videos", line)
            if m:
                meta["videos"] = int(m.group(1))
            if line.startswith("point ") and "req/s" in line:
                section = "points"
                continue
            if line.startswith("point ") and "statement" in line:
                section = "stmts"
                continue
            if not line.strip() or line.startswith(("PostgreSQL time", "Writes:", "RSS growth")):
                section = None
                continue
            f_ = line.split()
            if section == "points" and len(f_) >= 5 and not f_[1].startswith("not"):
                points[f_[0]] = (float(f_[3]), float(f_[4]))
            elif section == "stmts" and len(f_) >= 7:
                stmts.append((f_[0], f_[1], float(f_[2]), int(f_[5]) + int(f_[6])))
    return points, stmts, meta


def ratio(a, b):
    return b / a if a > 0 else float("inf")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("small")
    ap.add_argument("big")
    ap.add_argument("--limit", type=float, default=1.5)
    args = ap.parse_args()
    sp, ss, sm = read(args.small)
    bp, bs, bm = read(args.big)

    def mark(r):
        return " over" if r > args.limit else ""

    a = f"{sm.get('videos', '?')}"
    b = f"{bm.get('videos', '?')}"
    print(f"runs: {sm.get('run')} ({a} videos, load average {sm.get('load')}) and "
          f"{bm.get('run')} ({b} videos, load average {bm.get('load')})")
    print()
    print(f"{'page':<18} {'p50 ' + a:>12} {'p99 ' + a:>12} {'p50 ' + b:>12} {'p99 ' + b:>12}"
          f" {'x p50':>7} {'x p99':>7}")
    for name, (s50, s99) in sp.items():
        if name in ("static", "static-end", "blob") or ":" in name or name not in bp:
            continue
        b50, b99 = bp[name]
        r50, r99 = ratio(s50, b50), ratio(s99, b99)
        print(f"{name:<18} {s50:12.2f} {s99:12.2f} {b50:12.2f} {b99:12.2f}"
              f" {r50:7.2f} {r99:7.2f}{mark(max(r50, r99))}")
    if ss and bs:
        print()
        print(f"{'page':<18} {'statement':<20} {'ms ' + a:>11} {'ms ' + b:>11} {'ratio':>7}"
              f" {'buf ' + a:>11} {'buf ' + b:>11}")
        big = {(p, s): (ms, buf) for p, s, ms, buf in bs}
        for p, s, ms, buf in ss:
            if (p, s) not in big:
                continue
            bms, bbuf = big[(p, s)]
            r = ratio(ms, bms)
            print(f"{p:<18} {s:<20} {ms:11.3f} {bms:11.3f} {r:7.2f} {buf:11d} {bbuf:11d}{mark(r)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

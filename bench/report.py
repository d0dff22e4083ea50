"""Turns bench/run.sh's raw measurements into the results page (Markdown on stdout).

Usage: report.py RAW.tsv STARTED ROUNDS DURATION QUICK
RAW.tsv lines: scenario, round, side (A baseline / B Sharpbase), req/s, p50 ms, p99 ms, peak RSS MiB, CPU %, errors.
"""
import os
import statistics
import sys

# Sharpbase's req/s as a share of the baseline's (median of the per-round ratios); None: no target.
TARGETS = {
    "get": 0.85,
    "list": 0.75,
    "filtered-10k": 0.75,
    "filtered-1m": 0.75,
    "owner-get": 0.70,
    "create": 0.70,
    "revalidate": None,
    "graphql": None,
}
P99_MAX = 2.0
RSS_MAX = 1.3

DESCRIPTIONS = {
    "get": "GET one public post by id (anonymous)",
    "list": "GET 20 posts sorted by -published_at (anonymous)",
    "filtered-10k": "GET 20 posts filtered on an indexed field (views = 42), 10,000 posts",
    "filtered-1m": "GET 20 posts filtered on an indexed field (views = 42), 1,000,000 posts",
    "owner-get": "GET a draft by id with a bearer token; the owner rule lets only its author see it",
    "create": "POST a new post with a bearer token (one fsync per commit: synchronous=FULL)",
    "revalidate": "GET the sorted list with If-None-Match: its ETag (304)",
    "graphql": "POST /graphql: 20 posts with their author and tags",
}


def cpu_per_request(side):
    """The server's CPU time per request served, in µs (its CPU % over the run, one core = 100)."""
    return side["cpu"] / 100 / side["rps"] * 1e6 if side["rps"] else float("nan")


def main():
    raw, started, rounds, duration, quick = sys.argv[1:6]
    rows = [line.rstrip("\n").split("\t") for line in open(raw, encoding="utf-8") if line.strip()]
    data = {}
    order = []
    for name, rnd, side, rps, p50, p99, rss, cpu, *errors in rows:
        if name not in data:
            data[name] = {}
            order.append(name)
        data[name].setdefault(int(rnd), {})[side] = {
            "rps": float(rps), "p50": float(p50), "p99": float(p99), "rss": float(rss), "cpu": float(cpu),
            "errors": errors[0] if errors else "",
        }

    out = []
    out.append(f"# Benchmark: Sharpbase (B) against the raw ASP.NET Core baseline (A){' — quick run' if quick == 'true' else ''}")
    out.append("")
    out.append(f"`bench/run.sh{' --quick' if quick == 'true' else ''}`, started {started}; {rounds} rounds interleaved A B per scenario, "
               f"`wrk -t2 -c32 -d{duration}s` after a warm-up, each scenario first loaded once unmeasured (round 0); {os.cpu_count()} cores.")
    out.append("")
    out.append(f"B is {os.environ.get('SHARPBASE_BENCH_KIND', 'Sharpbase')}; A is the baseline's dll on the JIT (`dotnet baseline.dll`).")
    out.append("")
    out.append("Absolute figures move between runs (wrk, the database and both servers share the machine's cores);")
    out.append("the per-round ratios B/A, measured seconds apart under the same conditions, are the figures that count.")
    out.append("RSS is the server's peak resident memory while loaded, CPU its CPU time over the run (100% = one core);")
    out.append("CPU per request is that time divided by the requests served (median of the rounds): the server's own cost,")
    out.append("which moves less with the machine's load than req/s does (no target: an aid to reading the ratios).")
    out.append("")
    out.append("## Summary")
    out.append("")
    out.append("| scenario | A req/s | B req/s | median B/A req/s | target | p99 A | p99 B | median B/A p99 (≤ 2) | RSS A | RSS B | B/A RSS (≤ 1.3) | CPU/request A | CPU/request B | result |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    verdicts = []
    for name in order:
        rounds_ = [r for r in sorted(data[name]) if "A" in data[name][r] and "B" in data[name][r]]
        if not rounds_:
            continue
        a = [data[name][r]["A"] for r in rounds_]
        b = [data[name][r]["B"] for r in rounds_]
        ratio = statistics.median(y["rps"] / x["rps"] for x, y in zip(a, b))
        p99 = statistics.median(y["p99"] / x["p99"] for x, y in zip(a, b))
        rss_a = max(x["rss"] for x in a)
        rss_b = max(y["rss"] for y in b)
        rss = rss_b / rss_a
        cpu_a = statistics.median(cpu_per_request(x) for x in a)
        cpu_b = statistics.median(cpu_per_request(y) for y in b)
        target = TARGETS.get(name)
        failed = []
        if target is not None and ratio < target:
            failed.append("req/s")
        if p99 > P99_MAX:
            failed.append("p99")
        if rss > RSS_MAX:
            failed.append("RSS")
        verdict = "pass" if not failed else "FAIL (" + ", ".join(failed) + ")"
        verdicts.append(not failed)
        out.append(f"| {name} | {statistics.median(x['rps'] for x in a):,.0f} | {statistics.median(y['rps'] for y in b):,.0f} | **{ratio:.2f}** | "
                   f"{'≥ %.2f' % target if target is not None else '—'} | {statistics.median(x['p99'] for x in a):.2f} ms | "
                   f"{statistics.median(y['p99'] for y in b):.2f} ms | {p99:.2f} | {rss_a:.0f} MiB | {rss_b:.0f} MiB | {rss:.2f} | {cpu_a:.0f} µs | {cpu_b:.0f} µs | {verdict} |")
    out.append("")
    out.append(f"{sum(verdicts)} of {len(verdicts)} scenarios meet every target.")
    out.append("")
    out.append("## Scenarios")
    out.append("")
    for name in order:
        out.append(f"- `{name}`: {DESCRIPTIONS.get(name, name)}.")
    out.append("")
    out.append("Both servers run side by side on the same SQLite file (WAL, synchronous=FULL), each loaded in turn.")
    out.append("The baseline (`bench/Baseline`) runs the statements Sharpbase runs, writes the same JSON with `Utf8JsonWriter`,")
    out.append("validates the same tokens with the same keys and parameters, and nothing more: no request log, metrics,")
    out.append("rate limiter, security headers or problem details. Its list ETag is a hash of the page (it has no change")
    out.append("counter), so its revalidation runs the query; Sharpbase answers 304 without it.")
    out.append("")
    out.append("## Every round")
    out.append("")
    out.append("| scenario | round | A req/s | A p50 | A p99 | A RSS | A CPU | B req/s | B p50 | B p99 | B RSS | B CPU | B/A req/s | errors |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name in order:
        for r in sorted(data[name]):
            a = data[name][r].get("A")
            b = data[name][r].get("B")
            if not a or not b:
                continue
            errors = "; ".join(e for e in (("A: " + a["errors"]) if a["errors"] else "", ("B: " + b["errors"]) if b["errors"] else "") if e)
            out.append(f"| {name} | {r} | {a['rps']:,.0f} | {a['p50']:.2f} ms | {a['p99']:.2f} ms | {a['rss']:.0f} MiB | {a['cpu']:.0f}% | "
                       f"{b['rps']:,.0f} | {b['p50']:.2f} ms | {b['p99']:.2f} ms | {b['rss']:.0f} MiB | {b['cpu']:.0f}% | {b['rps'] / a['rps']:.2f} | {errors} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()

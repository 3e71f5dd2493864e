#!/usr/bin/env python3
"""Turns the raw outputs of bench/run into the results table of bench/README.md.

Reads RESULTS/{startup-*.txt, query-*.json, h2load-*.log, bodies.txt,
server-rss.txt, startup-compiled.txt}; replaces the text between the
`<!-- results:begin -->` and `<!-- results:end -->` markers of the README;
prints the same text. First comes one table with every issue-8 target, each
row with its measured value and met/missed, or "not measured" when its input
is absent from RESULTS (never a made-up number); then the detailed tables.

  bench/report.py --results=DIR --readme=bench/README.md [--before=DIR]

--before names the results of an earlier run (only its query-*.json are
read), whose medians are shown next to this run's, per shape.
"""
import argparse
import glob
import json
import os
import platform
import re
import statistics
import subprocess

SHAPES = [
    ("party_kind_newest", "one party + one kind, page of 50, newest first"),
    ("two_parties_area", "two parties + one cooperation area, page of 50"),
    ("area_date_range", "one area + a two-year date range, page of 50"),
    ("filtered_count", "filtered count (one party, signed since 2015)"),
    ("deep_page_100", "page 100 of the first shape (resume cursor; SQLite: keyset)"),
]
GROWTH = ["party_kind_newest", "two_parties_area", "area_date_range", "filtered_count"]


def kv(path):
    with open(path) as f:
        return dict(re.findall(r"(\w+)=([\w./-]+)", f.read()))


def p50s(path):
    with open(path) as f:
        data = json.load(f)
    out = {}
    for b in data["benchmarks"]:
        if "p50_us" in b:
            out[b["name"]] = (b["p50_us"], b.get("p99_us"))
    return out, data.get("context", {})


def h2load(path_log, path_txt):
    lat = []
    with open(path_log) as f:
        for line in f:
            parts = line.split("\t")
            if len(parts) >= 3 and parts[1] == "200":
                lat.append(int(parts[2]) / 1000.0)
    with open(path_txt) as f:
        txt = f.read()
    rps = float(re.search(r"([\d.]+) req/s", txt).group(1))
    ok = re.search(r"(\d+) succeeded, (\d+) failed, (\d+) errored", txt)
    lat.sort()
    pct = lambda q: lat[min(len(lat) - 1, int(len(lat) * q))] if lat else float("nan")
    return {"rps": rps, "p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99),
            "succeeded": int(ok.group(1)), "failed": int(ok.group(2)) + int(ok.group(3))}


def maybe(fn, path):
    """fn(path), or None when the file is missing."""
    return fn(path) if os.path.exists(path) else None


def mean_ratio(runs, rpc, a, b):
    """Mean req/s of target a over that of target b, over the rounds that ran."""
    xa = [v["rps"] for (r, t, _), v in sorted(runs.items()) if (r, t) == (rpc, a)]
    xb = [v["rps"] for (r, t, _), v in sorted(runs.items()) if (r, t) == (rpc, b)]
    if not xa or not xb:
        return None
    return statistics.mean(xa) / statistics.mean(xb)


def machine():
    cpu = "unknown CPU"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        m = re.search(r"Model name:\s*(.+)", out)
        cpu = m.group(1).strip() if m else cpu
    except OSError:
        pass
    mem = ""
    with open("/proc/meminfo") as f:
        m = re.search(r"MemTotal:\s+(\d+)", f.read())
        mem = f"{int(m.group(1)) / 1048576:.0f} GiB RAM" if m else ""
    load = os.getloadavg()[0]
    return (f"{cpu}, {os.cpu_count()} cores, {mem}, Linux {platform.release()}; "
            f"load average {load:.1f} when the report was written (the machine was shared)")


def verdict(ok):
    return "**met**" if ok else "**missed**"


NM = "not measured"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--readme", required=True)
    ap.add_argument("--before", help="results of an earlier run, shown per shape")
    args = ap.parse_args()
    r = args.results
    lines = []
    add = lines.append

    # Inputs: each None or empty when that part of bench/run did not run.
    def queries(d):
        out = {}
        for n in (10000, 100000, 1000000):
            got = maybe(lambda p: p50s(p)[0], os.path.join(d, f"query-{n}.json"))
            if got:
                out[n] = got
        return out

    sizes = queries(r)
    before = queries(args.before) if args.before else {}
    big = sizes.get(1000000, {})
    parse = maybe(kv, os.path.join(r, "startup-parse.txt"))
    load = maybe(kv, os.path.join(r, "startup-load.txt"))
    server_rss = maybe(kv, os.path.join(r, "server-rss.txt"))
    compiled = maybe(kv, os.path.join(r, "startup-compiled.txt"))
    # Measured rounds 1, 2, ... (round 0 is the unreported warm-up).
    runs = {}
    for rpc in ("GetAgreement", "GetNoReflect", "ListAgreements", "ListPage2", "GetArt"):
        for target in ("accord", "empty", "same"):
            rnd = 1
            while True:
                log = os.path.join(r, f"h2load-{rpc}-{target}-{rnd}.log")
                txt = os.path.join(r, f"h2load-{rpc}-{target}-{rnd}.txt")
                if not (os.path.exists(txt) and os.path.exists(log)):
                    break
                runs[(rpc, target, rnd)] = h2load(log, txt)
                rnd += 1
    rounds = max((k[2] for k in runs), default=0)

    add(f"Machine: {machine()}.")
    add("")

    # Every issue-8 target, one row each.
    add("### Issue 8 targets")
    add("")
    add("| measure | target | measured | verdict |")
    add("|---|---|---|---|")

    def floor_row(label, rpc, target):
        x = mean_ratio(runs, rpc, "accord", "same")
        if x is None:
            add(f"| {label} | ≥{target}× | {NM} | – |")
        else:
            add(f"| {label} | ≥{target}× | {x:.2f}× (req/s, mean of {rounds} rounds after a warm-up, A B, B A, …) | {verdict(x >= target)} |")

    floor_row("GetAgreement of the ART vs a callback handler sending a reply of the same size", "GetArt", 0.9)
    floor_row("GetAgreement of a typical 1M-catalogue record vs the same-size floor", "GetAgreement", 0.9)
    floor_row("ListAgreements, page of 10 with a read_mask, vs the same-size floor", "ListAgreements", 0.5)
    x = mean_ratio(runs, "GetNoReflect", "accord", "same")
    if x is not None:
        add(f"| (not a target: the same 1M Get against the same server started with "
            f"`--reflection=false`, a control: reflection, on by default, should cost a Get nothing) | – | {x:.2f}× | – |")
    x = mean_ratio(runs, "ListPage2", "accord", "same")
    if x is not None:
        add(f"| (not a target: the same List's second page, which the engine answers on every call; "
            f"the row above repeats a first page, kept with its cached query) | – | {x:.2f}× | – |")
    shape_ratios = []
    for key, _ in SHAPES:
        a, q = big.get(f"accord/{key}"), big.get(f"sqlite/{key}")
        if a and q and a[0] > 0:
            shape_ratios.append((q[0] / a[0], key))
    label = "every filtered shape in bench/shapes.h vs SQLite's best covering index, 1M"
    if shape_ratios:
        worst = min(shape_ratios)
        met = sum(1 for x, _ in shape_ratios if x >= 20)
        add(f"| {label} | ≥20× | {met} of {len(shape_ratios)} shapes ≥20×; lowest {worst[0]:.1f}× "
            f"({worst[1]}) | {verdict(met == len(shape_ratios))} |")
    else:
        add(f"| {label} | ≥20× | {NM} | – |")
    label = "selective shapes, 10k → 1M agreements (median per call)"
    if len(sizes) == 3:
        growth = []
        for key in GROWTH:
            lo, hi = sizes[10000].get(f"accord/{key}"), sizes[1000000].get(f"accord/{key}")
            if lo and hi and lo[0] > 0:
                growth.append((hi[0] / lo[0], key))
        worst = max(growth)
        met = sum(1 for x, _ in growth if x <= 3)
        add(f"| {label} | ≤3× | {met} of {len(growth)} shapes ≤3×; highest {worst[0]:.1f}× "
            f"({worst[1]}) | {verdict(met == len(growth))} |")
    else:
        add(f"| {label} | ≤3× | {NM} | – |")
    label = "peak RSS serving 1M agreements"
    if server_rss and load:
        mb, file_mb = float(server_rss["peak_rss_mb"]), float(load["file_mb"])
        # The server maps the compiled file (bench/run step 7); the load
        # from sources is shown beside it, not judged by this row.
        sources = float(load["peak_rss_mb"])
        add(f"| {label} (accord_server from the compiled file, its VmHWM after the h2load runs) | "
            f"≤1.5× the serialized catalogue | "
            f"{mb:.0f} MB = {mb / file_mb:.2f}× {file_mb:.0f} MB (a load from sources peaks at "
            f"{sources:.0f} MB = {sources / file_mb:.1f}×) | {verdict(mb / file_mb <= 1.5)} |")
    else:
        add(f"| {label} | ≤1.5× the serialized catalogue | {NM} | – |")
    # The compiled catalogue (accord_catalog compile, --catalog=file.accord)
    # is measured by the bench/startup_compiled hook of bench/run, when
    # present: RESULTS/startup-compiled.txt with seconds= and peak_rss_mb=.
    label = "start-up from a compiled catalogue, 1M agreements"
    if compiled and parse:
        cs, ps = float(compiled["seconds"]), float(parse["seconds"])
        median_of = (f"; median of {compiled['runs'].replace('/', ' / ')} s, warm"
                if "runs" in compiled else "")
        add(f"| {label} | ≤1 s and ≤0.1× the plain parse | {cs:.2f} s = {cs / ps:.2f}× the parse "
            f"({ps:.1f} s){median_of} | {verdict(cs <= 1 and cs / ps <= 0.1)} |")
    else:
        add(f"| {label} | ≤1 s and ≤0.1× the plain parse | {NM} | – |")
    label = "load from sources, 1M agreements"
    if load and parse:
        ls, ps = float(load["seconds"]), float(parse["seconds"])
        add(f"| {label} | ≤2× the plain parse | {ls:.1f} s = {ls / ps:.1f}× the parse ({ps:.1f} s) | "
            f"{verdict(ls / ps <= 2)} |")
    else:
        add(f"| {label} | ≤2× the plain parse | {NM} | – |")
    add("")

    # In process.
    if big:
        b1m = before.get(1000000, {})
        add("### In process, 1M agreements: Accord's engine vs SQLite (median per call)")
        add("")
        add("Both answer the same questions over the same generated data, and were checked to return")
        add("identical pages and counts before timing. Every List call includes parsing the filter")
        add("(Accord) and returns the page and the total count (SQLite: the page query plus a")
        add("`count(*)`, on prepared statements).")
        if b1m:
            add("\"before\" is the Accord side of an earlier run (`--before`), with its own SQLite ratio.")
        add("")
        extra = " before p50 | before ratio |" if b1m else ""
        add(f"| shape | Accord p50 | SQLite p50 | SQLite / Accord | target ≥20× |{extra}")
        add("|---|---:|---:|---:|---|" + ("---:|---:|" if b1m else ""))
        for key, label in SHAPES:
            a, q = big.get(f"accord/{key}"), big.get(f"sqlite/{key}")
            if not a or not q:
                continue
            ratio = q[0] / a[0] if a[0] > 0 else float("inf")
            row = f"| {label} | {a[0]:.1f} µs | {q[0]:.1f} µs | {ratio:.1f}× | {verdict(ratio >= 20)} |"
            if b1m:
                ba, bq = b1m.get(f"accord/{key}"), b1m.get(f"sqlite/{key}")
                row += f" {ba[0]:.1f} µs |" if ba else " – |"
                row += f" {bq[0] / ba[0]:.1f}× |" if ba and bq and ba[0] > 0 else " – |"
            add(row)
        g, c = big.get("accord/get_by_name"), big.get("accord/compile_only")
        pad = " – | – |" if b1m else ""
        if g:
            add(f"| Get by name (in process, incl. copying the record) | {g[0]:.2f} µs | – | – | – |{pad}")
        if c:
            add(f"| (parsing + checking filter and order_by alone) | {c[0]:.2f} µs | – | – | – |{pad}")
        add("")

    # Growth.
    if len(sizes) == 3:
        add("### Growth: selective shapes, median per call")
        add("")
        full_before = len(before) == 3
        extra = " before 1M / 10k |" if full_before else ""
        add(f"| shape | 10k | 100k | 1M | 1M / 10k | target ≤3× |{extra}")
        add("|---|---:|---:|---:|---:|---|" + ("---:|" if full_before else ""))
        for key in GROWTH:
            v = [sizes[n].get(f"accord/{key}", (float("nan"),))[0] for n in (10000, 100000, 1000000)]
            ratio = v[2] / v[0] if v[0] else float("nan")
            row = (f"| {key} | {v[0]:.1f} µs | {v[1]:.1f} µs | {v[2]:.1f} µs | {ratio:.1f}× | "
                   f"{verdict(ratio <= 3)} |")
            if full_before:
                b = [before[n].get(f"accord/{key}", (float("nan"),))[0] for n in (10000, 1000000)]
                row += f" {b[1] / b[0]:.1f}× ({b[0]:.1f} → {b[1]:.1f} µs) |"
            add(row)
        add("")

    # Start-up.
    if parse and load:
        ps, ls = float(parse["seconds"]), float(load["seconds"])
        file_mb = float(load["file_mb"])
        rss = float(load["peak_rss_mb"])
        add("### Start-up, 1M agreements")
        add("")
        add("| measure | value | target |")
        add("|---|---:|---|")
        add(f"| serialized catalogue (binary protobuf, {load['agreements']} agreements + commitments) | {file_mb:.0f} MB | – |")
        add(f"| plain protobuf parse of the same files | {ps:.1f} s (peak RSS {float(parse['peak_rss_mb']):.0f} MB) | – |")
        add(f"| load = read + parse ({float(load['read_parse_seconds']):.1f} s) + validate, derive, sort and index ({float(load['validate_derive_index_seconds']):.1f} s) | {ls:.1f} s | – |")
        add(f"| load / parse | {ls / ps:.1f}× | ≤2×: {verdict(ls / ps <= 2)} |")
        add(f"| peak RSS of the load (in process) | {rss:.0f} MB = {rss / file_mb:.1f}× the file | – |")
        add(f"| of which indexes (value indexes + sorted columns built at load) | {float(load['index_mb']):.0f} MB | – |")
        if compiled:
            add(f"| start-up from the compiled catalogue | {float(compiled['seconds']):.2f} s (peak RSS {float(compiled.get('peak_rss_mb', 'nan')):.0f} MB) | ≤1 s |")
        else:
            add(f"| start-up from the compiled catalogue | {NM} | ≤1 s |")
        add("")

    # End to end.
    if runs:
        add(f"### End to end over loopback: h2load, {rounds} rounds after a warm-up, alternating")
        add("")
        add("`h2load --warm-up-time=2 -c 8 -m 16 -t 1` with gRPC-framed bodies; accord = accord_server")
        add("(on the 1M catalogue; for GetArt, on the bundled catalogue), empty = the empty-handler")
        add("callback server (same gRPC, same service definition, handlers finish at once with an")
        add("empty response), same = that server replying with a message of the measured reply's")
        add("size (the same-size floor). Latencies from h2load's per-request log. The servers and")
        add("h2load share the 2 cores. Each server first takes an unreported warm-up run; odd")
        add("rounds run accord first, even rounds the floor first.")
        add("")
        add("| RPC | server | round | req/s | p50 | p90 | p99 | failed | accord / same-size floor |")
        add("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for rpc in ("GetAgreement", "GetNoReflect", "ListAgreements", "ListPage2", "GetArt"):
            for rnd in range(1, rounds + 1):
                floor = runs.get((rpc, "same", rnd))
                for target in ("accord", "empty", "same"):
                    x = runs.get((rpc, target, rnd))
                    if not x:
                        continue
                    ratio = f"{x['rps'] / floor['rps']:.2f}×" if (target == "accord" and floor) else ""
                    add(f"| {rpc} | {target} | {rnd} | {x['rps']:.0f} | {x['p50']:.2f} ms | {x['p90']:.2f} ms | {x['p99']:.2f} ms | {x['failed']} | {ratio} |")
        bodies = os.path.join(r, "bodies.txt")
        if os.path.exists(bodies):
            with open(bodies) as f:
                name = (f.read().strip().splitlines() or [""])[-1]
            add("")
            add(f"GetAgreement asks for `{name}` (a full record); GetArt for the ART in the bundled")
            add("catalogue; the List is two parties and one area, `page_size` 10, `read_mask`")
            add("name,title,sign_date; ListPage2 is its second page (with the first page's")
            add("`page_token`), which the engine answers on every call, while the repeated first")
            add("page is answered from the first pages kept with its cached query.")
            add("GetNoReflect is the same Get against a second 1M server started with")
            add("`--reflection=false` (reflection is on by default unless tokens are required).")
        add("")

    table = "\n".join(lines)
    print(table)
    with open(args.readme) as f:
        readme = f.read()
    begin, end = "<!-- results:begin -->", "<!-- results:end -->"
    if begin in readme and end in readme:
        head, rest = readme.split(begin, 1)
        _, tail = rest.split(end, 1)
        readme = f"{head}{begin}\n{table}\n{end}{tail}"
    else:
        readme += f"\n{begin}\n{table}\n{end}\n"
    with open(args.readme, "w") as f:
        f.write(readme)


if __name__ == "__main__":
    main()

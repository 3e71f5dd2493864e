#!/usr/bin/env python3
"""Turns the raw outputs of bench/run into the results table of bench/README.md.

Reads RESULTS/{startup-*.txt, query-*.json, h2load-*.log, bodies.txt};
replaces the text between the `<!-- results:begin -->` and
`<!-- results:end -->` markers of the README; prints the same table.
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--readme", required=True)
    args = ap.parse_args()
    r = args.results
    lines = []
    add = lines.append

    add(f"Machine: {machine()}.")
    add("")

    # In process.
    big, ctx = p50s(os.path.join(r, "query-1000000.json"))
    add("### In process, 1M agreements: Accord's engine vs SQLite (median per call)")
    add("")
    add("Both answer the same questions over the same generated data, and were checked to return")
    add("identical pages and counts before timing. Every List call includes parsing the filter")
    add("(Accord) and returns the page and the total count (SQLite: the page query plus a")
    add("`count(*)`, on prepared statements).")
    add("")
    add("| shape | Accord p50 | SQLite p50 | SQLite / Accord | target ≥20× |")
    add("|---|---:|---:|---:|---|")
    for key, label in SHAPES:
        a = big.get(f"accord/{key}")
        s = big.get(f"sqlite/{key}")
        if not a or not s:
            continue
        ratio = s[0] / a[0] if a[0] > 0 else float("inf")
        add(f"| {label} | {a[0]:.1f} µs | {s[0]:.1f} µs | {ratio:.1f}× | {verdict(ratio >= 20)} |")
    g = big.get("accord/get_by_name")
    c = big.get("accord/compile_only")
    if g:
        add(f"| Get by name (in process, incl. copying the record) | {g[0]:.2f} µs | – | – | – |")
    if c:
        add(f"| (parsing + checking filter and order_by alone) | {c[0]:.2f} µs | – | – | – |")
    add("")

    # Growth.
    sizes = {}
    for n in (10000, 100000, 1000000):
        path = os.path.join(r, f"query-{n}.json")
        if os.path.exists(path):
            sizes[n] = p50s(path)[0]
    if len(sizes) == 3:
        add("### Growth: selective shapes, median per call")
        add("")
        add("| shape | 10k | 100k | 1M | 1M / 10k | target ≤3× |")
        add("|---|---:|---:|---:|---:|---|")
        for key in GROWTH:
            v = [sizes[n].get(f"accord/{key}", (float("nan"),))[0] for n in (10000, 100000, 1000000)]
            ratio = v[2] / v[0] if v[0] else float("nan")
            add(f"| {key} | {v[0]:.1f} µs | {v[1]:.1f} µs | {v[2]:.1f} µs | {ratio:.1f}× | {verdict(ratio <= 3)} |")
        add("")

    # Start-up.
    parse = kv(os.path.join(r, "startup-parse.txt"))
    load = kv(os.path.join(r, "startup-load.txt"))
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
    add(f"| peak RSS of the load | {rss:.0f} MB = {rss / file_mb:.1f}× the file | ≤3×: {verdict(rss / file_mb <= 3)} |")
    add(f"| of which indexes (value indexes + sorted columns built at load) | {float(load['index_mb']):.0f} MB | – |")
    add("")

    # End to end.
    runs = {}
    for rpc in ("GetAgreement", "ListAgreements"):
        for target in ("accord", "empty"):
            for rnd in (1, 2):
                log = os.path.join(r, f"h2load-{rpc}-{target}-{rnd}.log")
                txt = os.path.join(r, f"h2load-{rpc}-{target}-{rnd}.txt")
                if os.path.exists(txt):
                    runs[(rpc, target, rnd)] = h2load(log, txt)
    if runs:
        add("### End to end over loopback: h2load, alternating A B A B")
        add("")
        add("`h2load -D 10 --warm-up-time=2 -c 8 -m 16 -t 1` with gRPC-framed bodies; A = accord_server")
        add("on the 1M catalogue, B = the empty-handler callback server (same gRPC, same service")
        add("definition, handlers finish at once with an empty response). Latencies from h2load's")
        add("per-request log. Both servers and h2load share the 2 cores.")
        add("")
        add("| RPC | server | round | req/s | p50 | p90 | p99 | failed | ratio to floor (req/s) |")
        add("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for rpc in ("GetAgreement", "ListAgreements"):
            for rnd in (1, 2):
                e = runs.get((rpc, "empty", rnd))
                for target in ("accord", "empty"):
                    x = runs.get((rpc, target, rnd))
                    if not x:
                        continue
                    ratio = f"{x['rps'] / e['rps']:.2f}×" if (target == "accord" and e) else ""
                    add(f"| {rpc} | {target} | {rnd} | {x['rps']:.0f} | {x['p50']:.2f} ms | {x['p90']:.2f} ms | {x['p99']:.2f} ms | {x['failed']} | {ratio} |")
        for rpc in ("GetAgreement", "ListAgreements"):
            a = [runs[(rpc, "accord", i)]["rps"] for i in (1, 2) if (rpc, "accord", i) in runs]
            e = [runs[(rpc, "empty", i)]["rps"] for i in (1, 2) if (rpc, "empty", i) in runs]
            if a and e:
                ratio = statistics.mean(a) / statistics.mean(e)
                target = f"target ≥0.9×: {verdict(ratio >= 0.9)}" if rpc == "GetAgreement" else "no target"
                add(f"")
                add(f"**{rpc}: Accord / floor = {ratio:.2f}×** (mean of the two rounds; {target})")
        with open(os.path.join(r, "bodies.txt")) as f:
            name = f.read().strip().splitlines()[-1] if f else ""
        add("")
        add(f"GetAgreement asks for `{name}` (a full record); the List is two parties and one")
        add("area, `page_size` 10, `read_mask` name,title,sign_date.")
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

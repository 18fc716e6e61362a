#!/usr/bin/env python3
"""Turns the raw numbers bench/run left in bench/results/ into the markdown table it prints.

  report.py RESULTS N_STREAM STREAM_BYTES N_CHECK N_PEER
"""

import json
import os
import statistics
import sys


def main():
    results, n_stream, stream_bytes, n_check, n_peer = sys.argv[1], *map(int, sys.argv[2:])
    runs = {}
    with open(os.path.join(results, "raw.tsv")) as f:
        for line in f:
            name, _, wall, user, system, rss = line.rstrip("\n").split("\t")
            runs.setdefault(name, []).append((float(wall), float(user) + float(system), int(rss)))

    def med(name, i):
        return statistics.median(r[i] for r in runs[name]) if name in runs else None

    check_bytes = n_check * stream_bytes / n_stream
    peer_bytes = n_peer * stream_bytes / n_stream
    rows = []

    def stream_row(label, name, n, nbytes):
        wall, cpu = med(name, 0), med(name, 1)
        if wall is None:
            return None
        rate = n / max(cpu, 1e-3)
        rows.append((label, n, wall, cpu, rate, nbytes / max(cpu, 1e-3) / 1e6, med(name, 2)))
        return rate

    def halves_note(single, halves):
        # Two processes over half the lines each: what two cores give with nothing shared.
        if not med(single, 0) or not med(halves, 0):
            return ""
        return f"; two separate processes over half the lines each: {med(single, 0) / med(halves, 0):.2f}x"

    print("## imgvisa benchmark\n")
    with open("/proc/cpuinfo") as f:
        model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    print(f"Machine: {os.cpu_count()} cores, {model}. Rates use CPU time (user+sys), the median "
          f"of the runs; wall time is shown beside it (the machine is shared).\n")

    single = json.load(open(os.path.join(results, "single.json")))["results"]
    rss = "?"
    with open(os.path.join(results, "single-rss.txt")) as f:
        for line in f:
            if "Maximum resident set size" in line:
                rss = int(line.split(":")[1]) // 1024
    print("### (a) one `imgvisa check profile.json` (embedded rules)\n")
    print("| command | median ms | mean ms | min ms | runs | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in single:
        if "check" in r["command"]:
            label = "check one profile"
        elif "--help" in r["command"]:
            label = "`imgvisa --help` (process start, CLI11, no rules)"
        else:
            label = "`/bin/true` (floor: fork and exec)"
        print(f"| {label} | {r['median'] * 1e3:.1f} | {r['mean'] * 1e3:.1f} | {r['min'] * 1e3:.1f} "
              f"| {len(r['times'])} | {rss if 'check' in r['command'] else ''} |")
    print()

    print("### (b) NDJSON stream\n")
    print("| what | profiles | wall s | CPU s | profiles/s (CPU) | MB/s in (CPU) | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    cat = stream_row("floor: `cat`", "cat", n_stream, stream_bytes)
    simd = stream_row("floor: parse only, simdjson (DOM)", "parse-simdjson", n_stream, stream_bytes)
    nl = stream_row("floor: parse only, nlohmann (DOM)", "parse-nlohmann", n_stream, stream_bytes)
    stream_row("floor: parse only, nlohmann (SAX, no DOM)", "parse-nlohmann-sax", n_stream,
               stream_bytes)
    check = stream_row("`imgvisa check --format ndjson -`", "check-ndjson", n_check, check_bytes)
    stream_row("`imgvisa check --format ndjson --no-next-steps -`", "check-ndjson-no-next-steps",
               n_check, check_bytes)
    jobs = stream_row("`imgvisa check --format ndjson --jobs 2 -`", "check-ndjson-jobs2",
                      n_check, check_bytes)
    stream_row("ceiling: two `check` processes at once, half the lines each",
               "check-ndjson-halves", n_check, check_bytes)
    summary = stream_row("`imgvisa check --format ndjson --detail summary -`",
                         "check-ndjson-summary", n_stream, stream_bytes)
    stream_row("`imgvisa check --format ndjson --detail summary --jobs 2 -`",
               "check-ndjson-summary-jobs2", n_stream, stream_bytes)
    stream_row("ceiling: two `check --detail summary` processes at once, half the lines each",
               "check-ndjson-summary-halves", n_stream, stream_bytes)
    for label, n, wall, cpu, rate, mbs, rss_kb in rows:
        print(f"| {label} | {n} | {wall:.2f} | {cpu:.2f} | {rate:,.0f} | {mbs:.1f} | "
              f"{rss_kb // 1024} |")
    print()
    if check:
        print(f"Ratios: check is {nl / check:.1f}x slower than parsing alone with nlohmann, "
              f"{simd / check:.0f}x slower than simdjson; `cat` moves {cat / check:,.0f}x as many "
              f"profiles.")
    if jobs and check:
        wall_1, wall_2 = med("check-ndjson", 0), med("check-ndjson-jobs2", 0)
        print(f" `--jobs 2` speed-up (wall), full records: {wall_1 / wall_2:.2f}x"
              + halves_note("check-ndjson", "check-ndjson-halves") + ".")
    if summary and med("check-ndjson-summary-jobs2", 0):
        wall_1, wall_2 = med("check-ndjson-summary", 0), med("check-ndjson-summary-jobs2", 0)
        print(f" `--jobs 2` speed-up (wall), summary records: {wall_1 / wall_2:.2f}x "
              f"({n_stream / wall_2:,.0f} profiles/s wall"
              + halves_note("check-ndjson-summary", "check-ndjson-summary-halves") + ").")
    try:
        brief = int(open(os.path.join(results, "summary-bytes.txt")).read().split()[0])
        print(f" One summary record: {brief:,} bytes.")
    except (OSError, ValueError, IndexError):
        pass
    try:
        record = int(open(os.path.join(results, "record-bytes.txt")).read().split()[0])
        print(f" One result record of the full NDJSON output: {record:,} bytes "
              f"(input profile: {stream_bytes / n_stream:,.0f} bytes).")
    except (OSError, ValueError, IndexError):
        pass
    print()
    phases = os.path.join(results, "phases.tsv")
    if os.path.exists(phases):
        print("Where the time of one NDJSON profile goes (bench/phases, same library calls):\n")
        print("| phase | µs |")
        print("|---|---:|")
        for line in open(phases).read().splitlines()[1:]:
            k, v = line.split("\t")
            print(f"| {k} | {v} |")
        print()

    lint = os.path.join(results, "lint.json")
    print("### (c) `imgvisa lint` of the rule set\n")
    if os.path.exists(lint):
        r = json.load(open(lint))["results"][0]
        print(f"median {r['median'] * 1e3:.1f} ms over {len(r['times'])} runs.\n")
    else:
        print("skipped: this build has no `lint` subcommand.\n")

    print(f"### Peers: core pathways ({n_peer} profiles; verdicts of ecfmg-certification, "
          f"j1-clinical, j1-research-scholar, h1b)\n")
    agreement = {}
    for line in open(os.path.join(results, "agreement.tsv")):
        peer, total, diff = line.split("\t")
        agreement[peer] = (int(total), int(diff))
    node0 = med("node-startup", 1) or 0
    base = med("core-imgvisa", 1)
    print("| engine | CPU s | profiles/s (CPU) | vs imgvisa | verdicts differing from imgvisa |")
    print("|---|---:|---:|---:|---:|")
    for label, name, peer, start in [("imgvisa (`--pathway` x4)", "core-imgvisa", None, 0),
                                     ("imgvisa (`--pathway` x4, `--detail summary`)",
                                      "core-imgvisa-summary", None, 0),
                                     ("json-logic-js 2.0.5 (node)", "core-jsonlogic", "jsonlogic",
                                      node0),
                                     ("jq 1.6", "core-jq", "jq", 0),
                                     ("json-rules-engine 7.3.1 (node, one profile at a time)",
                                      "core-rules-engine", "rules-engine", node0)]:
        cpu = med(name, 1)
        if cpu is None:
            continue
        agree = agreement.get(peer)
        diff = "(reference)" if name == "core-imgvisa" else "(summary records)" if peer is None else (f"{agree[1]} of {agree[0]}" if agree else "?")
        print(f"| {label} | {cpu:.2f} | {n_peer / cpu:,.0f} | {cpu / base:.2f}x time | {diff} |")
    print("\nThe peers give three-valued verdicts but no missing facts, texts or next steps. "
          "json-rules-engine: every condition split into a \"definitely met\" and a \"definitely "
          "unmet\" rule; dates, arithmetic and list quantifiers are computed facts of "
          "bench/peers/rules_engine.js.")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the seed corpus of one fuzz target (docs/reliability.md) from the source tree.

usage: fuzz/make_seeds.py TARGET OUTDIR [DICT]

profile     examples/profiles, and every inline profile of rules/tests
ndjson      the same profiles as one-line records, joined into streams with CRLF, blank and bad
            lines
diff        the same streams as ndjson
rules       each tests/golden/load case, and slices of rules/ (manifest, facts, definitions and
            one pathway), as "#file NAME" bundles (fuzz/fuzz_support.h)
rule_tests  each test case of rules/tests on its own, and each test file whole

Also copies fuzz/seeds/TARGET/*, and with DICT writes a libFuzzer dictionary of the keys and
enum values used in rules/.
"""

import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def profiles():
    out = [p.read_bytes() for p in sorted((ROOT / "examples/profiles").glob("*.json"))]
    for f in sorted((ROOT / "rules/tests").glob("*.json")):
        for case in json.loads(f.read_text()).get("tests", []):
            if isinstance(case, dict) and "profile" in case:
                out.append(json.dumps(case["profile"]).encode())
    return out


def one_line(text):
    return json.dumps(json.loads(text), ensure_ascii=False).encode()


def bundle(files):
    return b"".join(b"#file " + name.encode() + b"\n" + text for name, text in files)


def seeds(target):
    if target == "profile":
        return profiles()
    if target in ("ndjson", "diff"):
        lines = [one_line(p) for p in profiles()]
        out = [l + b"\n" for l in lines[:40]]
        out.append(b"\n".join(lines[:13]) + b"\n")
        out.append(b"\r\n".join(lines[:5]) + b"\r\n\r\n  \n" + lines[5])
        out.append(lines[0] + b'\n{"school": \n\n' + lines[1] + b'\n{"schol": {}}\n\x00\xff\n')
        return out
    if target == "rules":
        out = []
        for case in sorted((ROOT / "tests/golden/load").iterdir()):
            if case.is_dir():
                out.append(bundle((f.name, f.read_bytes()) for f in sorted(case.glob("*.json"))))
        base = [("rules/ruleset.json", (ROOT / "rules/ruleset.json").read_bytes())]
        for sub in ("definitions", "facts"):
            for f in sorted((ROOT / "rules" / sub).glob("*.json")):
                base.append((f"rules/{sub}/{f.name}", f.read_bytes()))
        for f in sorted((ROOT / "rules/pathways").glob("*.json")):
            out.append(bundle(base + [(f"rules/pathways/{f.name}", f.read_bytes())]))
        return out
    if target == "rule_tests":
        out = []
        for f in sorted((ROOT / "rules/tests").glob("*.json")):
            out.append(f.read_bytes())
            for case in json.loads(f.read_text()).get("tests", []):
                out.append(json.dumps({"tests": [case]}, indent=1).encode())
        return out
    sys.exit(f"make_seeds.py: unknown target {target}")


def dictionary():
    words = set()

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                words.add(k)
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, str) and len(v) <= 40 and "\n" not in v:
            words.add(v)

    for f in sorted((ROOT / "rules").rglob("*.json")):
        if "tests" not in f.parts:
            walk(json.loads(f.read_text()))
    lines = [json.dumps(json.dumps(w)) for w in sorted(words)]
    # libFuzzer's dictionary format knows only the escapes \\, \" and \xAB.
    lines += ['"#file "', '"\\x0d\\x0a"', '"\\x00"', '"9223372036854775808"', '"1e400"', '"[[[[[[[["']
    return "\n".join(lines) + "\n"


def main():
    target, outdir = sys.argv[1], pathlib.Path(sys.argv[2])
    outdir.mkdir(parents=True, exist_ok=True)
    all_seeds = seeds(target)
    for extra in sorted((ROOT / "fuzz/seeds" / target).glob("*")):
        all_seeds.append(extra.read_bytes())
    for i, s in enumerate(all_seeds):
        (outdir / f"seed-{i:04d}").write_bytes(s)
    if len(sys.argv) > 3:
        # Written aside and renamed into place: fuzz-all runs two targets at once, and one
        # libFuzzer read the dictionary while the other target's run of this script rewrote it
        # ("ParseDictionaryFile: error in line 305", CI of 2026-12-05).
        path = pathlib.Path(sys.argv[3])
        aside = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        aside.write_text(dictionary())
        os.replace(aside, path)
    print(f"make_seeds.py: {len(all_seeds)} seeds for {target} in {outdir}")


main()

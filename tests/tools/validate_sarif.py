#!/usr/bin/env python3
"""Independent reader of imgvisa's SARIF output.

Validates a SARIF log against tests/tools/sarif-2.1.0-subset.schema.json (the SARIF 2.1.0
properties imgvisa uses) and checks what a schema cannot: every result's ruleId names a rule of
its run, ruleIndex (when present) points at that rule, rule ids are unique, and lines and columns
are 1-based.

Usage:
  validate_sarif.py [--min-results N] FILE|-
  validate_sarif.py [--min-results N] [--expect-exit N] -- COMMAND [ARG...]

The second form runs COMMAND, reads the SARIF it writes on stdout and, with --expect-exit,
checks its exit status too (lint exits 1 when it has findings). Exit 0 valid, 1 invalid, 2 usage.
Needs python3-jsonschema (Debian) 4.x.
"""

import argparse
import json
import os
import sys

from tool_input import add_input_arguments, read_input

try:
    import jsonschema
except ImportError:  # pragma: no cover - the message is the point
    sys.stderr.write("validate_sarif.py: needs python3-jsonschema (apt-get install python3-jsonschema)\n")
    sys.exit(2)

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sarif-2.1.0-subset.schema.json")


def schema_errors(log):
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    for error in sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path)):
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        yield f"schema: at {where}: {error.message}"


def consistency_errors(log):
    for r, run in enumerate(log.get("runs", [])):
        rules = run.get("tool", {}).get("driver", {}).get("rules", [])
        ids = [rule.get("id") for rule in rules]
        seen = set()
        for i, rule_id in enumerate(ids):
            if rule_id in seen:
                yield f"runs/{r}/tool/driver/rules/{i}: duplicate rule id {rule_id!r}"
            seen.add(rule_id)
        for k, result in enumerate(run.get("results", [])):
            where = f"runs/{r}/results/{k}"
            rule_id = result.get("ruleId")
            if rule_id not in seen:
                yield f"{where}: ruleId {rule_id!r} is not in tool.driver.rules"
            if "ruleIndex" in result:
                index = result["ruleIndex"]
                if not isinstance(index, int) or not 0 <= index < len(ids) or ids[index] != rule_id:
                    yield f"{where}: ruleIndex {index!r} does not point at rule {rule_id!r}"
            for j, location in enumerate(result.get("locations", [])):
                physical = location.get("physicalLocation", {})
                uri = physical.get("artifactLocation", {}).get("uri", "")
                # Not valid in a URI; GitHub code scanning rejects such a location.
                if any(c.isspace() or c == "\\" for c in uri):
                    yield f"{where}/locations/{j}: artifact uri {uri!r} is not a URI (escape it)"
                region = physical.get("region", {})
                for key in ("startLine", "startColumn", "endLine", "endColumn"):
                    value = region.get(key)
                    if value is not None and (not isinstance(value, int) or value < 1):
                        yield f"{where}/locations/{j}/physicalLocation/region: {key} {value!r} is not >= 1"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-results", type=int, default=0, help="fail with fewer results in all runs")
    add_input_arguments(parser)
    args = parser.parse_args()
    name, data = read_input(parser, args)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"{name}: not UTF-8: {e}")
        return 1

    try:
        log = json.loads(text)
    except ValueError as e:
        print(f"{name}: not JSON: {e}")
        return 1
    problems = list(schema_errors(log))
    if not problems:
        problems = list(consistency_errors(log))
    results = sum(len(run.get("results", [])) for run in log.get("runs", []))
    if not problems and results < args.min_results:
        problems.append(f"{results} results, expected at least {args.min_results}")
    for p in problems:
        print(f"{name}: {p}")
    if problems:
        return 1
    rules = sum(len(run["tool"]["driver"]["rules"]) for run in log["runs"])
    print(f"valid SARIF 2.1.0: {len(log['runs'])} run(s), {rules} rules, {results} results")
    return 0


if __name__ == "__main__":
    sys.exit(main())

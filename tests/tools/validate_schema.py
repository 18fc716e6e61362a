#!/usr/bin/env python3
"""Validates imgvisa's generated JSON Schemas with an independent validator (python3-jsonschema).

Every example profile, every inline test-case profile and every rule file must validate; a few
deliberately broken documents must not, so the check can fail.

usage: validate_schema.py IMGVISA SOURCE_DIR
"""
import glob
import json
import os
import subprocess
import sys

import jsonschema


def schema(imgvisa, kind, rules):
    out = subprocess.run([imgvisa, "schema", kind, "--rules", rules], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main():
    imgvisa, source = sys.argv[1], sys.argv[2]
    rules_dir = os.path.join(source, "rules")
    profile_schema = schema(imgvisa, "profile", rules_dir)
    rules_schema = schema(imgvisa, "rules", rules_dir)
    cls = jsonschema.Draft202012Validator
    cls.check_schema(profile_schema)
    cls.check_schema(rules_schema)
    profiles = cls(profile_schema, format_checker=cls.FORMAT_CHECKER)
    rulefiles = cls(rules_schema, format_checker=cls.FORMAT_CHECKER)
    failures = []
    checked = 0

    def expect(validator, doc, name, valid=True):
        nonlocal checked
        errors = list(validator.iter_errors(doc))
        checked += 1
        if valid and errors:
            failures.append(f"{name}: {errors[0].json_path}: {errors[0].message}")
        if not valid and not errors:
            failures.append(f"{name}: accepted although it is invalid")

    for path in sorted(glob.glob(os.path.join(source, "examples/profiles/*.json"))):
        with open(path, encoding="utf-8") as f:
            expect(profiles, json.load(f), os.path.relpath(path, source))
    for path in sorted(glob.glob(os.path.join(rules_dir, "**/*.json"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        expect(rulefiles, doc, os.path.relpath(path, source))
        for i, case in enumerate(doc.get("tests", [])):
            if "profile" in case:
                expect(profiles, case["profile"], f"{os.path.relpath(path, source)}#/tests/{i}/profile")
    # The schemas must also reject what imgvisa rejects.
    expect(profiles, {"school": {"contry": "IN"}}, "profile with an unknown key", valid=False)
    expect(profiles, {"us_status": "martian"}, "profile with a bad enum value", valid=False)
    expect(profiles, {"graduation": {"date": 20240630}}, "profile with a number for a date", valid=False)
    # A country is exactly an ISO 3166-1 alpha-2 code, in capitals, as imgvisa reads it (E045).
    for bad in ({"citizenship": ["ng"]}, {"citizenship": ["Nigeria"]}, {"citizenship": ["XX"]},
                {"school": {"country": "2020-05-01"}}, {"last_permanent_residence": "NGA"}):
        expect(profiles, bad, f"profile with the country {json.dumps(bad)}", valid=False)
    expect(profiles, {"citizenship": ["NG", "PR"], "school": {"country": "IN"}}, "profile with country codes")
    expect(rulefiles, {"facts": {"c": {"type": "country", "description": "d", "question": "q"},
                                 "l": {"type": "list", "items": {"type": "country"}, "description": "d", "question": "q"}}},
           "rule file declaring country facts")
    expect(rulefiles, {"pathway": {"id": "x", "title": "t", "summary": "s", "sponsor": "s",
                                   "items": [{"id": "a", "kind": "requirment", "title": "t",
                                              "text": {"met": "m"}, "sources": [{"instrument": "i", "verified": "2026-01-01"}]}]}},
           "rule file with a bad item kind", valid=False)
    expect(rulefiles, {"definitions": {"d": {"equals": [1, 2]}}}, "rule file with an unknown operator", valid=False)
    for failure in failures:
        print("FAIL", failure)
    print(f"{checked - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

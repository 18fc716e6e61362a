#!/usr/bin/env python3
"""Independent reader of imgvisa's JUnit XML (`imgvisa test --format junit`).

Parses with xml.etree and checks the structure CI servers rely on: a <testsuites> root holding
<testsuite> elements holding <testcase> elements, each with a name; tests= and failures= on every
suite and on the root equal to the elements actually counted; a failure is a <failure> child with
a message. Prints "N tests, N failures".

Usage:
  read_junit.py [--tests N] [--failures N] FILE|-
  read_junit.py [--tests N] [--failures N] [--expect-exit N] -- COMMAND [ARG...]

--tests/--failures also require those counts. Exit 0 well-formed (and counts as required),
1 otherwise, 2 usage.
"""

import argparse
import sys
import xml.etree.ElementTree as ET

from tool_input import add_input_arguments, read_input


def count_attr(element, name, problems, where):
    value = element.get(name)
    if value is None:
        problems.append(f"{where}: no {name}= attribute")
        return None
    try:
        return int(value)
    except ValueError:
        problems.append(f"{where}: {name}={value!r} is not a number")
        return None


def check(root):
    problems = []
    if root.tag != "testsuites":
        return 0, 0, [f"root element is <{root.tag}>, expected <testsuites>"]
    total_tests = total_failures = 0
    for s, suite in enumerate(root):
        where = f"testsuite[{s}] {suite.get('name', '')!r}"
        if suite.tag != "testsuite":
            problems.append(f"<testsuites> holds <{suite.tag}>, expected only <testsuite>")
            continue
        if not suite.get("name"):
            problems.append(f"{where}: no name=")
        tests = failures = 0
        for c, case in enumerate(suite):
            if case.tag in ("properties", "system-out", "system-err"):
                continue
            if case.tag != "testcase":
                problems.append(f"{where}: holds <{case.tag}>, expected <testcase>")
                continue
            tests += 1
            if not case.get("name"):
                problems.append(f"{where} testcase[{c}]: no name=")
            failed = case.findall("failure") + case.findall("error")
            if failed:
                failures += 1
                for f in failed:
                    if f.get("message") is None:
                        problems.append(f"{where} testcase {case.get('name')!r}: <{f.tag}> without message=")
        for attr, counted in (("tests", tests), ("failures", failures)):
            declared = count_attr(suite, attr, problems, where)
            if declared is not None and declared != counted:
                problems.append(f"{where}: {attr}={declared} but {counted} counted")
        total_tests += tests
        total_failures += failures
    for attr, counted in (("tests", total_tests), ("failures", total_failures)):
        declared = count_attr(root, attr, problems, "<testsuites>")
        if declared is not None and declared != counted:
            problems.append(f"<testsuites>: {attr}={declared} but {counted} counted")
    return total_tests, total_failures, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, help="required number of test cases")
    parser.add_argument("--failures", type=int, help="required number of failed test cases")
    add_input_arguments(parser)
    args = parser.parse_args()
    name, data = read_input(parser, args)

    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        print(f"{name}: not well-formed XML: {e}")
        return 1
    tests, failures, problems = check(root)
    if args.tests is not None and tests != args.tests:
        problems.append(f"{tests} tests, expected {args.tests}")
    if args.failures is not None and failures != args.failures:
        problems.append(f"{failures} failures, expected {args.failures}")
    for p in problems:
        print(f"{name}: {p}")
    print(f"{tests} tests, {failures} failures")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/bin/sh
# imgvisa-compile-rules: a good rule set gives a non-empty image; one that does not load still
# gives a source that builds (an empty image, so the binary reports the problems at run time),
# with a warning and exit 0; a bad command line exits 2.
# The source the broken rules give must compile: the build goes on with it.
#   compile_rules_test.sh TOOL SOURCE_DIR CXX
set -eu
tool=$1 src=$2 cxx=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$tool" "$work/good.cpp" "$src/rules" 2>"$work/good.err"
[ ! -s "$work/good.err" ] || { echo "unexpected warning: $(cat "$work/good.err")"; exit 1; }
grep -q 'kImage), [1-9][0-9]*};' "$work/good.cpp" || { echo "good rules gave an empty image"; exit 1; }

"$tool" "$work/bad.cpp" "$src/tests/golden/lint/E001-invalid-json/bad" 2>"$work/bad.err"
grep -q 'warning: the embedded rules do not load' "$work/bad.err" || { echo "no warning"; exit 1; }
grep -q 'kImage), 0};' "$work/bad.cpp" || { echo "bad rules did not give an empty image"; exit 1; }
"$cxx" -std=c++20 -fsyntax-only -I"$src/include" "$work/bad.cpp" ||
  { echo "bad.cpp does not compile"; exit 1; }

if "$tool" 2>/dev/null; then echo "no arguments accepted"; exit 1; fi
echo ok

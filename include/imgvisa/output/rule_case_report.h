#pragma once

#include <ostream>

#include "imgvisa/checks/rule_case_run.h"

namespace imgvisa {

/// The text report of `imgvisa test`: for each case that failed, "FAIL file:line:column: name"
/// at its first failure, then each failure indented, "file:line:column: what" at the expectation
/// that failed; with `verbose`, "PASS file:line: name" for each that passed too.
void WriteRuleCaseResults(std::ostream& out, const RuleTestRun& run, bool verbose);

/// The last line of the text report: "N passed, N failed".
void WriteRuleCaseTally(std::ostream& out, const RuleTestRun& run);

/// JUnit XML: one <testsuite> per test file, in the order the files were read, one <testcase>
/// per case with its file and line, and a <failure> holding every failure of a case that failed,
/// each at its place.
void WriteRuleCasesJUnit(std::ostream& out, const RuleTestRun& run);

/// Coverage: with `items`, every item's marks (M met, U unmet, ? unknown, - not seen); then the
/// share of item outcomes seen, and `minimum` when there is one (negative: none).
void WriteRuleCaseCoverage(std::ostream& out, const RuleTestRun& run, bool items, double minimum);

}  // namespace imgvisa

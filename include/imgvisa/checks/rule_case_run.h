#pragma once

#include <string>
#include <vector>

#include "imgvisa/checks/rule_cases.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// What went wrong with one expectation, where the expectation is written.
struct RuleTestFailure {
  RuleTestFailure(std::string message, LineCol position = {}, std::string file = {})
      : message(std::move(message)), position(position), file(std::move(file)) {}
  std::string message;
  LineCol position;  ///< line 0: not known; reports then give the case's place
  std::string file;  ///< empty: the case's file (a profile file's problem is in that file)
};

struct RuleTestResult {
  const RuleTestCase* test = nullptr;
  std::vector<RuleTestFailure> failures;  ///< empty: passed
};

/// How often the tests saw each item met, unmet and unknown.
struct ItemCoverage {
  std::string pathway;
  std::string item;
  bool can_vary = true;  ///< false for items without a condition (always met)
  bool met = false, unmet = false, unknown = false;
};

struct RuleTestRun {
  std::vector<RuleTestResult> results;
  std::vector<ItemCoverage> coverage;
  std::size_t passed() const;
  std::size_t failed() const;
  /// Percentage of the possible (item, status) pairs the tests saw.
  double CoveragePercent() const;
  /// Whether CoveragePercent is under `minimum` (a percentage; negative: there is none).
  bool CoverageBelow(double minimum) const;
};

/// Evaluates each case and compares what it expects; coverage counts the items of the pathways
/// a case asserts something about. The results point into `cases`.
RuleTestRun RunRuleTests(const RuleSet& rules, const std::vector<RuleTestCase>& cases);

/// Adds the malformed cases to a run as failed results, each failure one of its diagnostics,
/// so that the tally and the reports count them. The results point into `malformed`.
void AddMalformedRuleTests(RuleTestRun& run, const std::vector<MalformedRuleTest>& malformed);

}  // namespace imgvisa

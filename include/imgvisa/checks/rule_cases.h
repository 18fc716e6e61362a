#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "imgvisa/base/date.h"
#include "imgvisa/base/diagnostic.h"
#include "imgvisa/profile/facts.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// One rule test case (docs/rule-tests.md), with its place for reports.
struct RuleTestCase {
  std::string name;
  std::string file;
  std::size_t offset = 0;
  LineCol position;
  Date as_of;
  Facts facts;
  std::map<std::string, std::string> expect;                       ///< pathway → verdict
  std::map<std::string, std::vector<std::string>> decisive;        ///< pathway → item ids
  std::map<std::string, std::string> expect_items;                 ///< "pathway/item" → status
  std::map<std::string, std::vector<std::string>> expect_missing;  ///< pathway → fact paths
};

struct RuleTestLoad {
  std::vector<RuleTestCase> cases;
  std::vector<Diagnostic> diagnostics;  ///< malformed cases; the others still run
};

/// Reads the "tests" sections of the rule set's files. Profiles are checked against the fact
/// dictionary and located in the test file; pathway and item ids must exist.
RuleTestLoad RuleTestsFromFiles(const RuleSet& rules);

struct RuleTestResult {
  const RuleTestCase* test = nullptr;
  std::vector<std::string> failures;  ///< empty: passed
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
};

RuleTestRun RunRuleTests(const RuleSet& rules, const std::vector<RuleTestCase>& cases);

}  // namespace imgvisa

#pragma once

#include <map>
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
  std::map<std::string, std::vector<std::string>> whichever_way;   ///< pathway → item ids
  std::map<std::string, std::string> expect_items;                 ///< "pathway/item" → status
  std::map<std::string, std::vector<std::string>> expect_missing;  ///< pathway → fact paths
  /// Where each expectation is written, so that a failure points at it: keyed by section and
  /// key, "expect/h1b", "decisive/h1b", "expect_items/h1b/item", ...
  std::map<std::string, LineCol> where;

  /// The place of the expectation `section`/`key`, or of the case when it is not known.
  LineCol Where(const std::string& section, const std::string& key) const;
};

/// A case left out because something in it is malformed: it counts as a failure.
struct MalformedRuleTest {
  RuleTestCase test;                 ///< its file and place, and its name when it has one
  std::vector<Diagnostic> problems;  ///< located, as they are in RuleTestLoad::diagnostics
};

struct RuleTestLoad {
  std::vector<RuleTestCase> cases;
  std::vector<Diagnostic> diagnostics;       ///< malformed cases; the others still run
  std::vector<MalformedRuleTest> malformed;  ///< every diagnostic belongs to one of these
};

/// Reads the "tests" sections of the rule set's files. Profiles are checked against the fact
/// dictionary and located in the test file; pathway and item ids must exist. RunRuleTests
/// (checks/rule_case_run.h) runs the cases.
RuleTestLoad RuleTestsFromFiles(const RuleSet& rules);

}  // namespace imgvisa

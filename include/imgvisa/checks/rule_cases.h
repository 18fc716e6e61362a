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
};

struct RuleTestLoad {
  std::vector<RuleTestCase> cases;
  std::vector<Diagnostic> diagnostics;  ///< malformed cases; the others still run
};

/// Reads the "tests" sections of the rule set's files. Profiles are checked against the fact
/// dictionary and located in the test file; pathway and item ids must exist. RunRuleTests
/// (checks/rule_case_run.h) runs the cases.
RuleTestLoad RuleTestsFromFiles(const RuleSet& rules);

}  // namespace imgvisa

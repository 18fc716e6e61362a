#include "imgvisa/checks/rule_cases.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "imgvisa/checks/rule_case_run.h"
#include "imgvisa/cli/cmd_rule_cases.h"
#include "test_support.h"

namespace {

std::vector<imgvisa::SourceFile> SetWithTests(const std::string& tests) {
  auto files = imgvisa::testing::TinyRuleSet(
      R"({"exam": {"type": "bool", "description": "d", "question": "Passed?"}})",
      R"({"pathway": {"id": "p", "title": "T", "summary": "S", "sponsor": "X", "items": [
        {"id": "exam", "kind": "requirement", "title": "t", "condition": {"eq": [{"fact": "exam"}, true]},
         "text": {"met": "m", "unmet": "u"}, "sources": [{"instrument": "x", "verified": "2026-01-01"}]}]}})");
  files.emplace_back("tests.json", tests);
  return files;
}

}  // namespace

TEST_CASE("rule tests pass, fail with expected against actual, and count coverage") {
  auto rules = imgvisa::testing::MustLoad(SetWithTests(R"({"tests": [
    {"name": "passes", "as_of": "2026-01-01", "profile": {"exam": true}, "expect": {"p": "eligible"}, "decisive": {"p": []}},
    {"name": "fails", "as_of": "2026-01-01", "profile": {"exam": false}, "expect": {"p": "eligible"}},
    {"name": "unknown", "as_of": "2026-01-01", "profile": {}, "expect_missing": {"p": ["exam"]}, "expect_items": {"p/exam": "unknown"}}
  ]})"));
  auto load = imgvisa::RuleTestsFromFiles(rules);
  REQUIRE(load.diagnostics.empty());
  REQUIRE(load.cases.size() == 3);
  auto run = imgvisa::RunRuleTests(rules, load.cases);
  CHECK(run.passed() == 2);
  CHECK(run.failed() == 1);
  REQUIRE(run.results[1].failures.size() == 1);
  CHECK(run.results[1].failures[0].message == "p: expected eligible, got ineligible");
  CHECK(run.CoveragePercent() == Approx(100.0));
}

TEST_CASE("malformed test cases are located diagnostics") {
  auto rules = imgvisa::testing::MustLoad(SetWithTests(R"({"tests": [
    {"name": "x", "as_of": "2026-13-01", "profile": {"exma": true}, "expect": {"q": "eligible"}}
  ]})"));
  auto load = imgvisa::RuleTestsFromFiles(rules);
  CHECK(load.cases.empty());
  std::vector<std::string> lines;
  for (const auto& d : load.diagnostics) lines.push_back(imgvisa::FormatDiagnosticLine(d));
  CHECK(lines ==
        std::vector<std::string>{
            "tests.json:2:28: error[E060]: a test case needs \"as_of\" as a date YYYY-MM-DD",
            "tests.json:2:54: error[E040]: unknown fact \"exma\"; did you mean \"exam\"?",
            "tests.json:2:80: error[E060]: no pathway \"q\" in the rule set"});
  // Kept apart, with its name and its problems, to count as a failed case.
  REQUIRE(load.malformed.size() == 1);
  CHECK(load.malformed[0].test.name == "x");
  CHECK(load.malformed[0].test.position.line == 2);
  CHECK(load.malformed[0].problems.size() == 3);
  auto run = imgvisa::RunRuleTests(rules, load.cases);
  imgvisa::AddMalformedRuleTests(run, load.malformed);
  CHECK(run.passed() == 0);
  CHECK(run.failed() == 1);
  REQUIRE(run.results[0].failures.size() == 3);
  CHECK(run.results[0].failures[1].message ==
        "error[E040]: unknown fact \"exma\"; did you mean \"exam\"?");
  CHECK(run.results[0].failures[1].position.column == 54);
}

#include "imgvisa/checks/rule_case_run.h"

#include <catch2/catch.hpp>

#include "imgvisa/profile/facts_from_json.h"
#include "test_support.h"

using imgvisa::RuleSet;
using imgvisa::RuleTestCase;

namespace {

std::string Requirement(const std::string& id, const std::string& fact) {
  return R"({"id": ")" + id +
         R"(", "kind": "requirement", "title": "t", "condition": {"eq": [{"fact": ")" + fact +
         R"("}, true]}, "text": {"met": "m", "unmet": "u"}, "sources": [{"instrument": "x", "verified": "2026-01-01"}]})";
}

std::string Pathway(const std::string& id, const std::string& items) {
  return R"({"pathway": {"id": ")" + id +
         R"(", "title": "T", "summary": "S", "sponsor": "X", "items": [)" + items + "]}}";
}

// Two pathways: p needs the exam, q needs the licence.
RuleSet TwoPathways() {
  auto files = imgvisa::testing::TinyRuleSet(
      R"({"exam": {"type": "bool", "description": "d", "question": "Passed?"},
          "licence": {"type": "bool", "description": "d", "question": "Licensed?"}})",
      Pathway("p", Requirement("exam", "exam")));
  files.emplace_back("q.json", Pathway("q", Requirement("licence", "licence")));
  return imgvisa::testing::MustLoad(files);
}

RuleTestCase Case(const RuleSet& rules, const std::string& name, const std::string& profile) {
  RuleTestCase t;
  t.name = name;
  t.file = "cases.json";
  t.as_of = *imgvisa::ParseIsoDate("2026-01-01");
  auto load = imgvisa::FactsFromJson(rules.dictionary, imgvisa::SourceFile("p", profile));
  REQUIRE(load.ok);
  t.facts = std::move(load.facts);
  return t;
}

std::vector<std::string> Messages(const imgvisa::RuleTestResult& result) {
  std::vector<std::string> messages;
  for (const auto& f : result.failures) messages.push_back(f.message);
  return messages;
}

}  // namespace

TEST_CASE("a rule case run says what each expectation wanted and what it got, in order") {
  RuleSet rules = TwoPathways();
  RuleTestCase t = Case(rules, "all wrong", R"({"exam": false})");
  t.expect["p"] = "eligible";
  t.decisive["p"] = {};
  t.expect_items["p/exam"] = "met";
  t.expect_items["q/gone"] = "met";
  t.expect_missing["q"] = {};
  const std::vector<RuleTestCase> cases = {t};
  auto run = imgvisa::RunRuleTests(rules, cases);
  REQUIRE(run.results.size() == 1);
  CHECK(run.results[0].test->name == "all wrong");
  CHECK(Messages(run.results[0]) ==
        std::vector<std::string>{
            "p: expected eligible, got ineligible", "p: decisive items expected [], got [exam]",
            "p/exam: expected met, got unmet", "q/gone: expected met, got inactive",
            "q: missing facts expected [], got [licence]"});
  CHECK(run.passed() == 0);
  CHECK(run.failed() == 1);
}

TEST_CASE("coverage counts the items of the pathways a case asserts something about") {
  RuleSet rules = TwoPathways();
  RuleTestCase met = Case(rules, "met", R"({"exam": true, "licence": true})");
  met.expect["p"] = "eligible";
  const std::vector<RuleTestCase> one = {met};
  auto run = imgvisa::RunRuleTests(rules, one);
  REQUIRE(run.coverage.size() == 2);
  CHECK(run.coverage[0].pathway == "p");
  CHECK(run.coverage[0].met);
  CHECK_FALSE(run.coverage[0].unmet);
  // q's licence was known and met, but no case asked about q.
  CHECK(run.coverage[1].pathway == "q");
  CHECK_FALSE(run.coverage[1].met);
  CHECK(run.CoveragePercent() == Approx(100.0 / 6));
  CHECK(run.CoverageBelow(50));
  CHECK_FALSE(run.CoverageBelow(100.0 / 6));
  CHECK_FALSE(run.CoverageBelow(-1));  // no minimum

  RuleTestCase unmet = Case(rules, "unmet", R"({"exam": false})");
  unmet.expect["p"] = "ineligible";
  RuleTestCase unknown = Case(rules, "unknown", "{}");
  unknown.expect["p"] = "undetermined";
  unknown.expect["q"] = "undetermined";
  const std::vector<RuleTestCase> three = {met, unmet, unknown};
  run = imgvisa::RunRuleTests(rules, three);
  CHECK(run.passed() == 3);
  CHECK(run.CoveragePercent() == Approx(400.0 / 6));
  CHECK_FALSE(run.coverage[1].met);
  CHECK(run.coverage[1].unknown);
}

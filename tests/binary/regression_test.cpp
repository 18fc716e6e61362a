// Crashes found by the fuzz targets (docs/reliability.md, "Log"), each kept as the smallest
// input that showed it.

#include <catch2/catch.hpp>

#include "imgvisa/rules/rule_set_from_json.h"
#include "test_support.h"

using imgvisa::SourceFile;

// fuzz_rules, 2026-11-22: a definition name holding DEL (0x7f) came back raw in the "did you
// mean" of a reference to a near name, so the diagnostic held a control byte.
TEST_CASE("regression: a suggested name from a rule file is escaped") {
  std::vector<SourceFile> files = imgvisa::testing::TinyRuleSet(
      R"({"exam": {"type": "bool", "description": "d", "question": "q"}})",
      R"({"definitions": {"passed_\u007fexam": {"eq": [{"fact": "exam"}, true]}},
  "pathway": {"id": "p", "title": "T", "summary": "S", "sponsor": "X", "items": [
  {"id": "a", "kind": "requirement", "title": "t", "condition": {"ref": "passed_exam"},
   "text": {"met": "m", "unmet": "u"}, "sources": [{"instrument": "Act", "verified": "2026-01-01"}]}
]}})");
  const imgvisa::RuleSetLoad load = imgvisa::RuleSetFromFiles(std::move(files));
  CHECK_FALSE(load.ok());
  bool found = false;
  for (const imgvisa::Diagnostic& d : load.diagnostics) {
    const std::string line = imgvisa::FormatDiagnosticLine(d);
    CHECK(line.find('\x7f') == std::string::npos);
    if (line.find("did you mean \"passed_\\x7fexam\"?") != std::string::npos) found = true;
  }
  CHECK(found);
}

TEST_CASE(
    "a caution on a source verified after the evaluation date says after, never negative days") {
  const auto r = imgvisa::testing::RunImgvisa(
      {"check", "--as-of", "2025-01-01", "--pathway", "h1b", "--detail", "full",
       imgvisa::testing::SourcePath("examples/profiles/step3-passer-h1b.json")});
  REQUIRE(r.status <= 1);
  CHECK(r.out.find("days after 2025-01-01") != std::string::npos);
  CHECK(r.out.find(", -") == std::string::npos);
}

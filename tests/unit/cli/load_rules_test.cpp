#include "cli/load_rules.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "imgvisa/rules/rule_source.h"
#include "test_support.h"

using imgvisa::LoadedRules;
using imgvisa::LoadRules;
using imgvisa::ReadRules;
using imgvisa::testing::SourcePath;

TEST_CASE("load rules: the embedded set is shared, unless its files are wanted") {
  std::ostringstream err;
  const LoadedRules embedded = LoadRules("", {"check"}, err);
  REQUIRE(embedded);
  CHECK(err.str().empty());
  CHECK(&*embedded == imgvisa::EmbeddedRuleSet());
  REQUIRE_FALSE(embedded->files.empty());
  CHECK(embedded->files.front().text().empty());  // the image keeps names, not texts

  const imgvisa::RulesRead with_files = ReadRules({}, {.files = true});
  REQUIRE(with_files.rules);
  CHECK(&*with_files.rules != imgvisa::EmbeddedRuleSet());
  REQUIRE_FALSE(with_files.rules->files.empty());
  CHECK_FALSE(with_files.rules->files.front().text().empty());
  CHECK(with_files.rules->Sha256() == embedded->Sha256());
}

TEST_CASE("load rules: several paths form one set") {
  const std::string fixture = SourcePath("tests/golden/diff/old");
  std::ostringstream err;
  const LoadedRules one = LoadRules(fixture, {"check"}, err);
  REQUIRE(one);
  const LoadedRules files = LoadRules(
      {fixture + "/ruleset.json", fixture + "/fellowship.json", fixture + "/residency.json"},
      {"test"}, err, {.files = true});
  REQUIRE(files);
  CHECK(err.str().empty());
  CHECK(files->pathways.size() == one->pathways.size());
}

TEST_CASE("load rules: a set that does not load is reported for the command, exit 3") {
  std::ostringstream err;
  CHECK_FALSE(LoadRules(SourcePath("tests/golden/load/types"), {"explain"}, err));
  CHECK(err.str().find("error[E024]") != std::string::npos);
  CHECK(err.str().ends_with("\nimgvisa explain: the rule set does not load\n"));

  err.str("");
  CHECK_FALSE(LoadRules("/no/such/rules", {"diff", "the old rule set (/no/such/rules)"}, err));
  CHECK(err.str() ==
        "/no/such/rules: error[E050]: cannot read the rule file: No such file or directory\n"
        "imgvisa diff: the old rule set (/no/such/rules) does not load\n");

  // Unreadable files and problems of compiling are told apart for lint, whose problems of
  // compiling are findings.
  const imgvisa::RulesRead unreadable = ReadRules({"/no/such/rules"});
  CHECK_FALSE(unreadable.rules);
  CHECK(unreadable.unreadable.size() == 1);
  CHECK(unreadable.diagnostics.empty());
  const imgvisa::RulesRead broken =
      ReadRules({SourcePath("tests/golden/load/types")}, {.files = true, .positions = true});
  CHECK_FALSE(broken.rules);
  CHECK(broken.unreadable.empty());
  CHECK_FALSE(broken.diagnostics.empty());
}

#include "imgvisa/explain.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "imgvisa/cmd_check.h"
#include "imgvisa/rule_source.h"
#include "test_support.h"

namespace fs = std::filesystem;

TEST_CASE("docs/pathways.md and docs/profile.md are generated from the rules and not stale") {
  auto load = imgvisa::LoadRuleSet(imgvisa::testing::SourcePath("rules"));
  REQUIRE(load.ok());
  imgvisa::testing::CheckGolden("docs/pathways.md", imgvisa::PathwaysDocument(*load.rules));
  imgvisa::testing::CheckGolden("docs/profile.md", imgvisa::ProfileDocument(*load.rules));
}

TEST_CASE("every example profile gives its expected output") {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(imgvisa::testing::SourcePath("examples/profiles"))) {
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  REQUIRE(names.size() >= 12);
  for (const std::string& name : names) {
    SECTION(name) {
      imgvisa::CheckOptions options;
      options.inputs = {"examples/profiles/" + name + ".json"};
      options.as_of = "2026-11-21";
      options.rules_path = imgvisa::testing::SourcePath("rules");
      // The examples are named relative to the source tree, as a user at its root would.
      const fs::path cwd = fs::current_path();
      fs::current_path(imgvisa::testing::SourcePath(""));
      std::istringstream in;
      std::ostringstream out, err;
      const int status = imgvisa::RunCheck(options, in, out, err);
      fs::current_path(cwd);
      CHECK(err.str().empty());
      imgvisa::testing::CheckGolden("tests/golden/examples/" + name + ".txt",
                                    out.str() + "exit status " + std::to_string(status) + "\n");
    }
  }
}

TEST_CASE("conditions read back in compact form") {
  auto load = imgvisa::LoadRuleSet(imgvisa::testing::SourcePath("rules"));
  REQUIRE(load.ok());
  const auto& rules = *load.rules;
  const auto& p = rules.pathways[*rules.FindPathway("ecfmg-certification")];
  auto item = std::find_if(p.items.begin(), p.items.end(),
                           [](const imgvisa::Item& i) { return i.id == "step1-passed"; });
  REQUIRE(item != p.items.end());
  CHECK(imgvisa::ConditionToString(rules, item->condition) ==
        "any(holds_ecfmg_certificate, usmle.step1.status = passed)");
}

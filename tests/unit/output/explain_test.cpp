#include "imgvisa/output/explain.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <sstream>

#include "imgvisa/cli/cmd_check.h"
#include "imgvisa/cli/cmd_explain.h"
#include "imgvisa/cli/cmd_schema.h"
#include "imgvisa/rules/rule_source.h"
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
      options.detail = "full";  // the short default has goldens of its own
      // The examples are named relative to the source tree, as a user at its root would.
      const fs::path cwd = fs::current_path();
      fs::current_path(imgvisa::testing::SourcePath(""));
      std::istringstream in;
      std::ostringstream out, err;
      const int status = imgvisa::RunCheck(options, in, out, err);
      fs::current_path(cwd);
      // Standard error is empty but for the warnings of contradictory facts, which the report
      // shows too (step3-without-certificate is written to show one).
      std::istringstream err_lines(err.str());
      for (std::string line; std::getline(err_lines, line);) {
        CHECK(line.find(": warning[W0") != std::string::npos);
        CHECK(out.str().find("\n  " + line + "\n") != std::string::npos);
      }
      CHECK(err.str().empty() == (name != "step3-without-certificate"));
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

TEST_CASE("explain prints what a pathway requires, in each format, as of a date") {
  imgvisa::ExplainOptions options;
  options.pathways = {"ecfmg-certification"};
  options.as_of = "2020-06-01";
  options.rules_path = imgvisa::testing::SourcePath("rules");
  auto text = imgvisa::testing::RunCommand(
      [](const imgvisa::ExplainOptions& o, std::istream&, std::ostream& out, std::ostream& err) {
        return imgvisa::RunExplain(o, out, err);
      },
      options);
  CHECK(text.status == 0);
  CHECK(text.out.find("ecfmg-certification — ECFMG Certification") != std::string::npos);
  // The law of that day: Step 2 CS, and no Pathways yet.
  CHECK(text.out.find("Clinical and communication skills: Step 2 CS") != std::string::npos);
  CHECK(text.out.find("accepted ECFMG Pathway") == std::string::npos);

  options.format = "json";
  options.as_of = "2026-11-21";
  std::ostringstream out, err;
  REQUIRE(imgvisa::RunExplain(options, out, err) == 0);
  auto doc = nlohmann::json::parse(out.str());
  CHECK(doc["as_of"] == "2026-11-21");
  CHECK(doc["pathways"][0]["pathway"] == "ecfmg-certification");
  CHECK(doc["pathways"][0]["items"][0]["sources"].size() >= 1);

  options.format = "markdown";
  options.all_versions = true;
  std::ostringstream md, err2;
  REQUIRE(imgvisa::RunExplain(options, md, err2) == 0);
  // The three versions of the clinical-skills item, each with its range.
  CHECK(md.str().find("(until 2020-09-01)") != std::string::npos);
  CHECK(md.str().find("(2020-09-02 to 2021-06-28)") != std::string::npos);
  CHECK(md.str().find("(from 2021-06-29)") != std::string::npos);
}

TEST_CASE("explain and schema refuse bad usage with exit 2 and bad rules with exit 3") {
  imgvisa::ExplainOptions options;
  options.as_of = "2026-11-21";
  options.pathways = {"h1-b"};
  std::ostringstream out, err;
  CHECK(imgvisa::RunExplain(options, out, err) == 2);
  CHECK(err.str() == "imgvisa explain: no pathway \"h1-b\"; did you mean \"h1b\"?\n");
  options.pathways.clear();
  options.as_of = "yesterday";
  CHECK(imgvisa::RunExplain(options, out, err) == 2);
  options.as_of = "2026-11-21";
  options.format = "yaml";
  CHECK(imgvisa::RunExplain(options, out, err) == 2);
  options.format = "text";
  options.rules_path = imgvisa::testing::SourcePath("tests/golden/load/types");
  CHECK(imgvisa::RunExplain(options, out, err) == 3);
  std::ostringstream s_out, s_err;
  CHECK(imgvisa::RunSchema("profiles", "", s_out, s_err) == 2);
  CHECK(imgvisa::RunSchema("rules", imgvisa::testing::SourcePath("tests/golden/load/types"), s_out,
                           s_err) == 3);
  CHECK(imgvisa::RunDocs("everything", "", s_out, s_err) == 2);
}

TEST_CASE("schema prints draft 2020-12 schemas that know the dictionary") {
  std::ostringstream out, err;
  REQUIRE(imgvisa::RunSchema("profile", "", out, err) == 0);
  auto profile = nlohmann::json::parse(out.str());
  CHECK(profile["$schema"] == "https://json-schema.org/draft/2020-12/schema");
  CHECK(profile["additionalProperties"] == false);
  CHECK(profile["properties"]["school"]["properties"].contains("country"));
  CHECK(profile["properties"]["usmle"]["properties"]["step1"]["properties"]["status"]["enum"]
            .back()
            .is_null());
  std::ostringstream rules_out;
  REQUIRE(imgvisa::RunSchema("rules", "", rules_out, err) == 0);
  auto rules = nlohmann::json::parse(rules_out.str());
  CHECK(rules["$defs"].contains("condition"));
  CHECK(rules["properties"].contains("pathway"));
}

TEST_CASE("a placeholder reads as the words of what it stands for") {
  CHECK(imgvisa::PlaceholderWords("offer.program_type", "The position you have been offered.") ==
        "offer program type");
  // Acronyms as the description writes them; an abbreviation the description spells out.
  CHECK(imgvisa::PlaceholderWords("usmle.step1.status", "Your USMLE Step 1 result so far.") ==
        "USMLE step1 status");
  CHECK(imgvisa::PlaceholderWords("son.country",
                                  "Country whose Ministry of Health issued your Statement of "
                                  "Need (the letter supporting your training).") ==
        "Statement of Need country");
  // Not every capitalised run of words is an expansion: "son" stays when nothing spells it.
  CHECK(imgvisa::PlaceholderWords("son.country", "Some Other words.") == "son country");
  CHECK(imgvisa::PlaceholderWords("months_apart", "") == "months apart");
  CHECK(imgvisa::PlaceholderWords("immigration.history[].end", "") == "immigration history end");
}

// The first raw template placeholder in `text`: `{name}` where name is one of `names` (a fact
// path or a `let`), or "" when there is none. Braces around other words are the set literals
// of conditions in compact form (`in {h1b}`), not placeholders.
std::string RawPlaceholder(const std::string& text, const std::set<std::string>& names) {
  for (std::size_t open = text.find('{'); open != std::string::npos;
       open = text.find('{', open + 1)) {
    const std::size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    if (names.count(text.substr(open + 1, close - open - 1))) {
      return text.substr(open, close - open + 1);
    }
  }
  return "";
}

TEST_CASE("explain never prints a raw placeholder, for any pathway, format or date") {
  auto load = imgvisa::LoadRuleSet(imgvisa::testing::SourcePath("rules"));
  REQUIRE(load.ok());
  std::set<std::string> names;
  for (const imgvisa::FactDecl& fact : load.rules->dictionary.facts()) names.insert(fact.path);
  for (const imgvisa::Pathway& pathway : load.rules->pathways) {
    for (const imgvisa::Item& item : pathway.items) {
      for (const auto& let : item.lets) names.insert(let.first);
    }
  }
  CHECK(RawPlaceholder("Your position: {offer.program_type}.", names) == "{offer.program_type}");
  CHECK(RawPlaceholder("some of offer.visa_sponsored in {h1b}", names).empty());
  for (const imgvisa::Pathway& pathway : load.rules->pathways) {
    for (const char* format : {"text", "markdown", "json"}) {
      for (bool all_versions : {false, true}) {
        imgvisa::ExplainOptions options;
        options.pathways = {pathway.id};
        options.format = format;
        options.all_versions = all_versions;
        options.as_of = all_versions ? "" : "2026-11-21";
        std::ostringstream out, err;
        CHECK(imgvisa::RunExplain(options, out, err) == 0);
        INFO(pathway.id << " --format " << format << (all_versions ? " --all-versions" : ""));
        CHECK(RawPlaceholder(out.str(), names).empty());
      }
    }
  }
  // docs/pathways.md is explain's markdown of every version: the same holds there.
  CHECK(RawPlaceholder(imgvisa::PathwaysDocument(*load.rules), names).empty());
}

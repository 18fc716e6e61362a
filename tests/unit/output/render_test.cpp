#include "imgvisa/output/render.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "imgvisa/cli/cmd_check.h"
#include "imgvisa/rules/rule_source.h"
#include "test_support.h"

using json = nlohmann::json;

namespace {

// The NDJSON record `check` writes for one example profile, as of a fixed date.
std::string Record(const std::string& example, const std::string& detail = "full") {
  imgvisa::CheckOptions options;
  options.inputs = {imgvisa::testing::SourcePath("examples/profiles/" + example)};
  options.as_of = "2026-11-21";
  options.format = "ndjson";
  options.detail = detail;
  return imgvisa::testing::RunCommand(imgvisa::RunCheck, options, "").out;
}

}  // namespace

TEST_CASE("a source's id is derived from what it cites, the same on every platform") {
  imgvisa::Source s;
  s.instrument = "Immigration and Nationality Act";
  s.section = "212(e)";
  s.url = "https://example.org/ina";
  s.verified = *imgvisa::ParseIsoDate("2026-01-10");
  const std::string id = imgvisa::SourceId(s);
  CHECK(id == "S2c1609c3");
  CHECK(id.size() == 9);
  imgvisa::Source other = s;
  other.section = "212(e)(iii)";
  CHECK(imgvisa::SourceId(other) != id);
  other = s;
  other.verified = *imgvisa::ParseIsoDate("2026-01-11");
  CHECK(imgvisa::SourceId(other) != id);
}

TEST_CASE("no two different sources of the rule set share an id") {
  imgvisa::RuleSetLoad load = imgvisa::LoadRuleSet("");
  REQUIRE(load.ok());
  std::map<std::string, imgvisa::Source> seen;
  for (const imgvisa::Pathway& p : load.rules->pathways) {
    for (const imgvisa::Item& item : p.items) {
      for (const imgvisa::Source& s : item.sources) {
        auto [it, inserted] = seen.emplace(imgvisa::SourceId(s), s);
        INFO(it->first << ": " << s.instrument << " / " << it->second.instrument);
        CHECK((inserted ||
               (it->second.instrument == s.instrument && it->second.section == s.section &&
                it->second.url == s.url && it->second.verified == s.verified)));
      }
    }
  }
  CHECK(seen.size() > 10);
}

TEST_CASE("a full record lists each cited source once, and its items name them by id") {
  const json record = json::parse(Record("step3-passer-h1b.json"));
  CHECK(record["format"] == 2);
  const json& sources = record["sources"];
  REQUIRE(sources.is_object());
  std::map<std::string, int> cited;
  for (const json& v : record["verdicts"]) {
    for (const json& item : v["items"]) {
      for (const json& id : item["sources"]) {
        REQUIRE(id.is_string());
        CHECK(sources.contains(id.get<std::string>()));
        ++cited[id.get<std::string>()];
      }
    }
    // A pathway that does not concern the person lists only the gates that exclude it.
    if (v["verdict"] == "not-applicable") CHECK(v["items"].size() == v["decisive"].size());
  }
  CHECK(cited.size() == sources.size());  // nothing listed that no item cites
  for (const auto& [id, s] : sources.items()) {
    CHECK(s.contains("instrument"));
    CHECK(s.contains("verified"));
  }
  // Several items cite the same source: listed once, named many times.
  CHECK(std::any_of(cited.begin(), cited.end(), [](const auto& c) { return c.second > 1; }));
}

TEST_CASE("the full record of step3-passer-h1b stays under its size bound") {
  // Sources listed once and pathways that do not concern the person cut to their gates keep
  // a full record small enough to handle whole; this guards against it growing back.
  const std::string record = Record("step3-passer-h1b.json");
  INFO("record of " << record.size() << " bytes");
  CHECK(record.size() <= 96 * 1024);
}

TEST_CASE("summary records carry next steps, compact") {
  const json record = json::parse(Record("first-questions.json", "summary"));
  CHECK(record["format"] == 2);
  CHECK_FALSE(record.contains("sources"));
  std::size_t plans = 0;
  for (const json& v : record["verdicts"]) {
    if (!v.contains("next_steps")) continue;
    for (const json& plan : v["next_steps"]) {
      ++plans;
      CHECK(plan.contains("result"));
      CHECK(plan.contains("lead_time_days"));
      for (const json& c : plan["changes"]) {
        CHECK(c.contains("fact"));
        CHECK(c.contains("to"));
        CHECK_FALSE(c.contains("step"));
      }
    }
  }
  CHECK(plans > 0);
}

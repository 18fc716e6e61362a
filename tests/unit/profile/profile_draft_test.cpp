#include "imgvisa/profile/profile_draft.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ask_rule_files.h"
#include "imgvisa/profile/facts_from_json.h"
#include "test_support.h"

using imgvisa::ProfileDraft;
using imgvisa::RuleSet;
using json = nlohmann::ordered_json;

TEST_CASE("a profile draft lists its facts in dictionary order, don't know as null") {
  RuleSet rules = imgvisa::testing::MustLoad(imgvisa::testing::AskRuleFiles());
  auto id = [&](const char* path) { return *rules.dictionary.Find(path); };
  ProfileDraft draft(rules.dictionary);
  CHECK(draft.Text() == "{}");
  draft.Set(id("countries"), json::array({"IN"}));
  draft.Set(id("exam"), nullptr);
  draft.Set(id("status"), "none");
  CHECK(draft.Text() ==
        "{\n  \"status\": \"none\",\n  \"exam\": null,\n  \"countries\": [\n"
        "    \"IN\"\n  ]\n}");
  // The same text the profile loader reads: null is absent.
  const imgvisa::Facts facts = draft.ToFacts();
  CHECK(facts.values[id("status")].known());
  CHECK_FALSE(facts.values[id("exam")].known());
  CHECK(facts.values[id("countries")].known());
  // An answer changed later replaces the earlier one in its place.
  draft.Set(id("exam"), true);
  CHECK(draft.ToJson() == json::parse(R"({"status": "none", "exam": true, "countries": ["IN"]})"));
}

TEST_CASE("a profile draft fills in the last record of a list, field by field") {
  RuleSet rules = imgvisa::testing::MustLoad(imgvisa::testing::AskRuleFiles());
  auto id = [&](const char* path) { return *rules.dictionary.Find(path); };
  const auto history = id("history");
  ProfileDraft draft(rules.dictionary);
  CHECK(draft.RecordCount(history) == 0);
  draft.Set(history, json::array());
  draft.AddRecord(history);
  draft.SetField(id("history[].kind"), "j1");
  draft.AddRecord(history);
  draft.SetField(id("history[].start"), "2015-01-01");
  draft.SetField(id("history[].kind"), nullptr);
  CHECK(draft.RecordCount(history) == 2);
  CHECK(draft.ToJson() ==
        json::parse(R"({"history": [{"kind": "j1"}, {"start": "2015-01-01", "kind": null}]})"));
  // A copy is a draft of its own: what the interview uses to weigh one more record.
  ProfileDraft more = draft;
  more.AddRecord(history);
  CHECK(more.RecordCount(history) == 3);
  CHECK(draft.RecordCount(history) == 2);
  CHECK(imgvisa::FactsFromJson(rules.dictionary, imgvisa::SourceFile("p", more.Text())).ok);
}

TEST_CASE("SetProfileValue nests a dotted path, replacing what is not an object on the way") {
  json profile = json::object();
  imgvisa::SetProfileValue(profile, "school.country", "IN");
  imgvisa::SetProfileValue(profile, "school.accreditor", "x");
  imgvisa::SetProfileValue(profile, "top", 1);
  CHECK(profile == json::parse(R"({"school": {"country": "IN", "accreditor": "x"}, "top": 1})"));
  imgvisa::SetProfileValue(profile, "top.inner", true);
  CHECK(profile["top"] == json::parse(R"({"inner": true})"));
}

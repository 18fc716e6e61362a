#include "imgvisa/profile/facts_from_json.h"

#include <catch2/catch.hpp>

#include "imgvisa/profile/facts_reader.h"
#include "test_support.h"

using imgvisa::FactsFromJson;
using imgvisa::SourceFile;
using imgvisa::Value;

namespace {

const char* kFacts = R"({
  "school.country": {"type": "string", "description": "d", "question": "q"},
  "school.accreditor": {"type": "enum", "values": ["lcme", "other"], "description": "d", "question": "q"},
  "oet.writing": {"type": "integer", "minimum": 0, "maximum": 500, "description": "d", "question": "q"},
  "graduation.date": {"type": "date", "description": "d", "question": "q"},
  "citizenship": {"type": "list", "items": {"type": "string"}, "description": "d", "question": "q"},
  "history": {"type": "list", "description": "d", "question": "q",
              "fields": {"category": {"type": "enum", "values": ["j1", "h1b"], "description": "d"},
                         "start": {"type": "date", "description": "d"}}}
})";

const char* kPathway =
    R"({"pathway": {"id": "p", "title": "t", "summary": "s", "sponsor": "x", "items": [
  {"id": "i", "kind": "note", "title": "t", "text": {"met": "m"}, "sources": [{"instrument": "x", "verified": "2026-01-01"}]}]}})";

std::string FirstError(const imgvisa::RuleSet& rules, const std::string& profile) {
  auto load = FactsFromJson(rules.dictionary, SourceFile("p.json", profile));
  if (load.ok) return "";
  return imgvisa::FormatDiagnosticLine(load.diagnostics.front());
}

}  // namespace

TEST_CASE("profile facts: absent and null are unknown, present values typed") {
  imgvisa::RuleSet rules =
      imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(kFacts, kPathway));
  auto load = FactsFromJson(
      rules.dictionary,
      SourceFile("p.json", R"({"$id": "a-7", "school": {"country": "IN", "accreditor": null},
    "graduation": {"date": "2024-06-30"}, "citizenship": ["IN", "GB"], "history": [{"category": "j1"}]})"));
  REQUIRE(load.ok);
  const auto& v = load.facts.values;
  CHECK(load.facts.id == "a-7");
  CHECK(v[*rules.dictionary.Find("school.country")].string == "IN");
  CHECK_FALSE(v[*rules.dictionary.Find("school.accreditor")].known());
  CHECK_FALSE(v[*rules.dictionary.Find("oet.writing")].known());
  CHECK(v[*rules.dictionary.Find("graduation.date")].date().ToString() == "2024-06-30");
  CHECK(v[*rules.dictionary.Find("citizenship")].list->size() == 2);
  const Value& history = v[*rules.dictionary.Find("history")];
  REQUIRE(history.records->size() == 1);
  CHECK((*history.records)[0][0].integer == 0);
  CHECK_FALSE((*history.records)[0][1].known());
}

TEST_CASE("profile errors name the fact, the place and a suggestion") {
  imgvisa::RuleSet rules =
      imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(kFacts, kPathway));
  CHECK(
      FirstError(rules, "{\n  \"school\": {\"contry\": \"IN\"}}") ==
      "p.json:2:14: error[E040]: unknown fact \"school.contry\"; did you mean \"school.country\"?");
  CHECK(FirstError(rules, R"({"shcool": {}})") ==
        "p.json:1:2: error[E040]: unknown fact \"shcool\"; did you mean \"school\"?");
  CHECK(FirstError(rules, R"({"school": {"accreditor": "lcm"}})") ==
        "p.json:1:27: error[E042]: school.accreditor must be one of lcme, other; got \"lcm\"; did "
        "you mean \"lcme\"?");
  CHECK(FirstError(rules, R"({"oet": {"writing": "300"}})") ==
        "p.json:1:21: error[E041]: oet.writing must be a whole number, not a string");
  CHECK(FirstError(rules, R"({"oet": {"writing": 300.5}})") ==
        "p.json:1:21: error[E041]: oet.writing must be a whole number, not 300.5");
  CHECK(FirstError(rules, R"({"oet": {"writing": 501}})") ==
        "p.json:1:21: error[E043]: oet.writing is 501, outside 0 to 500");
  // Integers outside int64 are refused by the parser itself (nlohmann would turn 2^64 into a
  // double, or -1 through get<int64_t>), before any fact is read.
  CHECK(FirstError(rules, R"({"oet": {"writing": 18446744073709551615}})") ==
        "p.json:1:21: error[E003]: integer 18446744073709551615 is outside the range -2^63 to "
        "2^63-1");
  CHECK(FirstError(rules, R"({"graduation": {"date": "2024-02-30"}})") ==
        "p.json:1:25: error[E044]: graduation.date must be a date YYYY-MM-DD, not \"2024-02-30\"");
  CHECK(
      FirstError(rules, R"({"history": [{"categry": "j1"}]})") ==
      "p.json:1:15: error[E040]: unknown field \"categry\" in history; did you mean \"category\"?");
  CHECK(FirstError(rules, "[1]") ==
        "p.json:1:1: error[E041]: a profile must be a JSON object, not an array");
  CHECK(FirstError(rules, R"({"school": "IN"})") ==
        "p.json:1:12: error[E041]: school must be an object holding country, accreditor, not a "
        "string");
}

TEST_CASE("every profile error is reported, not only the first") {
  imgvisa::RuleSet rules =
      imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(kFacts, kPathway));
  auto load = FactsFromJson(rules.dictionary,
                            SourceFile("p.json", R"({"a": 1, "b": 2, "oet": {"writing": true}})"));
  CHECK_FALSE(load.ok);
  CHECK(load.diagnostics.size() == 3);
}

namespace {

const char* kCountryFacts = R"({
  "school.country": {"type": "country", "description": "d", "question": "q"},
  "citizenship": {"type": "list", "items": {"type": "country"}, "description": "d", "question": "q"},
  "periods": {"type": "list", "description": "d", "question": "q",
              "fields": {"country": {"type": "country", "description": "d"}}}
})";

}  // namespace

TEST_CASE("a profile's country is exactly an upper-case ISO 3166-1 alpha-2 code, else E045") {
  imgvisa::RuleSet rules =
      imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(kCountryFacts, kPathway));
  auto load = FactsFromJson(
      rules.dictionary,
      SourceFile("p.json", R"({"school": {"country": "PR"}, "citizenship": ["NG", "GB"],
                               "periods": [{"country": "IN"}]})"));
  REQUIRE(load.ok);
  const auto& v = load.facts.values;
  CHECK(v[*rules.dictionary.Find("school.country")] == Value::String("PR"));
  CHECK(*v[*rules.dictionary.Find("citizenship")].list ==
        std::vector<Value>{Value::String("NG"), Value::String("GB")});
  CHECK((*v[*rules.dictionary.Find("periods")].records)[0][0] == Value::String("IN"));

  // A lower-case code is refused, never read as the country (nor as any other).
  CHECK(FirstError(rules, R"({"citizenship": ["ng"]})") ==
        "p.json:1:18: error[E045]: citizenship: \"ng\": country codes are upper case; did you "
        "mean \"NG\"?");
  CHECK(FirstError(rules, R"({"citizenship": ["Nigeria"]})") ==
        "p.json:1:18: error[E045]: citizenship: \"Nigeria\" is not an ISO 3166-1 alpha-2 country "
        "code; did you mean \"NG\"?");
  CHECK(FirstError(rules, R"({"citizenship": ["XX"]})") ==
        "p.json:1:18: error[E045]: citizenship: \"XX\" is not an ISO 3166-1 alpha-2 country code");
  CHECK(FirstError(rules, R"({"school": {"country": "2020-05-01"}})") ==
        "p.json:1:24: error[E045]: school.country: \"2020-05-01\" is not an ISO 3166-1 alpha-2 "
        "country code");
  CHECK(FirstError(rules, R"({"school": {"country": "NGA"}})") ==
        "p.json:1:24: error[E045]: school.country: \"NGA\" is not an ISO 3166-1 alpha-2 country "
        "code; did you mean \"NG\"?");
  CHECK(FirstError(rules, R"({"periods": [{"country": "india"}]})") ==
        "p.json:1:26: error[E045]: periods[].country: \"india\" is not an ISO 3166-1 alpha-2 "
        "country code; "
        "did you mean \"IN\"?");
  CHECK(FirstError(rules, R"({"school": {"country": 566}})") ==
        "p.json:1:24: error[E041]: school.country must be a country code such as \"IN\", not an "
        "integer");
  // Every bad country is reported, each at its place.
  auto bad = FactsFromJson(
      rules.dictionary, SourceFile("p.json", R"({"citizenship": ["IN", "ng", "Nigeria", "XX"]})"));
  CHECK_FALSE(bad.ok);
  REQUIRE(bad.diagnostics.size() == 3);
  CHECK(bad.diagnostics[0].position.column == 24);
  CHECK(bad.diagnostics[2].position.column == 41);
  for (const auto& d : bad.diagnostics) CHECK(d.code == "E045");
}

TEST_CASE("a profile keeps its first max_errors errors and counts the rest") {
  imgvisa::RuleSet rules =
      imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(kFacts, kPathway));
  // Unknown facts, an unknown field and a bad enum value: every kind that words a suggestion.
  std::string profile = R"({"school": {"accreditor": "lcm"}, "history": [{"categry": "j1"}])";
  for (int i = 0; i < 30; ++i) profile += ", \"unknown" + std::to_string(i) + "\": 1";
  profile += "}";
  const SourceFile file("p.json", profile);

  const auto all = FactsFromJson(rules.dictionary, file);
  CHECK_FALSE(all.ok);
  CHECK(all.diagnostics.size() == 32);
  CHECK(all.omitted_errors == 0);

  const auto capped = FactsFromJson(rules.dictionary, file, {}, 5);
  CHECK_FALSE(capped.ok);
  REQUIRE(capped.diagnostics.size() == 5);
  CHECK(capped.omitted_errors == 27);
  // The first five, in order, with their places, as without the limit.
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(imgvisa::FormatDiagnosticLine(capped.diagnostics[i]) ==
          imgvisa::FormatDiagnosticLine(all.diagnostics[i]));
  }

  // The fast reader hands such a profile to FactsFromJson with its limit.
  imgvisa::FactsReader reader(rules.dictionary, {}, 5);
  imgvisa::FactsLoad read;
  reader.Read(file, read);
  CHECK(read.diagnostics.size() == 5);
  CHECK(read.omitted_errors == 27);
  reader.Read(SourceFile("q.json", R"({"school": {"country": "IN"}})"), read);
  CHECK(read.ok);
  CHECK(read.omitted_errors == 0);  // nothing left from the profile before
}

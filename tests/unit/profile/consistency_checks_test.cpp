#include "imgvisa/profile/consistency_checks.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/rules/rule_source.h"
#include "test_support.h"

using imgvisa::ConsistencyChecks;
using imgvisa::FactConflict;
using imgvisa::FactsLoad;
using imgvisa::RuleSet;
using imgvisa::SourceFile;

namespace {

const RuleSet& Rules() { return *imgvisa::EmbeddedRuleSet(); }

struct Checked {
  FactsLoad load;
  std::vector<FactConflict> conflicts;
};

// Reads `profile`, finds its contradictions, clears their facts and locates them, as check does.
Checked Check(const std::string& profile) {
  const SourceFile file("p.json", profile);
  Checked c;
  c.load = imgvisa::FactsFromJson(Rules().dictionary, file);
  REQUIRE(c.load.ok);
  ConsistencyChecks(Rules().dictionary).Find(c.load.facts, c.conflicts);
  imgvisa::ClearConflictingFacts(c.conflicts, Rules().dictionary, c.load.facts);
  imgvisa::LocateFactConflicts(c.conflicts, Rules().dictionary, file);
  return c;
}

std::vector<std::string> Codes(const Checked& c) {
  std::vector<std::string> codes;
  for (const FactConflict& f : c.conflicts) codes.push_back(f.warning.code);
  return codes;
}

bool Known(const Checked& c, const std::string& path) {
  return c.load.facts.values[*Rules().dictionary.Find(path)].known();
}

}  // namespace

TEST_CASE("each consistency check: a contradiction is a located warning naming its facts") {
  struct Case {
    const char* code;
    std::string profile;
    std::vector<std::string> facts;  // as named in the warning, the located one first
    const char* at;                  // the text of the value the warning points at
  };
  const std::vector<Case> cases = {
      {"W002",
       R"({"offer": {"start": "2027-07-01",
                 "end": "2027-06-30"}})",
       {"offer.end", "offer.start"},
       "\"2027-06-30\""},
      {"W003",
       R"({"ecfmg": {"certificate": {"issued_on": "2024-01-10", "valid_until": "2023-01-10"}}})",
       {"ecfmg.certificate.valid_until", "ecfmg.certificate.issued_on"},
       "\"2023-01-10\""},
      {"W004",
       R"({"usmle": {"step1": {"date": "2024-05-01"}}, "ecfmg.certificate.issued_on": "2024-01-10"})",
       {"ecfmg.certificate.issued_on", "usmle.step1.date"},
       "\"2024-01-10\""},
      {"W005",
       R"({"usmle": {"step2ck": {"date": "2024-05-01"}}, "ecfmg": {"certificate": {"issued_on": "2024-01-10"}}})",
       {"ecfmg.certificate.issued_on", "usmle.step2ck.date"},
       "\"2024-01-10\""},
      {"W006",
       R"({"graduation": {"date": "2024-05-01"}, "ecfmg": {"certificate": {"issued_on": "2024-01-10"}}})",
       {"ecfmg.certificate.issued_on", "graduation.date"},
       "\"2024-01-10\""},
      {"W007",
       R"({"school": {"country": "EG"}, "usmle": {"step3": {"status": "passed", "date": "2025-06-01"}},
           "ecfmg": {"certificate": {"status": "not_issued"}}})",
       {"usmle.step3.status", "ecfmg.certificate.status", "usmle.step3.date"},
       "\"passed\""},
      {"W008",
       R"({"school": {"country": "EG"}, "usmle": {"step3": {"date": "2024-01-01"}},
           "ecfmg": {"certificate": {"issued_on": "2024-05-01"}}})",
       {"usmle.step3.date", "ecfmg.certificate.issued_on"},
       "\"2024-01-01\""},
      {"W009",
       R"({"graduation": {"date": "2024-05-01"}, "usmle": {"step3": {"date": "2024-01-01"}}})",
       {"usmle.step3.date", "graduation.date"},
       "\"2024-01-01\""},
      {"W010",
       R"({"graduation": {"date": "2024-05-01"}, "waiver": {"residency_end": "2024-01-01"}})",
       {"waiver.residency_end", "graduation.date"},
       "\"2024-01-01\""},
      {"W011",
       R"({"school": {"country": "CA"}, "ecfmg": {"certificate": {"status": "issued"}}})",
       {"ecfmg.certificate.status", "school.country"},
       "\"issued\""},
  };
  for (const Case& k : cases) {
    INFO(k.code);
    const Checked c = Check(k.profile);
    REQUIRE(Codes(c) == std::vector<std::string>{k.code});
    const FactConflict& f = c.conflicts.front();
    CHECK(f.fact_names == k.facts);
    CHECK(f.warning.severity == imgvisa::Severity::kWarning);
    CHECK(f.warning.file == "p.json");
    const std::size_t at = k.profile.find(k.at);
    const std::size_t line_start = k.profile.rfind('\n', at) + 1;  // 0 on the first line
    CHECK(f.warning.offset == at);
    CHECK(f.warning.position.line == 1 + static_cast<std::size_t>(std::count(
                                             k.profile.begin(), k.profile.begin() + at, '\n')));
    CHECK(f.warning.position.column == at - line_start + 1);
    CHECK(f.warning.message.find("treated as unknown") != std::string::npos);
    // Nothing is reasoned on what cannot all be true.
    for (const std::string& fact : k.facts) CHECK_FALSE(Known(c, fact));
  }
}

TEST_CASE("W001: periods that end before they start lose their dates, in one warning") {
  const Checked c = Check(R"({"immigration": {"history": [
    {"category": "j1_clinical", "start": "2021-07-01", "end": "2020-06-30"},
    {"category": "h1b", "start": "2022-07-01", "end": "2023-06-30"},
    {"category": "h1b", "start": "2024-07-01", "end": "2023-06-30"}]}})");
  REQUIRE(Codes(c) == std::vector<std::string>{"W001"});
  const FactConflict& f = c.conflicts.front();
  CHECK(f.fact_names ==
        std::vector<std::string>{"immigration.history[0].end", "immigration.history[0].start",
                                 "immigration.history[2].end", "immigration.history[2].start"});
  CHECK(f.warning.position.line == 2);
  CHECK(f.warning.position.column == 63);  // the first period's "end"
  CHECK(f.warning.message.find("1 more period") != std::string::npos);
  const auto& dictionary = Rules().dictionary;
  const auto history = *dictionary.Find("immigration.history");
  const auto& records = *c.load.facts.values[history].records;
  const std::size_t start = dictionary.at(*dictionary.FindField(history, "start")).field_index;
  const std::size_t end = dictionary.at(*dictionary.FindField(history, "end")).field_index;
  const std::size_t category =
      dictionary.at(*dictionary.FindField(history, "category")).field_index;
  CHECK_FALSE(records[0][start].known());
  CHECK_FALSE(records[0][end].known());
  CHECK(records[0][category].known());  // the record's other fields stay
  CHECK(records[1][start].known());     // and so does a period that is in order
  CHECK(records[1][end].known());
  CHECK_FALSE(records[2][start].known());
}

TEST_CASE("consistency checks: records are cleared in a copy, not in facts shared elsewhere") {
  const SourceFile file("p.json", R"({"immigration": {"history": [
    {"category": "h1b", "start": "2021-07-01", "end": "2020-06-30"}]}})");
  FactsLoad load = imgvisa::FactsFromJson(Rules().dictionary, file);
  REQUIRE(load.ok);
  const imgvisa::Facts before = load.facts;  // shares the records
  std::vector<FactConflict> conflicts;
  ConsistencyChecks(Rules().dictionary).Find(load.facts, conflicts);
  imgvisa::ClearConflictingFacts(conflicts, Rules().dictionary, load.facts);
  CHECK_FALSE(before.values == load.facts.values);
  std::vector<FactConflict> again;
  ConsistencyChecks(Rules().dictionary).Find(before, again);
  CHECK(again.size() == 1);  // the shared copy still holds the dates
}

TEST_CASE("consistency checks: no warning for dates in order, equal dates, or what is not known") {
  const std::vector<std::string> fine = {
      // In order, and equal (the same day is no contradiction).
      R"({"offer": {"start": "2027-07-01", "end": "2027-07-01"},
          "graduation": {"date": "2020-06-01"},
          "usmle": {"step1": {"date": "2019-01-01"}, "step2ck": {"date": "2020-06-01"},
                    "step3": {"status": "passed", "date": "2021-01-01"}},
          "school": {"country": "IN"},
          "ecfmg": {"certificate": {"status": "issued", "issued_on": "2020-06-01",
                                    "valid_until": "2027-01-01"}},
          "waiver": {"residency_end": "2024-06-30"},
          "immigration": {"history": [{"category": "h1b", "start": "2021-07-01",
                                       "end": "2021-07-01"}]}})",
      // Facts dated after the evaluation date are no contradiction: the checks compare facts
      // with each other, never with the date.
      R"({"usmle": {"step1": {"date": "2031-01-01"}}, "ecfmg": {"certificate": {"issued_on": "2032-01-01"}}})",
      // Step 3 without a certificate: a US or Canadian school, or a school not known, says
      // nothing (the rules' is_img).
      R"({"school": {"country": "US"}, "usmle": {"step3": {"status": "passed"}},
          "ecfmg": {"certificate": {"status": "not_issued"}}})",
      R"({"usmle": {"step3": {"status": "passed"}}, "ecfmg": {"certificate": {"status": "not_issued"}}})",
      R"({"school": {"country": "CA"}, "usmle": {"step3": {"date": "2024-01-01"}},
          "ecfmg": {"certificate": {"issued_on": "2024-05-01"}}})",
      // An expired certificate was issued: Step 3 after it is in order.
      R"({"school": {"country": "EG"}, "usmle": {"step3": {"status": "passed"}},
          "ecfmg": {"certificate": {"status": "expired"}}})",
      // One date of a pair unknown.
      R"({"offer": {"end": "2020-01-01"}, "immigration": {"history": [{"category": "h1b", "end": "2020-01-01"}]}})",
  };
  for (const std::string& p : fine) {
    INFO(p);
    CHECK(Codes(Check(p)).empty());
  }
  // Every example but the one written to show W007 is consistent.
  for (const std::string& line : imgvisa::testing::ExampleProfileLines()) {
    const Checked c = Check(line);
    const bool shows_w007 = line.find("step3-without-certificate") != std::string::npos;
    CHECK(Codes(c) == (shows_w007 ? std::vector<std::string>{"W007"} : std::vector<std::string>{}));
  }
}

TEST_CASE("consistency checks whose facts a rule set does not declare do not run") {
  const RuleSet tiny = imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(
      R"({"offer.start": {"type": "date", "description": "d", "question": "q"},
          "offer.end": {"type": "string", "description": "d", "question": "q"}})",
      R"({"pathway": {"id": "p", "title": "t", "summary": "s", "sponsor": "x", "items": [
        {"id": "i", "kind": "note", "title": "t", "text": {"met": "m"},
         "sources": [{"instrument": "x", "verified": "2026-01-01"}]}]}})"));
  FactsLoad load = imgvisa::FactsFromJson(
      tiny.dictionary,
      SourceFile("p.json", R"({"offer": {"start": "2027-07-01", "end": "2020"}})"));
  REQUIRE(load.ok);
  std::vector<FactConflict> conflicts;
  ConsistencyChecks(tiny.dictionary).Find(load.facts, conflicts);  // offer.end is no date here
  CHECK(conflicts.empty());
}

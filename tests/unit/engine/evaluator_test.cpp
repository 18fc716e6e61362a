#include "imgvisa/engine/evaluator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>

#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/rules/rule_source.h"
#include "test_support.h"

using imgvisa::Evaluate;
using imgvisa::FactId;
using imgvisa::FactsFromJson;
using imgvisa::Outcome;
using imgvisa::ParseIsoDate;
using imgvisa::RuleSet;
using imgvisa::SourceFile;
using imgvisa::VerdictKind;
using imgvisa::VerdictName;

namespace {

const char* kFacts = R"({
  "status": {"type": "enum", "values": ["citizen", "none"], "description": "d", "question": "Status?"},
  "exam": {"type": "bool", "description": "d", "question": "Passed the exam?"},
  "banned": {"type": "bool", "description": "d", "question": "Banned?"},
  "decided": {"type": "bool", "description": "d", "question": "Decided?"},
  "start": {"type": "date", "description": "d", "question": "Start?"},
  "history": {"type": "list", "description": "d", "question": "History?",
              "fields": {"kind": {"type": "enum", "values": ["j1", "h1b"], "description": "d"},
                         "start": {"type": "date", "description": "d"},
                         "end": {"type": "date", "description": "d"}}}
})";

std::string Source() {
  return R"("sources": [{"instrument": "Test Act", "verified": "2026-01-01"}])";
}

std::string Item(const std::string& id, const std::string& kind, const std::string& condition,
                 const std::string& extra = "") {
  return "{\"id\": \"" + id + "\", \"kind\": \"" + kind + "\", \"title\": \"" + id +
         "\", \"condition\": " + condition + ", \"text\": {\"met\": \"" + id +
         " met\", \"unmet\": \"" + id + " unmet\"}, " + Source() + extra + "}";
}

std::string Pathway(const std::string& id, const std::vector<std::string>& items,
                    const std::string& extra = "") {
  std::string list;
  for (const auto& i : items) list += (list.empty() ? "" : ",") + i;
  return "{\"pathway\": {\"id\": \"" + id +
         "\", \"title\": \"T\", \"summary\": \"S\", \"sponsor\": \"X\"" + extra + ", \"items\": [" +
         list + "]}}";
}

// A pathway that exercises every item kind.
RuleSet KindsRuleSet() {
  return imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(
      kFacts,
      Pathway("p", {Item("gate", "gate", R"({"eq": [{"fact": "status"}, "none"]})"),
                    Item("exam", "requirement", R"({"eq": [{"fact": "exam"}, true]})"),
                    Item("ban", "restriction", R"({"eq": [{"fact": "banned"}, false]})"),
                    Item("decision", "condition", R"({"eq": [{"fact": "decided"}, true]})")})));
}

VerdictKind VerdictOf(const RuleSet& rules, const std::string& profile,
                      const char* as_of = "2026-11-21") {
  auto facts = FactsFromJson(rules.dictionary, SourceFile("p.json", profile));
  REQUIRE(facts.ok);
  return Evaluate(rules, facts.facts, *ParseIsoDate(as_of))[0].kind;
}

// Every example profile, and each with every changeable fact set to its change (the trials a
// next-step plan evaluates).
std::vector<imgvisa::Facts> ExamplesAndTrials(const RuleSet& rules) {
  std::vector<imgvisa::Facts> profiles;
  for (const std::string& line : imgvisa::testing::ExampleProfileLines()) {
    auto load = FactsFromJson(rules.dictionary, SourceFile("p.json", line));
    REQUIRE(load.ok);
    profiles.push_back(load.facts);
    for (std::size_t f = 0; f < rules.dictionary.facts().size(); ++f) {
      const auto& change = rules.dictionary.facts()[f].change;
      if (!change) continue;
      imgvisa::Facts changed = load.facts;
      changed.values[f] = change->to;
      profiles.push_back(std::move(changed));
    }
  }
  return profiles;
}

}  // namespace

TEST_CASE("each verdict kind, by the precedence of the rule language") {
  RuleSet rules = KindsRuleSet();
  CHECK(VerdictOf(rules, R"({"status": "none", "exam": true, "banned": false, "decided": true})") ==
        VerdictKind::kEligible);
  CHECK(
      VerdictOf(rules, R"({"status": "none", "exam": true, "banned": false, "decided": false})") ==
      VerdictKind::kConditional);
  CHECK(VerdictOf(rules, R"({"status": "none", "exam": true, "banned": false})") ==
        VerdictKind::kConditional);
  CHECK(VerdictOf(rules, R"({"status": "none", "exam": true, "banned": true, "decided": true})") ==
        VerdictKind::kBlocked);
  CHECK(VerdictOf(rules, R"({"status": "none", "banned": true})") == VerdictKind::kBlocked);
  CHECK(VerdictOf(rules, R"({"status": "none", "exam": false, "banned": true})") ==
        VerdictKind::kIneligible);
  CHECK(VerdictOf(rules, R"({"status": "none", "exam": true, "decided": true})") ==
        VerdictKind::kUndetermined);
  CHECK(VerdictOf(rules, R"({"status": "citizen", "exam": false})") == VerdictKind::kNotApplicable);
  // An unknown gate leaves the pathway closed whichever way it falls when a requirement or a
  // restriction is unmet: not-applicable or closed, so ineligible (or blocked).
  CHECK(VerdictOf(rules, R"({"exam": false})") == VerdictKind::kIneligible);
  CHECK(VerdictOf(rules, R"({"exam": true, "banned": true})") == VerdictKind::kBlocked);
  CHECK(VerdictOf(rules, R"({"exam": true, "banned": false})") == VerdictKind::kUndetermined);
}

TEST_CASE("a verdict closed whichever way names the unmet item and the unknown ones apart") {
  RuleSet rules = KindsRuleSet();
  auto facts = FactsFromJson(rules.dictionary, SourceFile("p.json", R"({"exam": false})"));
  REQUIRE(facts.ok);
  auto verdicts = Evaluate(rules, facts.facts, *ParseIsoDate("2026-11-21"));
  const imgvisa::Verdict& v = verdicts[0];
  CHECK(v.kind == VerdictKind::kIneligible);
  REQUIRE(v.decisive.size() == 1);
  CHECK(rules.pathways[0].items[v.items[v.decisive[0]].item].id == "exam");
  // The gate and the restriction are unknown: they cannot open it, and are named as
  // "whichever way"; what they lack stays in the verdict's missing facts.
  std::vector<std::string> whichever;
  for (std::size_t i : v.whichever)
    whichever.push_back(rules.pathways[0].items[v.items[i].item].id);
  CHECK(whichever == std::vector<std::string>{"gate", "ban"});
  std::vector<std::string> missing;
  for (auto f : v.missing.facts) missing.push_back(rules.dictionary.at(f).path);
  CHECK(missing == std::vector<std::string>{"status", "banned", "decided"});
  CHECK(v.possible == (imgvisa::KindBit(VerdictKind::kIneligible) |
                       imgvisa::KindBit(VerdictKind::kNotApplicable)));
}

TEST_CASE("an undetermined verdict names the missing facts; not-applicable asks nothing") {
  RuleSet rules = KindsRuleSet();
  auto facts = FactsFromJson(rules.dictionary, SourceFile("p.json", R"({"status": "none"})"));
  auto verdicts = Evaluate(rules, facts.facts, *ParseIsoDate("2026-11-21"));
  std::vector<std::string> missing;
  for (auto f : verdicts[0].missing.facts) missing.push_back(rules.dictionary.at(f).path);
  CHECK(missing == std::vector<std::string>{"exam", "banned", "decided"});
  facts = FactsFromJson(rules.dictionary, SourceFile("p.json", R"({"status": "citizen"})"));
  verdicts = Evaluate(rules, facts.facts, *ParseIsoDate("2026-11-21"));
  CHECK(verdicts[0].kind == VerdictKind::kNotApplicable);
  CHECK(verdicts[0].missing.empty());
}

TEST_CASE("as-of on both sides of an effective date") {
  RuleSet rules = imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(
      kFacts, Pathway("p", {Item("old", "requirement", R"({"eq": [{"fact": "exam"}, true]})",
                                 R"(, "effective": {"until": "2021-07-01"})"),
                            Item("new", "requirement", R"({"eq": [{"fact": "banned"}, false]})",
                                 R"(, "effective": {"from": "2021-07-01"})")})));
  const char* profile = R"({"exam": true, "banned": true})";
  CHECK(VerdictOf(rules, profile, "2021-06-30") == VerdictKind::kEligible);
  CHECK(VerdictOf(rules, profile, "2021-07-01") == VerdictKind::kIneligible);
}

TEST_CASE("a pathway outside its effective range is not applicable") {
  RuleSet rules = imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(
      kFacts, Pathway("p", {Item("exam", "requirement", R"({"eq": [{"fact": "exam"}, true]})")},
                      R"(, "effective": {"from": "2020-09-02"})")));
  CHECK(VerdictOf(rules, R"({"exam": true})", "2020-09-01") == VerdictKind::kNotApplicable);
  CHECK(VerdictOf(rules, R"({"exam": true})", "2020-09-02") == VerdictKind::kEligible);
}

TEST_CASE("date arithmetic and sums over a list count months of status") {
  const std::string months =
      R"({"sum": {"list": "history", "where": {"eq": [{"field": "kind"}, "j1"]},
                  "of": {"months_between": [{"field": "start"}, {"coalesce": [{"field": "end"}, {"as_of": true}]}]}}})";
  RuleSet rules = imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(
      kFacts, Pathway("p", {Item("clock", "requirement", "{\"lt\": [" + months + ", 84]}",
                                 ", \"let\": {\"used\": " + months + "}")})));
  CHECK(VerdictOf(rules, R"({"history": [{"kind": "j1", "start": "2020-07-01", "end": "2025-06-30"},
                                         {"kind": "h1b", "start": "2015-01-01", "end": "2020-01-01"}]})") ==
        VerdictKind::kEligible);
  CHECK(VerdictOf(rules, R"({"history": [{"kind": "j1", "start": "2019-07-01", "end": "2024-06-30"},
                                         {"kind": "j1", "start": "2024-07-01"}]})") ==
        VerdictKind::kIneligible);
  CHECK(VerdictOf(rules, R"({"history": [{"kind": "j1"}]})") == VerdictKind::kUndetermined);
  CHECK(VerdictOf(rules, R"({})") == VerdictKind::kUndetermined);
  CHECK(VerdictOf(rules, R"({"history": []})") == VerdictKind::kEligible);
  auto facts = FactsFromJson(
      rules.dictionary,
      SourceFile("p.json",
                 R"({"history": [{"kind": "j1", "start": "2020-07-01", "end": "2025-07-01"}]})"));
  auto verdicts = Evaluate(rules, facts.facts, *ParseIsoDate("2026-11-21"));
  CHECK(verdicts[0].items[0].text == "clock met");
}

TEST_CASE("texts interpolate facts and let values, unknown as 'unknown'") {
  RuleSet rules = imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(
      kFacts, R"({"pathway": {"id": "p", "title": "T", "summary": "S", "sponsor": "X", "items": [
    {"id": "i", "kind": "requirement", "title": "t", "condition": {"eq": [{"fact": "exam"}, true]},
     "let": {"left": {"months_between": [{"as_of": true}, {"fact": "start"}]}},
     "text": {"met": "status {status}, {left} months to {start}, {{literal}", "unmet": "no"},
     "sources": [{"instrument": "x", "verified": "2026-01-01"}]}]}})"));
  auto facts = FactsFromJson(rules.dictionary,
                             SourceFile("p.json", R"({"exam": true, "start": "2027-07-01"})"));
  auto verdicts = Evaluate(rules, facts.facts, *ParseIsoDate("2026-11-21"));
  CHECK(verdicts[0].items[0].text == "status unknown, 7 months to 2027-07-01, {literal}");
}

TEST_CASE("references to another pathway's verdict and item are three-valued") {
  std::vector<SourceFile> files = imgvisa::testing::TinyRuleSet(
      kFacts,
      Pathway("base", {Item("exam", "requirement", R"({"eq": [{"fact": "exam"}, true]})")}));
  files.emplace_back(
      "user.json",
      Pathway("user",
              {Item("needs-base", "requirement", R"({"pathway": "base", "is": ["eligible"]})"),
               Item("exam-item", "requirement", R"({"item": "base/exam", "is": ["met"]})")}));
  RuleSet rules = imgvisa::testing::MustLoad(std::move(files));
  auto user = *rules.FindPathway("user");
  auto run = [&](const char* profile) {
    auto facts = FactsFromJson(rules.dictionary, SourceFile("p.json", profile));
    return Evaluate(rules, facts.facts, *ParseIsoDate("2026-11-21"))[user];
  };
  CHECK(run(R"({"exam": true})").kind == VerdictKind::kEligible);
  CHECK(run(R"({"exam": false})").kind == VerdictKind::kIneligible);
  auto unknown = run(R"({})");
  CHECK(unknown.kind == VerdictKind::kUndetermined);
  CHECK(imgvisa::testing::Ids(unknown.missing.facts) ==
        std::vector<std::uint16_t>{*rules.dictionary.Find("exam")});
}

TEST_CASE("an unsettled point makes the verdict undetermined with its reason") {
  RuleSet rules = imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(
      kFacts,
      Pathway(
          "p",
          {Item(
              "open", "requirement",
              R"({"any": [{"eq": [{"fact": "exam"}, true]}, {"unsettled": {"id": "oq-1", "reason": "Nobody knows.", "decides": "DOS"}}]})")})));
  auto facts = FactsFromJson(rules.dictionary, SourceFile("p.json", R"({"exam": false})"));
  auto v = Evaluate(rules, facts.facts, *ParseIsoDate("2026-11-21"))[0];
  CHECK(v.kind == VerdictKind::kUndetermined);
  CHECK(v.missing.facts.empty());
  REQUIRE(v.missing.unsettled.size() == 1);
  CHECK(rules.unsettled[*v.missing.unsettled.begin()].decides == "DOS");
  CHECK(VerdictOf(rules, R"({"exam": true})") == VerdictKind::kEligible);
}

TEST_CASE("in over a list fact: one of its elements, unknown while either side is") {
  const char* facts = R"({
    "home": {"type": "string", "description": "d", "question": "Home?"},
    "nations": {"type": "list", "items": {"type": "string"}, "description": "d", "question": "Nations?"}
  })";
  const RuleSet rules = imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(
      facts, Pathway("p", {Item("home-is-a-nation", "requirement",
                                R"({"in": [{"fact": "home"}, {"fact": "nations"}]})")})));
  CHECK(VerdictOf(rules, R"({"home": "IN", "nations": ["GB", "IN"]})") == VerdictKind::kEligible);
  CHECK(VerdictOf(rules, R"({"home": "IN", "nations": ["GB"]})") == VerdictKind::kIneligible);
  CHECK(VerdictOf(rules, R"({"home": "IN", "nations": []})") == VerdictKind::kIneligible);
  CHECK(VerdictOf(rules, R"({"home": "I", "nations": ["IN"]})") == VerdictKind::kIneligible);
  const auto missing = [&](const std::string& profile) {
    auto f = FactsFromJson(rules.dictionary, SourceFile("p.json", profile));
    REQUIRE(f.ok);
    const auto v = Evaluate(rules, f.facts, *ParseIsoDate("2026-11-21"))[0];
    CHECK(v.kind == VerdictKind::kUndetermined);
    return imgvisa::testing::Ids(v.missing.facts);
  };
  const std::uint16_t home = *rules.dictionary.Find("home");
  const std::uint16_t nations = *rules.dictionary.Find("nations");
  CHECK(missing(R"({"nations": ["IN"]})") == std::vector<std::uint16_t>{home});
  CHECK(missing(R"({"home": "IN"})") == std::vector<std::uint16_t>{nations});
  std::vector<std::uint16_t> both = {home, nations};
  std::sort(both.begin(), both.end());
  CHECK(missing("{}") == both);
}

TEST_CASE("some and every over records are Kleene OR and AND") {
  RuleSet rules = imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(
      kFacts,
      Pathway(
          "p",
          {Item(
              "no-j1", "requirement",
              R"({"not": {"some": {"list": "history", "where": {"eq": [{"field": "kind"}, "j1"]}}}})")})));
  CHECK(VerdictOf(rules, R"({"history": [{"kind": "h1b"}]})") == VerdictKind::kEligible);
  CHECK(VerdictOf(rules, R"({"history": [{"kind": "h1b"}, {"kind": "j1"}]})") ==
        VerdictKind::kIneligible);
  CHECK(VerdictOf(rules, R"({"history": [{}, {"kind": "j1"}]})") == VerdictKind::kIneligible);
  CHECK(VerdictOf(rules, R"({"history": [{}, {"kind": "h1b"}]})") == VerdictKind::kUndetermined);
}

TEST_CASE("disjoint: counted periods that overlap, a shared boundary day is no overlap") {
  RuleSet rules = imgvisa::testing::MustLoad(
      imgvisa::testing::TinyRuleSet(kFacts, Pathway("p", {Item("apart", "requirement",
                                                               R"({"disjoint": {"list": "history",
                                          "where": {"eq": [{"field": "kind"}, "h1b"]},
                                          "from": {"field": "start"},
                                          "to": {"coalesce": [{"field": "end"}, {"as_of": true}]}}})")})));
  const auto verdict = [&](const std::string& history) {
    return VerdictOf(rules, R"({"history": )" + history + "}");
  };
  CHECK(verdict("[]") == VerdictKind::kEligible);
  CHECK(verdict(R"([{"kind": "h1b", "start": "2020-01-01", "end": "2021-06-30"},
                    {"kind": "h1b", "start": "2021-01-01", "end": "2022-06-30"}])") ==
        VerdictKind::kIneligible);
  // Order does not matter; nor does containment.
  CHECK(verdict(R"([{"kind": "h1b", "start": "2021-03-01", "end": "2021-04-30"},
                    {"kind": "h1b", "start": "2020-01-01", "end": "2022-06-30"}])") ==
        VerdictKind::kIneligible);
  CHECK(verdict(R"([{"kind": "h1b", "start": "2020-01-01", "end": "2021-06-30"},
                    {"kind": "h1b", "start": "2021-06-30", "end": "2022-06-30"}])") ==
        VerdictKind::kEligible);
  // Only counted records: a J-1 period inside an H-1B one is not the filter's business.
  CHECK(verdict(R"([{"kind": "h1b", "start": "2020-01-01", "end": "2022-06-30"},
                    {"kind": "j1", "start": "2021-01-01", "end": "2021-06-30"}])") ==
        VerdictKind::kEligible);
  // An open period runs to the evaluation date (2026-11-21).
  CHECK(verdict(R"([{"kind": "h1b", "start": "2020-01-01"},
                    {"kind": "h1b", "start": "2026-01-01", "end": "2026-02-01"}])") ==
        VerdictKind::kIneligible);
  // Unknown where a counted record's dates or a record's kind are, unless two known ones overlap.
  CHECK(verdict(R"([{"kind": "h1b", "end": "2021-06-30"},
                    {"kind": "h1b", "start": "2022-01-01", "end": "2022-06-30"}])") ==
        VerdictKind::kUndetermined);
  CHECK(verdict(R"([{"start": "2019-01-01", "end": "2019-06-30"},
                    {"kind": "h1b", "start": "2022-01-01", "end": "2022-06-30"}])") ==
        VerdictKind::kUndetermined);
  CHECK(verdict(R"([{"kind": "h1b", "end": "2021-06-30"},
                    {"kind": "h1b", "start": "2022-01-01", "end": "2022-06-30"},
                    {"kind": "h1b", "start": "2022-03-01", "end": "2022-04-30"}])") ==
        VerdictKind::kIneligible);
  auto f =
      FactsFromJson(rules.dictionary, SourceFile("p.json", R"({"history": [{"kind": "h1b"}]})"));
  REQUIRE(f.ok);
  const auto v = Evaluate(rules, f.facts, *ParseIsoDate("2026-11-21"))[0];
  CHECK(v.kind == VerdictKind::kUndetermined);
  CHECK(imgvisa::testing::Ids(v.missing.facts) ==
        std::vector<std::uint16_t>{*rules.dictionary.Find("history[].start")});
  CHECK(VerdictOf(rules, "{}") == VerdictKind::kUndetermined);
  // A longer history: one year each, then one inside the twentieth.
  std::string many = "[";
  for (int year = 2000; year < 2020; ++year) {
    many +=
        fmt::format(R"({{"kind": "h1b", "start": "{}-01-01", "end": "{}-12-31"}},)", year, year);
  }
  CHECK(verdict(many + R"({"kind": "j1", "start": "2019-05-01", "end": "2019-05-31"}])") ==
        VerdictKind::kEligible);
  CHECK(verdict(many + R"({"kind": "h1b", "start": "2019-05-01", "end": "2019-05-31"}])") ==
        VerdictKind::kIneligible);
}

TEST_CASE("verdict names are the documented contract") {
  CHECK(VerdictName(VerdictKind::kEligible) == "eligible");
  CHECK(VerdictName(VerdictKind::kConditional) == "conditional");
  CHECK(VerdictName(VerdictKind::kBlocked) == "blocked");
  CHECK(VerdictName(VerdictKind::kIneligible) == "ineligible");
  CHECK(VerdictName(VerdictKind::kUndetermined) == "undetermined");
  CHECK(VerdictName(VerdictKind::kNotApplicable) == "not-applicable");
}

TEST_CASE(
    "within: every element listed; a dual national with one unlisted passport is not within") {
  const char* facts =
      R"({"citizenship": {"type": "list", "items": {"type": "string"}, "description": "d", "question": "q"}})";
  RuleSet rules = imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(
      facts,
      Pathway("p", {Item("clear", "restriction",
                         R"({"not": {"within": [{"fact": "citizenship"}, ["NG", "IR"]]}})")})));
  CHECK(VerdictOf(rules, R"({"citizenship": ["NG"]})") == VerdictKind::kBlocked);
  CHECK(VerdictOf(rules, R"({"citizenship": ["NG", "IR"]})") == VerdictKind::kBlocked);
  CHECK(VerdictOf(rules, R"({"citizenship": ["NG", "GB"]})") == VerdictKind::kEligible);
  CHECK(VerdictOf(rules, R"({"citizenship": []})") == VerdictKind::kEligible);
  CHECK(VerdictOf(rules, R"({})") == VerdictKind::kUndetermined);
}

TEST_CASE("evaluating only what a pathway needs gives that pathway's full-evaluation verdict") {
  // What next-step planning relies on, over the shipped rules and the trials a plan makes.
  const RuleSet& rules = *imgvisa::EmbeddedRuleSet();
  const auto as_of = *ParseIsoDate("2026-11-21");
  const std::vector<imgvisa::Facts> profiles = ExamplesAndTrials(rules);
  REQUIRE(profiles.size() > 50);
  std::size_t narrower = 0;
  for (std::size_t p = 0; p < rules.pathways.size(); ++p) {
    const std::vector<char> needed = imgvisa::PathwaysNeededBy(rules, p);
    CHECK(needed[p] == 1);
    if (std::count(needed.begin(), needed.end(), 1) < static_cast<long>(needed.size())) ++narrower;
    const imgvisa::EvaluateOptions only{.texts = false, .only = &needed};
    for (const imgvisa::Facts& facts : profiles) {
      const auto full = Evaluate(rules, facts, as_of)[p];
      const auto part = Evaluate(rules, facts, as_of, only)[p];
      INFO(rules.pathways[p].id);
      REQUIRE(part.kind == full.kind);
      CHECK(part.decisive == full.decisive);
      CHECK(part.missing.facts == full.missing.facts);
      REQUIRE(part.items.size() == full.items.size());
      for (std::size_t i = 0; i < part.items.size(); ++i) {
        CHECK(part.items[i].status == full.items[i].status);
      }
    }
  }
  CHECK(narrower > 0);  // the option does skip something
}

namespace {

// Every member of two verdicts of the same pathway.
void CheckSameVerdict(const imgvisa::Verdict& got, const imgvisa::Verdict& want) {
  CHECK(got.pathway == want.pathway);
  REQUIRE(VerdictName(got.kind) == VerdictName(want.kind));
  CHECK(got.in_force == want.in_force);
  CHECK(got.decisive == want.decisive);
  CHECK(got.missing.facts == want.missing.facts);
  CHECK(got.missing.unsettled == want.missing.unsettled);
  REQUIRE(got.items.size() == want.items.size());
  for (std::size_t i = 0; i < got.items.size(); ++i) {
    CHECK(got.items[i].item == want.items[i].item);
    CHECK(got.items[i].status == want.items[i].status);
    CHECK(got.items[i].missing.facts == want.items[i].missing.facts);
    CHECK(got.items[i].missing.unsettled == want.items[i].missing.unsettled);
    CHECK(got.items[i].text == want.items[i].text);
    CHECK(got.items[i].shown == want.items[i].shown);
  }
}

}  // namespace

TEST_CASE("an Evaluator used for profile after profile gives what a fresh one gives") {
  // It keeps its memory and the verdicts' storage between evaluations; nothing of one profile,
  // date or option may leak into the next.
  const RuleSet& rules = *imgvisa::EmbeddedRuleSet();
  std::vector<imgvisa::Facts> profiles;
  for (const std::string& line : imgvisa::testing::ExampleProfileLines()) {
    auto load = FactsFromJson(rules.dictionary, SourceFile("p.json", line));
    REQUIRE(load.ok);
    profiles.push_back(load.facts);
  }
  profiles.push_back(imgvisa::Facts{std::vector<imgvisa::Value>(rules.dictionary.facts().size()),
                                    "nothing known"});
  const std::vector<char> h1b_needs = imgvisa::PathwaysNeededBy(rules, *rules.FindPathway("h1b"));
  const std::vector<imgvisa::EvaluateOptions> options = {
      {},
      {.texts = false},
      {.texts = false, .only = &h1b_needs},
      {.texts = false, .deciding_only = true},
      {.texts = false, .only = &h1b_needs, .deciding_only = true}};
  // Dates on both sides of dated changes in the rules, so items and pathways come into and go
  // out of force between one evaluation and the next.
  const std::vector<imgvisa::Date> dates = {
      *ParseIsoDate("2026-11-21"), *ParseIsoDate("2024-01-01"), *ParseIsoDate("2026-01-15"),
      *ParseIsoDate("2019-06-01")};
  imgvisa::Evaluator evaluator(rules);
  std::vector<imgvisa::Verdict> reused;
  std::size_t round = 0;
  for (const imgvisa::Date date : dates) {
    for (const imgvisa::EvaluateOptions& option : options) {
      for (std::size_t k = 0; k < profiles.size(); ++k) {
        // Profiles in a different order each round.
        const imgvisa::Facts& facts = profiles[(k * 7 + round) % profiles.size()];
        ++round;
        evaluator.Evaluate(facts, date, option, reused);
        const auto fresh = Evaluate(rules, facts, date, option);
        INFO(facts.id << " as of " << date.ToString());
        REQUIRE(reused.size() == fresh.size());
        for (std::size_t p = 0; p < fresh.size(); ++p) {
          if (option.only && !(*option.only)[p]) {  // left as nothing evaluated
            CHECK(reused[p].items.empty());
            continue;
          }
          INFO(rules.pathways[p].id);
          CheckSameVerdict(reused[p], fresh[p]);
        }
      }
    }
  }
}

namespace {

// The strings of the sets that conditions test fact `id` (or its elements) against, and
// strings near them: a member with a byte more or less, and strings around the 7 bytes that
// short-string sets hold.
std::vector<std::string> StringsToTry(const RuleSet& rules, FactId id) {
  std::vector<std::string> strings = {"", "ABCDEFG", "ABCDEFGH", std::string("A\0", 2)};
  for (const imgvisa::CondNode& c : rules.conditions) {
    if (c.op != imgvisa::CondOp::kIn && c.op != imgvisa::CondOp::kOverlaps &&
        c.op != imgvisa::CondOp::kWithin) {
      continue;
    }
    const imgvisa::ExprNode& lhs = rules.expressions[static_cast<std::size_t>(c.lhs)];
    if ((lhs.op != imgvisa::ExprOp::kFact && lhs.op != imgvisa::ExprOp::kField) || lhs.fact != id) {
      continue;
    }
    for (const imgvisa::Value& member : c.set) {
      if (member.kind != imgvisa::Value::Kind::kString) continue;
      strings.push_back(member.string);
      strings.push_back(member.string + "X");
      if (!member.string.empty()) strings.push_back(member.string.substr(1));
    }
  }
  std::sort(strings.begin(), strings.end());
  strings.erase(std::unique(strings.begin(), strings.end()), strings.end());
  return strings;
}

// Values fact `id` may take, for trying each in turn: unknown, a spread over its type
// (every enum value, both booleans, small and large numbers, dates years apart, the strings of
// StringsToTry, lists of them), and each integer-like literal the rules compare it with, with
// its neighbours on either side.
std::vector<imgvisa::Value> ValuesToTry(const RuleSet& rules, FactId id) {
  using imgvisa::Value;
  const imgvisa::FactDecl& decl = rules.dictionary.at(id);
  std::vector<Value> values = {Value()};
  for (const imgvisa::CondNode& c : rules.conditions) {
    if (c.op != imgvisa::CondOp::kCompare) continue;
    const imgvisa::ExprNode& lhs = rules.expressions[static_cast<std::size_t>(c.lhs)];
    const imgvisa::ExprNode& rhs = rules.expressions[static_cast<std::size_t>(c.rhs)];
    if ((lhs.op != imgvisa::ExprOp::kFact && lhs.op != imgvisa::ExprOp::kField) || lhs.fact != id ||
        rhs.op != imgvisa::ExprOp::kLiteral) {
      continue;
    }
    const Value& literal = rhs.literal;
    if (literal.kind != Value::Kind::kInteger && literal.kind != Value::Kind::kDate) continue;
    for (std::int64_t d : {-1, 0, 1}) {
      Value v = literal;
      v.integer += d;
      values.push_back(v);
    }
  }
  switch (decl.type) {
    case imgvisa::ValueType::kBool:
      values.push_back(Value::Bool(false));
      values.push_back(Value::Bool(true));
      break;
    case imgvisa::ValueType::kInteger:
      for (std::int64_t i : {0, 1, 2, 3, 5, 100}) values.push_back(Value::Integer(i));
      break;
    case imgvisa::ValueType::kNumber:
      for (double d : {0.0, 0.5, 1.0, 7.5, 250.0}) values.push_back(Value::Number(d));
      break;
    case imgvisa::ValueType::kEnum:
      for (std::size_t i = 0; i < decl.values.size(); ++i) {
        values.push_back(Value::Enum(static_cast<std::int64_t>(i)));
      }
      break;
    case imgvisa::ValueType::kDate:
      for (const char* d : {"2010-01-01", "2019-07-01", "2025-09-21", "2026-06-30", "2030-01-01"}) {
        values.push_back(Value::OfDate(*ParseIsoDate(d)));
      }
      break;
    case imgvisa::ValueType::kString:
      for (const std::string& text : StringsToTry(rules, id)) values.push_back(Value::String(text));
      break;
    case imgvisa::ValueType::kList: {
      // Elements: the strings to try, or each enum value; then lists of none, one, and a
      // member beside each of the others on either side.
      std::vector<Value> elements;
      if (decl.item_type == imgvisa::ValueType::kString) {
        for (const std::string& text : StringsToTry(rules, id)) {
          elements.push_back(Value::String(text));
        }
      } else if (decl.item_type == imgvisa::ValueType::kEnum) {
        for (std::size_t i = 0; i < decl.values.size(); ++i) {
          elements.push_back(Value::Enum(static_cast<std::int64_t>(i)));
        }
      }
      if (!decl.item_type || elements.empty()) break;
      auto list_of = [](std::vector<Value> items) {
        Value v;
        v.kind = Value::Kind::kList;
        v.list = std::make_shared<const std::vector<Value>>(std::move(items));
        return v;
      };
      values.push_back(list_of({}));
      for (const Value& e : elements) {
        values.push_back(list_of({e}));
        values.push_back(list_of({elements.back(), e}));
        values.push_back(list_of({e, elements.back()}));
      }
      break;
    }
    default:
      break;
  }
  return values;
}

// Each example profile with each of its facts, and each field of its records, given each of
// ValuesToTry in turn.
std::vector<imgvisa::Facts> ExamplesVaried(const RuleSet& rules) {
  std::vector<imgvisa::Facts> profiles;
  for (const std::string& line : imgvisa::testing::ExampleProfileLines()) {
    auto load = FactsFromJson(rules.dictionary, SourceFile("p.json", line));
    REQUIRE(load.ok);
    const imgvisa::Facts& base = load.facts;
    profiles.push_back(base);
    for (std::size_t f = 0; f < rules.dictionary.facts().size(); ++f) {
      const imgvisa::FactDecl& decl = rules.dictionary.facts()[f];
      if (decl.list) continue;  // a field: varied inside its records below
      if (decl.is_record_list()) {
        const imgvisa::Value& list = base.values[f];
        if (!list.known() || list.records->empty()) continue;
        for (FactId field : decl.fields) {
          const imgvisa::FactDecl& field_decl = rules.dictionary.at(field);
          for (const imgvisa::Value& v : ValuesToTry(rules, field)) {
            auto records = std::make_shared<std::vector<imgvisa::Value::Record>>(*list.records);
            (*records)[0][field_decl.field_index] = v;
            imgvisa::Facts changed = base;
            changed.values[f].records = std::move(records);
            profiles.push_back(std::move(changed));
          }
        }
        continue;
      }
      for (const imgvisa::Value& v : ValuesToTry(rules, static_cast<FactId>(f))) {
        imgvisa::Facts changed = base;
        changed.values[f] = v;
        profiles.push_back(std::move(changed));
      }
    }
  }
  return profiles;
}

}  // namespace

TEST_CASE("the embedded rule set restored from its image is the set read from rules/") {
  const RuleSet& embedded = *imgvisa::EmbeddedRuleSet();
  const imgvisa::RuleSetLoad json =
      imgvisa::LoadRuleSet(imgvisa::testing::SourcePath("rules"), /*positions=*/false);
  REQUIRE(json.ok());
  CHECK(json.rules->conditions == embedded.conditions);
  CHECK(json.rules->expressions == embedded.expressions);
  CHECK(json.rules->pathways == embedded.pathways);
}

TEST_CASE("the specialised steps give what the tree walk gives") {
  const RuleSet& rules = *imgvisa::EmbeddedRuleSet();
  const std::vector<imgvisa::Facts> profiles = ExamplesVaried(rules);
  REQUIRE(profiles.size() > 1000);
  imgvisa::Evaluator steps(rules);
  imgvisa::Evaluator tree(rules, imgvisa::Evaluator::Dispatch::kTree);
  std::vector<imgvisa::Verdict> got, want;
#ifdef IMGVISA_SANITIZED
  // One date under the sanitizers, which run this test ten times slower (CI's time limit).
  const std::vector<const char*> dates = {"2026-11-21"};
#else
  const std::vector<const char*> dates = {"2026-11-21", "2019-06-30"};
#endif
  for (const char* date : dates) {
    const auto as_of = *ParseIsoDate(date);
    for (const imgvisa::EvaluateOptions& options :
         {imgvisa::EvaluateOptions{},
          imgvisa::EvaluateOptions{.texts = false, .deciding_only = true}}) {
      for (const imgvisa::Facts& facts : profiles) {
        steps.Evaluate(facts, as_of, options, got);
        tree.Evaluate(facts, as_of, options, want);
        REQUIRE(got.size() == want.size());
        for (std::size_t p = 0; p < got.size(); ++p) {
          INFO(rules.pathways[p].id << " as of " << date);
          CheckSameVerdict(got[p], want[p]);
        }
      }
    }
  }
}

// Evaluates profiles of a small rule set's one pathway with the specialised steps and with the
// tree walk, and checks that they agree; counts the item outcomes seen, so that a test can
// check it reached each of them.
class DispatchComparison {
 public:
  explicit DispatchComparison(const RuleSet& rules)
      : rules_(rules), specialised_(rules), tree_(rules, imgvisa::Evaluator::Dispatch::kTree) {}

  void Check(const std::string& profile) {
    INFO(profile);
    auto load = FactsFromJson(rules_.dictionary, SourceFile("p.json", profile));
    REQUIRE(load.ok);
    const auto as_of = *ParseIsoDate("2026-11-21");
    specialised_.Evaluate(load.facts, as_of, {}, got_);
    tree_.Evaluate(load.facts, as_of, {}, want_);
    CheckSameVerdict(got_[0], want_[0]);
    for (const imgvisa::ItemResult& r : got_[0].items) ++seen_[static_cast<int>(r.status)];
  }
  void CheckEveryOutcomeSeen() const {
    CHECK(seen_[static_cast<int>(Outcome::kMet)] > 0);
    CHECK(seen_[static_cast<int>(Outcome::kUnmet)] > 0);
    CHECK(seen_[static_cast<int>(Outcome::kUnknown)] > 0);
  }

 private:
  const RuleSet& rules_;
  imgvisa::Evaluator specialised_;
  imgvisa::Evaluator tree_;
  std::vector<imgvisa::Verdict> got_, want_;
  std::array<std::size_t, 3> seen_{};
};

TEST_CASE("each specialised comparison agrees with the tree walk on and around its literal") {
  std::vector<std::string> items;
  for (const char* op : {"eq", "ne", "lt", "le", "gt", "ge"}) {
    items.push_back(Item(std::string("fact-") + op, "requirement",
                         std::string("{\"") + op + "\": [{\"fact\": \"start\"}, \"2026-01-01\"]}"));
    items.push_back(Item(std::string("field-") + op, "requirement",
                         std::string(R"({"some": {"list": "history", "where": {")") + op +
                             R"(": [{"field": "start"}, "2026-01-01"]}}})"));
    if (std::string_view(op) != "eq" && std::string_view(op) != "ne") continue;  // booleans
    items.push_back(Item(std::string("bool-") + op, "requirement",
                         std::string("{\"") + op + "\": [{\"fact\": \"exam\"}, true]}"));
  }
  items.push_back(Item("in", "requirement", R"({"in": [{"fact": "status"}, ["none"]]})"));
  items.push_back(Item("exists", "requirement", R"({"exists": {"fact": "start"}})"));
  const RuleSet rules =
      imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(kFacts, Pathway("p", items)));
  DispatchComparison compare(rules);
  for (const char* start : {"", "2025-12-31", "2026-01-01", "2026-01-02"}) {
    for (const char* exam : {"", "true", "false"}) {
      for (const char* status : {"", "citizen", "none"}) {
        std::string profile = "{";
        auto add = [&](const std::string& member) {
          profile += (profile.size() > 1 ? "," : "") + member;
        };
        if (*start) add(std::string("\"start\": \"") + start + "\"");
        if (*exam) add(std::string("\"exam\": ") + exam);
        if (*status) add(std::string("\"status\": \"") + status + "\"");
        if (*start) add(std::string(R"("history": [{"kind": "j1", "start": ")") + start + "\"}]");
        profile += "}";
        compare.Check(profile);
      }
    }
  }
  compare.CheckEveryOutcomeSeen();
}

TEST_CASE("each specialised set test agrees with the tree walk on members and near misses") {
  const char* facts = R"({
    "country": {"type": "string", "description": "d", "question": "Country?"},
    "nations": {"type": "list", "items": {"type": "string"}, "description": "d", "question": "Nations?"},
    "visas": {"type": "list", "items": {"type": "enum", "values": ["j1", "h1b", "o1"]}, "description": "d", "question": "Visas?"},
    "history": {"type": "list", "description": "d", "question": "History?",
                "fields": {"kind": {"type": "enum", "values": ["j1", "h1b"], "description": "d"},
                           "place": {"type": "string", "description": "d"}}}
  })";
  const std::vector<std::string> items = {
      Item("in", "requirement", R"({"in": [{"fact": "country"}, ["US", "CA", "ABCDEFG"]]})"),
      Item("in-long", "requirement", R"({"in": [{"fact": "country"}, ["US", "ABCDEFGH"]]})"),
      Item("overlaps", "requirement", R"({"overlaps": [{"fact": "nations"}, ["US", "CA"]]})"),
      Item("within", "requirement", R"({"within": [{"fact": "nations"}, ["US", "CA"]]})"),
      Item("enum-overlaps", "requirement", R"({"overlaps": [{"fact": "visas"}, ["j1", "o1"]]})"),
      Item("enum-within", "requirement", R"({"within": [{"fact": "visas"}, ["h1b"]]})"),
      Item("field-in", "requirement",
           R"({"some": {"list": "history", "where": {"in": [{"field": "kind"}, ["j1"]]}}})"),
      Item("field-string-in", "requirement",
           R"({"every": {"list": "history", "where": {"in": [{"field": "place"}, ["US"]]}}})"),
  };
  const RuleSet rules =
      imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(facts, Pathway("p", items)));
  DispatchComparison compare(rules);
  // JSON texts of strings: members, a byte more or less, the 7- and 8-byte edge, a NUL byte.
  const std::vector<std::string> strings = {R"("US")",       R"("USX")",     R"("U")",
                                            R"("")",         R"("ABCDEFG")", R"("ABCDEFGH")",
                                            R"("US\u0000")", R"("CA")"};
  std::vector<std::string> lists = {"", "[]"};
  for (const std::string& a : strings) {
    lists.push_back("[" + a + "]");
    lists.push_back("[" + a + ", \"CA\"]");
    lists.push_back("[\"CA\", " + a + "]");
  }
  const std::vector<std::string> visas = {
      "", "[]", R"(["j1"])", R"(["h1b"])", R"(["h1b", "o1"])", R"(["h1b", "h1b"])"};
  for (std::size_t i = 0; i < lists.size(); ++i) {
    for (const std::string& v : visas) {
      const std::string& country = strings[i % strings.size()];
      const std::string& place = strings[(i / strings.size() + i) % strings.size()];
      std::string profile = "{\"country\": " + country;
      if (!lists[i].empty()) profile += ", \"nations\": " + lists[i];
      if (!v.empty()) profile += ", \"visas\": " + v;
      if (i % 3 != 0) {
        profile += R"(, "history": [{"kind": "h1b", "place": )" + place + "}";
        if (i % 3 == 2) profile += R"(, {"kind": "j1"})";
        profile += "]";
      }
      profile += "}";
      compare.Check(profile);
    }
  }
  compare.CheckEveryOutcomeSeen();
}

TEST_CASE("countries are tested as the strings they are held as, fast and by the tree walk") {
  const char* facts = R"({
    "country": {"type": "country", "description": "d", "question": "Country?"},
    "home": {"type": "country", "description": "d", "question": "Home?"},
    "nations": {"type": "list", "items": {"type": "country"}, "description": "d", "question": "Nations?"},
    "history": {"type": "list", "description": "d", "question": "History?",
                "fields": {"place": {"type": "country", "description": "d"}}}
  })";
  const std::vector<std::string> items = {
      Item("in", "requirement", R"({"in": [{"fact": "country"}, ["US", "CA", "PR"]]})"),
      Item("eq", "requirement", R"({"eq": [{"fact": "country"}, "NG"]})"),
      Item("eq-fact", "requirement", R"({"eq": [{"fact": "country"}, {"fact": "home"}]})"),
      Item("in-list", "requirement", R"({"in": [{"fact": "home"}, {"fact": "nations"}]})"),
      Item("literal-in-list", "requirement", R"({"in": ["NG", {"fact": "nations"}]})"),
      Item("overlaps", "requirement", R"({"overlaps": [{"fact": "nations"}, ["US", "CA"]]})"),
      Item("within", "requirement", R"({"within": [{"fact": "nations"}, ["NG", "IR"]]})"),
      Item("field-in", "requirement",
           R"({"some": {"list": "history", "where": {"in": [{"field": "place"}, ["US"]]}}})"),
  };
  const RuleSet rules =
      imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(facts, Pathway("p", items)));
  DispatchComparison compare(rules);
  const std::vector<std::string> codes = {"",        R"("US")", R"("CA")",
                                          R"("NG")", R"("IR")", R"("PR")"};
  for (std::size_t i = 0; i < codes.size() * codes.size(); ++i) {
    const std::string& country = codes[i % codes.size()];
    const std::string& other = codes[i / codes.size()];
    std::string profile = "{\"$comment\": \"\"";
    if (!country.empty()) profile += ", \"country\": " + country;
    if (!other.empty()) {
      profile += ", \"home\": " + other + ", \"history\": [{\"place\": " + other + "}]";
      profile += ", \"nations\": [" + other + (country.empty() ? "" : ", " + country) + "]";
    } else if (i % 2 == 0) {
      profile += ", \"nations\": []";
    }
    profile += "}";
    compare.Check(profile);
  }
  compare.CheckEveryOutcomeSeen();
}

TEST_CASE(
    "deciding_only gives the verdicts, decisive items and missing facts of a full evaluation") {
  const RuleSet& rules = *imgvisa::EmbeddedRuleSet();
  const std::vector<imgvisa::Facts> profiles = ExamplesAndTrials(rules);
  std::size_t left_out = 0, shut = 0;
  for (const char* date : {"2026-11-21", "2025-06-01", "2019-06-30"}) {
    const auto as_of = *ParseIsoDate(date);
    for (const imgvisa::Facts& facts : profiles) {
      const auto full = Evaluate(rules, facts, as_of, {.texts = false});
      const auto part = Evaluate(rules, facts, as_of, {.texts = false, .deciding_only = true});
      for (std::size_t p = 0; p < full.size(); ++p) {
        INFO(rules.pathways[p].id << " as of " << date);
        REQUIRE(VerdictName(part[p].kind) == VerdictName(full[p].kind));
        std::vector<std::size_t> want, got;  // decisive, as item indexes of the pathway
        for (std::size_t d : full[p].decisive) want.push_back(full[p].items[d].item);
        for (std::size_t d : part[p].decisive) got.push_back(part[p].items[d].item);
        CHECK(got == want);
        CHECK(part[p].missing.facts == full[p].missing.facts);
        CHECK(part[p].missing.unsettled == full[p].missing.unsettled);
        // What is kept is kept whole. Left out are notes and consequences, and of a pathway a
        // gate shuts, all but its gates (and what conditions refer to).
        std::size_t k = 0;
        for (const imgvisa::ItemResult& r : full[p].items) {
          if (k < part[p].items.size() && part[p].items[k].item == r.item) {
            CHECK(part[p].items[k].status == r.status);
            ++k;
          } else if (imgvisa::Decides(rules.pathways[p].items[r.item].kind)) {
            CHECK(full[p].kind == imgvisa::VerdictKind::kNotApplicable);
            CHECK(rules.pathways[p].items[r.item].kind != imgvisa::ItemKind::kGate);
            ++shut;
          } else {
            ++left_out;
          }
        }
        CHECK(k == part[p].items.size());
      }
    }
  }
  CHECK(left_out > 0);
  CHECK(shut > 0);
}

namespace {

// Conditions over the facts "exam" and "banned" of kFacts, evaluated on their own (what items
// and definitions are made of), for the tables of Kleene logic.
class KleeneCase {
 public:
  KleeneCase()
      : rules_(imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(
            kFacts, Pathway("p", {Item("and", "requirement",
                                       R"({"all": [{"eq": [{"fact": "exam"}, true]},
                                           {"eq": [{"fact": "banned"}, true]}]})"),
                                  Item("or", "requirement",
                                       R"({"any": [{"eq": [{"fact": "exam"}, true]},
                                           {"eq": [{"fact": "banned"}, true]}]})"),
                                  Item("not", "requirement",
                                       R"({"not": {"eq": [{"fact": "exam"}, true]}})")})))) {}

  // `exam` and `banned` met (true), unmet (false) or unknown (left out).
  imgvisa::Truth Of(const char* item, Outcome exam, Outcome banned = Outcome::kUnknown) const {
    std::string profile = "{";
    auto add = [&](const char* fact, Outcome o) {
      if (o == Outcome::kUnknown) return;
      if (profile.size() > 1) profile += ",";
      profile += std::string("\"") + fact + "\": " + (o == Outcome::kMet ? "true" : "false");
    };
    add("exam", exam);
    add("banned", banned);
    profile += "}";
    auto facts = FactsFromJson(rules_.dictionary, SourceFile("p.json", profile));
    REQUIRE(facts.ok);
    const auto& items = rules_.pathways[0].items;
    const auto found = std::find_if(items.begin(), items.end(),
                                    [&](const imgvisa::Item& i) { return i.id == item; });
    REQUIRE(found != items.end());
    return imgvisa::EvaluateCondition(rules_, found->condition, facts.facts,
                                      *ParseIsoDate("2026-11-21"));
  }
  imgvisa::FactId Fact(const char* path) const { return *rules_.dictionary.Find(path); }

 private:
  RuleSet rules_;
};

}  // namespace

TEST_CASE("Kleene AND: the full 3x3 table") {
  const KleeneCase k;
  const Outcome M = Outcome::kMet, U = Outcome::kUnmet, K = Outcome::kUnknown;
  // rows: left operand, columns: right operand
  const Outcome table[3][3] = {{M, U, K}, {U, U, U}, {K, U, K}};
  const Outcome values[3] = {M, U, K};
  for (int a = 0; a < 3; ++a) {
    for (int b = 0; b < 3; ++b) {
      INFO("a=" << imgvisa::OutcomeName(values[a]) << " b=" << imgvisa::OutcomeName(values[b]));
      CHECK(k.Of("and", values[a], values[b]).outcome == table[a][b]);
    }
  }
}

TEST_CASE("Kleene OR: the full 3x3 table") {
  const KleeneCase k;
  const Outcome M = Outcome::kMet, U = Outcome::kUnmet, K = Outcome::kUnknown;
  const Outcome table[3][3] = {{M, M, M}, {M, U, K}, {M, K, K}};
  const Outcome values[3] = {M, U, K};
  for (int a = 0; a < 3; ++a) {
    for (int b = 0; b < 3; ++b) {
      INFO("a=" << imgvisa::OutcomeName(values[a]) << " b=" << imgvisa::OutcomeName(values[b]));
      CHECK(k.Of("or", values[a], values[b]).outcome == table[a][b]);
    }
  }
}

TEST_CASE("NOT swaps met and unmet and keeps unknown with its reasons") {
  const KleeneCase k;
  CHECK(k.Of("not", Outcome::kMet).outcome == Outcome::kUnmet);
  CHECK(k.Of("not", Outcome::kUnmet).outcome == Outcome::kMet);
  const imgvisa::Truth t = k.Of("not", Outcome::kUnknown);
  CHECK(t.outcome == Outcome::kUnknown);
  CHECK(imgvisa::testing::Ids(t.missing.facts) == std::vector<std::uint16_t>{k.Fact("exam")});
}

TEST_CASE("unknown AND unknown carries the union of the missing facts") {
  const KleeneCase k;
  const imgvisa::Truth t = k.Of("and", Outcome::kUnknown, Outcome::kUnknown);
  std::vector<std::uint16_t> both = {k.Fact("exam"), k.Fact("banned")};
  std::sort(both.begin(), both.end());
  CHECK(imgvisa::testing::Ids(t.missing.facts) == both);
}

TEST_CASE("a deciding value drops the reasons of unknown operands") {
  const KleeneCase k;
  CHECK(k.Of("and", Outcome::kUnknown, Outcome::kUnmet).missing.empty());
  CHECK(k.Of("or", Outcome::kUnknown, Outcome::kMet).missing.empty());
  CHECK(imgvisa::testing::Ids(k.Of("and", Outcome::kUnknown, Outcome::kMet).missing.facts) ==
        std::vector<std::uint16_t>{k.Fact("exam")});
  CHECK(imgvisa::testing::Ids(k.Of("or", Outcome::kUnmet, Outcome::kUnknown).missing.facts) ==
        std::vector<std::uint16_t>{k.Fact("banned")});
}

// Facts in time (docs/rule-language.md): dated facts, items judged at a later date, derived
// facts, on a small rule set of their own.
namespace {

const char* kTimeFacts = R"({
  "exam": {"type": "enum", "values": ["passed", "failed", "not_taken"], "description": "d",
           "question": "q", "dated": {"by": "exam_on", "values": ["passed"], "before": "not_taken"}},
  "exam_on": {"type": "date", "description": "d", "question": "q"},
  "begin": {"type": "date", "description": "d", "question": "q"},
  "periods": {"type": "list", "description": "d", "question": "q", "dated": {"by": "from"},
              "fields": {"from": {"type": "date", "description": "d"},
                         "to": {"type": "date", "description": "d"}}},
  "abroad": {"type": "bool", "description": "d", "question": "q"},
  "first": {"type": "bool", "description": "d", "question": "q"},
  "status": {"type": "enum", "values": ["none", "other"], "description": "d", "question": "q",
             "derive": [{"when": {"eq": [{"fact": "first"}, true]}, "value": "other"},
                        {"when": {"eq": [{"fact": "abroad"}, true]}, "value": "none"}]}
})";

RuleSet TimeRuleSet() {
  // Days of the periods up to the date the item is judged at: under 100.
  const std::string days =
      R"({"sum": {"list": "periods", "of": {"days_between": [{"field": "from"},
          {"coalesce": [{"field": "to"}, {"as_of": true}]}]}}})";
  return imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(
      kTimeFacts,
      Pathway("p", {Item("exam", "requirement", R"({"eq": [{"fact": "exam"}, "passed"]})"),
                    Item("limit", "requirement", "{\"lt\": [" + days + ", 100]}",
                         R"(, "at": {"fact": "begin"})"),
                    Item("status", "requirement", R"({"eq": [{"fact": "status"}, "none"]})")})));
}

Outcome StatusOf(const RuleSet& rules, const std::string& profile, const char* as_of,
                 const char* item) {
  auto facts = FactsFromJson(rules.dictionary, SourceFile("p.json", profile));
  REQUIRE(facts.ok);
  const auto verdicts = Evaluate(rules, facts.facts, *ParseIsoDate(as_of));
  for (const auto& r : verdicts[0].items) {
    if (rules.pathways[0].items[r.item].id == item) return r.status;
  }
  FAIL("no item " << item);
  return Outcome::kUnknown;
}

}  // namespace

TEST_CASE("a dated fact reads as before its date until that date comes") {
  RuleSet rules = TimeRuleSet();
  const char* passed = R"({"exam": "passed", "exam_on": "2026-03-01"})";
  CHECK(StatusOf(rules, passed, "2026-02-28", "exam") == Outcome::kUnmet);
  CHECK(StatusOf(rules, passed, "2026-03-01", "exam") == Outcome::kMet);
  // Only the values the dating names: a failure is not dated here.
  CHECK(StatusOf(rules, R"({"exam": "failed", "exam_on": "2026-03-01"})", "2026-02-28", "exam") ==
        Outcome::kUnmet);
  // Without the date, the value counts as given.
  CHECK(StatusOf(rules, R"({"exam": "passed"})", "2026-02-28", "exam") == Outcome::kMet);
}

TEST_CASE("records of a dated list count from their date") {
  RuleSet rules = TimeRuleSet();
  // 90 days in a period that ended, and a later one not begun on 2026-01-10.
  const char* profile = R"({"begin": "2026-01-10", "periods": [
      {"from": "2025-01-01", "to": "2025-04-01"}, {"from": "2026-02-01", "to": "2026-03-01"}]})";
  CHECK(StatusOf(rules, profile, "2026-01-10", "limit") == Outcome::kMet);
  CHECK(StatusOf(rules, profile, "2026-03-02", "limit") == Outcome::kUnmet);
}

TEST_CASE("an item with \"at\" is judged at the later of its date and the evaluation date") {
  RuleSet rules = TimeRuleSet();
  // An open period from 2026-01-01: 50 days by 2026-02-20, 150 by 2026-05-31.
  const std::string open = R"("periods": [{"from": "2026-01-01"}])";
  CHECK(StatusOf(rules, "{" + open + R"(, "begin": "2026-05-31"})", "2026-02-20", "limit") ==
        Outcome::kUnmet);
  // A date before the evaluation date: judged at the evaluation date.
  CHECK(StatusOf(rules, "{" + open + R"(, "begin": "2025-12-01"})", "2026-02-20", "limit") ==
        Outcome::kMet);
  // The date unknown: met today may be used up by then (unknown, asking for the date); a limit
  // used up today is used up then too; one that nothing runs on is met at any date.
  CHECK(StatusOf(rules, R"({"periods": [{"from": "2026-01-01", "to": "2026-01-31"}]})",
                 "2026-02-20", "limit") == Outcome::kMet);
  auto facts = FactsFromJson(rules.dictionary, SourceFile("p.json", "{" + open + "}"));
  REQUIRE(facts.ok);
  auto verdicts = Evaluate(rules, facts.facts, *ParseIsoDate("2026-02-20"));
  const auto& limit = verdicts[0].items[1];
  CHECK(limit.status == Outcome::kUnknown);
  CHECK(limit.missing.facts.contains(*rules.dictionary.Find("begin")));
  CHECK(StatusOf(rules, "{" + open + "}", "2026-05-31", "limit") == Outcome::kUnmet);
}

TEST_CASE("a derived fact: the first case met gives it, unless an earlier case is unknown") {
  RuleSet rules = TimeRuleSet();
  CHECK(StatusOf(rules, R"({"first": false, "abroad": true})", "2026-01-01", "status") ==
        Outcome::kMet);
  CHECK(StatusOf(rules, R"({"first": true, "abroad": true})", "2026-01-01", "status") ==
        Outcome::kUnmet);
  // "first" unknown: it might hold and give "other", so nothing is derived.
  CHECK(StatusOf(rules, R"({"abroad": true})", "2026-01-01", "status") == Outcome::kUnknown);
  // A value the profile gives is never replaced.
  CHECK(StatusOf(rules, R"({"status": "other", "first": false, "abroad": true})", "2026-01-01",
                 "status") == Outcome::kUnmet);
}

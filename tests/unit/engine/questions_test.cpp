#include "imgvisa/engine/questions.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "ask_rule_files.h"
#include "imgvisa/cli/selection.h"
#include "imgvisa/engine/evaluator.h"
#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/rules/rule_source.h"
#include "test_support.h"

using imgvisa::Evaluate;
using imgvisa::FactId;
using imgvisa::FactsFromJson;
using imgvisa::ParseIsoDate;
using imgvisa::RankQuestions;
using imgvisa::RuleSet;
using imgvisa::SourceFile;
using imgvisa::VerdictKind;
using imgvisa::testing::AskRuleFiles;

namespace {

constexpr const char* kAsOf = imgvisa::testing::kAskAsOf;

std::vector<std::string> Paths(const RuleSet& rules, const std::vector<imgvisa::Question>& qs) {
  std::vector<std::string> out;
  for (const auto& q : qs) out.push_back(rules.dictionary.at(q.fact).path);
  return out;
}

std::vector<imgvisa::Question> Rank(const RuleSet& rules, const std::string& profile,
                                    const std::vector<std::string>& asked_paths = {},
                                    std::optional<std::string> record_list = std::nullopt) {
  auto load = FactsFromJson(rules.dictionary, SourceFile("p.json", profile));
  REQUIRE(load.ok);
  std::set<FactId> asked;
  for (const auto& p : asked_paths) asked.insert(*rules.dictionary.Find(p));
  std::string problem;
  auto selection = imgvisa::SelectPathways(rules, {}, &problem);
  REQUIRE(selection);
  std::optional<FactId> list;
  if (record_list) list = rules.dictionary.Find(*record_list);
  return RankQuestions(rules, load.facts, Evaluate(rules, load.facts, *ParseIsoDate(kAsOf)),
                       *selection, asked, list);
}

}  // namespace

TEST_CASE("questions are ranked by how many verdicts they can move and through which items") {
  RuleSet rules = imgvisa::testing::MustLoad(AskRuleFiles());
  auto ranked = Rank(rules, "{}");
  // The gate of three pathways (3 + 3 + 3), the requirement of two (2 + 2), requirements and a
  // restriction of one (2 each, in dictionary order), the condition of one (1); never the note.
  CHECK(Paths(rules, ranked) == std::vector<std::string>{"status", "exam", "score", "grad",
                                                         "history", "countries", "decided"});
  CHECK(ranked[0].score == 9);
  CHECK(ranked[0].pathways == 3);
  CHECK(ranked[1].score == 4);
  CHECK(ranked.back().score == 1);
}

TEST_CASE("nothing is asked for what can no longer move a verdict") {
  RuleSet rules = imgvisa::testing::MustLoad(AskRuleFiles());
  SECTION("an unmet gate settles every pathway") {
    CHECK(Rank(rules, R"({"status": "citizen"})").empty());
    auto facts = FactsFromJson(rules.dictionary, SourceFile("p", R"({"status": "citizen"})"));
    CHECK_FALSE(imgvisa::NextQuestion(rules, facts.facts, *ParseIsoDate(kAsOf), {0, 1, 2}, {}));
  }
  SECTION("an unmet requirement settles its pathway: the other requirements are not asked") {
    // alpha and beta are ineligible; only gamma's facts remain.
    CHECK(Paths(rules, Rank(rules, R"({"status": "none", "exam": false})")) ==
          std::vector<std::string>{"history", "countries"});
  }
  SECTION("a don't-know gate: what can close the pathway whichever way it falls is asked") {
    // A requirement or restriction unmet closes the pathway even while the gate is unknown
    // (ineligible or blocked rather than undetermined); a condition cannot, so it is not asked.
    const auto ranked = Paths(rules, Rank(rules, "{}", {"status"}));
    CHECK(std::find(ranked.begin(), ranked.end(), "exam") != ranked.end());
    CHECK(std::find(ranked.begin(), ranked.end(), "decided") == ranked.end());
    CHECK(std::find(ranked.begin(), ranked.end(), "status") == ranked.end());
  }
  SECTION("a condition is asked only while every requirement can still be met") {
    // exam unknown for good: alpha stays undetermined whatever "decided" is, but beta's
    // restriction can still make it blocked.
    auto ranked = Paths(rules, Rank(rules, R"({"status": "none"})", {"exam"}));
    CHECK(std::find(ranked.begin(), ranked.end(), "decided") == ranked.end());
    CHECK(std::find(ranked.begin(), ranked.end(), "grad") != ranked.end());
    ranked = Paths(rules, Rank(rules, R"({"status": "none", "exam": true, "score": 400})"));
    CHECK(std::find(ranked.begin(), ranked.end(), "decided") != ranked.end());
  }
  SECTION("a fact already known is not asked again") {
    auto ranked = Paths(rules, Rank(rules, R"({"status": "none", "exam": true})"));
    CHECK(std::find(ranked.begin(), ranked.end(), "exam") == ranked.end());
    CHECK(std::find(ranked.begin(), ranked.end(), "status") == ranked.end());
  }
}

TEST_CASE("fields of a record: the missing ones, and those a coalesce default stands in for") {
  RuleSet rules = imgvisa::testing::MustLoad(AskRuleFiles());
  // A J-1 period from 2015 without an end counts to the evaluation date: gamma's clock is
  // already unmet (ineligible) by default, yet the end date would change that.
  const char* profile = R"({"status": "none", "countries": [],
                            "history": [{"kind": "j1", "start": "2015-01-01"}]})";
  auto facts = FactsFromJson(rules.dictionary, SourceFile("p", profile));
  auto verdicts = Evaluate(rules, facts.facts, *ParseIsoDate(kAsOf));
  REQUIRE(verdicts[2].kind == VerdictKind::kIneligible);
  REQUIRE(verdicts[2].missing.empty());
  CHECK(Paths(rules, Rank(rules, profile, {"history"}, "history")) ==
        std::vector<std::string>{"history[].end"});
  // Outside the record being filled in, the list has been answered: nothing more to ask there.
  auto outside = Paths(rules, Rank(rules, profile, {"history"}));
  CHECK(std::find(outside.begin(), outside.end(), "history") == outside.end());
  // A new, empty record: its kind decides whether its dates count.
  CHECK(Paths(rules, Rank(rules, R"({"status": "none", "history": [{}]})", {"history"}, "history"))
            .front() == "history[].kind");
}

TEST_CASE("the next question is the first of the ranking, for the facts evaluated as of a date") {
  RuleSet rules = imgvisa::testing::MustLoad(AskRuleFiles());
  auto facts = FactsFromJson(rules.dictionary, SourceFile("p", R"({"status": "none"})"));
  REQUIRE(facts.ok);
  const auto next = imgvisa::NextQuestion(rules, facts.facts, *ParseIsoDate(kAsOf), {0, 1, 2}, {});
  REQUIRE(next);
  CHECK(rules.dictionary.at(*next).path == "exam");
  // Answered "don't know": the next one down.
  const std::set<FactId> asked = {*next};
  const auto after =
      imgvisa::NextQuestion(rules, facts.facts, *ParseIsoDate(kAsOf), {0, 1, 2}, asked);
  REQUIRE(after);
  CHECK(rules.dictionary.at(*after).path ==
        Paths(rules, Rank(rules, R"({"status": "none"})", {"exam"})).front());
}

TEST_CASE("only the selected pathways drive questions, and a settled one drives none") {
  RuleSet rules = imgvisa::testing::MustLoad(AskRuleFiles());
  const char* profile = R"({"status": "none", "history": [], "countries": []})";
  auto facts = FactsFromJson(rules.dictionary, SourceFile("p", profile));
  REQUIRE(facts.ok);
  auto verdicts = Evaluate(rules, facts.facts, *ParseIsoDate(kAsOf));
  const std::size_t gamma = *rules.FindPathway("gamma");
  REQUIRE(verdicts[gamma].kind == VerdictKind::kEligible);
  CHECK(RankQuestions(rules, facts.facts, verdicts, {gamma}, {}).empty());
  const std::size_t beta = *rules.FindPathway("beta");
  auto ranked = RankQuestions(rules, facts.facts, verdicts, {beta}, {});
  CHECK(Paths(rules, ranked) == std::vector<std::string>{"exam", "grad"});
  CHECK(ranked[0].pathways == 1);
}

TEST_CASE("in the record being filled in, only that list's fields are candidates") {
  RuleSet rules = imgvisa::testing::MustLoad(AskRuleFiles());
  auto fields =
      Paths(rules, Rank(rules, R"({"status": "none", "history": [{}]})", {"history"}, "history"));
  REQUIRE_FALSE(fields.empty());
  for (const std::string& f : fields) CHECK(f.rfind("history[].", 0) == 0);
  // A field already asked for this record is not asked again.
  auto rest = Paths(rules, Rank(rules, R"({"status": "none", "history": [{}]})",
                                {"history", "history[].kind"}, "history"));
  CHECK(std::find(rest.begin(), rest.end(), "history[].kind") == rest.end());
}

namespace {

// The ranking of the real rules for `profile`, by path.
std::vector<std::string> RankReal(const RuleSet& rules, const std::string& profile) {
  return Paths(rules, Rank(rules, profile));
}

bool Has(const std::vector<std::string>& paths, const std::string& path) {
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

}  // namespace

TEST_CASE("the dictionary's ask order: whether there is an offer comes before its details") {
  const imgvisa::RuleSetLoad load = imgvisa::LoadRuleSet("");
  REQUIRE(load.ok());
  const RuleSet& rules = *load.rules;
  const auto program_type = *rules.dictionary.Find("offer.program_type");
  REQUIRE(rules.dictionary.at(*rules.dictionary.Find("offer.start")).ask_after == program_type);

  const auto nothing = RankReal(rules, "{}");
  CHECK(Has(nothing, "offer.program_type"));
  for (const std::string& path : nothing) {
    INFO(path);
    CHECK(rules.dictionary.at(*rules.dictionary.Find(path)).ask_after != program_type);
  }
  // Once there is an offer, its details can be asked.
  CHECK(Has(RankReal(rules, R"({"offer": {"program_type": "acgme"}})"), "offer.start"));
  // "Don't know" whether there is one: its details come next, not never.
  CHECK(
      Has(Paths(rules, Rank(rules, R"({"offer": {"program_type": null}})", {"offer.program_type"})),
          "offer.start"));
}

TEST_CASE("the dictionary's ask order: nothing an earlier answer makes moot") {
  const imgvisa::RuleSetLoad load = imgvisa::LoadRuleSet("");
  REQUIRE(load.ok());
  const RuleSet& rules = *load.rules;
  // No offer: none of its details, and no renown questions (O-1 and H-1B need an employer).
  const auto no_offer = RankReal(rules, R"({"offer": {"program_type": "none"}})");
  for (const char* path : {"offer.start", "offer.end", "offer.signed", "o1.major_award",
                           "o1.criteria_count", "h1b.renown"}) {
    INFO(path);
    CHECK_FALSE(Has(no_offer, path));
  }
  // A citizen or permanent resident is not asked which status they hold in the US; with no
  // status, where one is decides it (the rules derive "none" for someone abroad).
  CHECK(Has(RankReal(rules, "{}"), "us_status"));
  CHECK_FALSE(Has(RankReal(rules, R"({"us_status": "citizen"})"), "current_status.category"));
  CHECK_FALSE(
      Has(RankReal(rules, R"({"us_status": "permanent_resident"})"), "current_status.category"));
  CHECK_FALSE(Has(RankReal(rules, R"({"us_status": "none", "location": {"in_us": false}})"),
                  "current_status.category"));
  // A student with nothing else said is not asked about prizes before the offer question.
  const auto student =
      RankReal(rules, R"({"us_status": "none", "usmle": {"step1": {"status": "not_taken"}}})");
  CHECK_FALSE(Has(student, "o1.major_award"));
}

TEST_CASE("enum values that read as internal ids have labels for people") {
  const imgvisa::RuleSetLoad load = imgvisa::LoadRuleSet("");
  REQUIRE(load.ok());
  const imgvisa::FactDecl& status =
      load.rules->dictionary.at(*load.rules->dictionary.Find("us_status"));
  CHECK(status.LabelOf(1) == "US permanent resident (green card)");
  for (const imgvisa::FactDecl& d : load.rules->dictionary.facts()) {
    for (std::size_t i = 0; i < d.values.size(); ++i) {
      INFO(d.path << " " << d.values[i]);
      // A value with an underscore (b1_b2, permanent_resident) is an id, not words.
      CHECK(d.LabelOf(i).find('_') == std::string::npos);
    }
  }
}

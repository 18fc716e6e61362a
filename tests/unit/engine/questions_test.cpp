#include "imgvisa/engine/questions.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "ask_rule_files.h"
#include "imgvisa/cli/selection.h"
#include "imgvisa/engine/evaluator.h"
#include "imgvisa/profile/facts_from_json.h"
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

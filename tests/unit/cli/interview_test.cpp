#include "cli/interview.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ask_rule_files.h"
#include "imgvisa/cli/selection.h"
#include "test_support.h"

using imgvisa::Answer;
using imgvisa::FactId;
using imgvisa::Interview;
using imgvisa::RuleSet;
using imgvisa::VerdictChange;
using imgvisa::VerdictKind;
using json = nlohmann::ordered_json;

namespace {

Answer Value(json value) { return Answer{Answer::Kind::kValue, std::move(value), ""}; }
const Answer kDontKnow{Answer::Kind::kDontKnow, nullptr, ""};

struct Fixture {
  RuleSet rules = imgvisa::testing::MustLoad(imgvisa::testing::AskRuleFiles());

  FactId Id(const char* path) const { return *rules.dictionary.Find(path); }
  std::string Path(std::optional<FactId> fact) const {
    return fact ? rules.dictionary.at(*fact).path : "(nothing)";
  }
  Interview Start(const std::vector<std::string>& pathways = {}) const {
    std::string problem;
    auto selection = imgvisa::SelectPathways(rules, pathways, &problem);
    REQUIRE(selection);
    return Interview(rules, *selection, *imgvisa::ParseIsoDate(imgvisa::testing::kAskAsOf));
  }
  // "pathway: from -> to" for each change, as the terminal shows them.
  std::vector<std::string> Moves(const std::vector<VerdictChange>& changes) const {
    std::vector<std::string> out;
    for (const VerdictChange& c : changes) {
      out.push_back(rules.pathways[c.pathway].id + ": " + std::string(VerdictName(c.from)) +
                    " -> " + std::string(VerdictName(c.to)));
    }
    return out;
  }
};

}  // namespace

TEST_CASE("the interview asks the most decisive fact and says which verdicts each answer moved") {
  Fixture f;
  Interview interview = f.Start();
  CHECK(interview.answered() == 0);
  CHECK(interview.profile().Text() == "{}");
  CHECK(f.Path(interview.Next()) == "status");
  CHECK(f.Moves(interview.AnswerFact(f.Id("status"), Value("none"))).empty());
  CHECK(f.Path(interview.Next()) == "exam");
  CHECK(f.Moves(interview.AnswerFact(f.Id("exam"), Value(false))) ==
        std::vector<std::string>{"alpha: undetermined -> ineligible",
                                 "beta: undetermined -> ineligible"});
  // Nothing behind alpha's and beta's unmet requirement is asked: gamma's facts are left.
  CHECK(f.Path(interview.Next()) == "history");
  CHECK(interview.answered() == 2);
  CHECK_FALSE(interview.AnyOpen());
  CHECK(interview.profile().ToJson() == json::parse(R"({"status": "none", "exam": false})"));
}

TEST_CASE("the interview: don't know closes a fact, and what it holds is not asked") {
  Fixture f;
  Interview interview = f.Start();
  CHECK(f.Moves(interview.AnswerFact(f.Id("status"), kDontKnow)).empty());
  // The gate stays unknown, but an unmet requirement would close its pathways whichever way
  // the gate falls: the requirements are still worth asking, the gate never again.
  CHECK(f.Path(interview.Next()) == "exam");
  CHECK(f.Moves(interview.AnswerFact(f.Id("exam"), kDontKnow)).empty());
  CHECK(interview.answered() == 2);
  CHECK(interview.profile().ToJson() == json::parse(R"({"status": null, "exam": null})"));
  for (auto next = interview.Next(); next; next = interview.Next()) {
    CHECK(f.Path(next) != "status");
    CHECK(f.Path(next) != "exam");
    CHECK(f.Path(next) != "decided");  // a condition cannot move an undetermined verdict
    interview.AnswerFact(*next, kDontKnow);
  }
}

TEST_CASE("the interview: a list of records, one record at a time, only the fields that matter") {
  Fixture f;
  Interview interview = f.Start({"gamma"});
  interview.AnswerFact(f.Id("status"), Value("none"));
  const FactId history = f.Id("history");
  REQUIRE(interview.Next() == history);
  // Yes: the first record, empty, is already there, so a profile saved now says "one".
  interview.AnswerHasRecords(history, Value(true));
  CHECK(interview.RecordCount(history) == 1);
  CHECK(interview.profile().ToJson()["history"] == json::parse("[{}]"));
  std::vector<std::string> asked;
  const std::vector<json> answers = {"j1", "2015-01-01", "2016-01-01"};
  for (const json& answer : answers) {
    const auto field = interview.NextField(history);
    REQUIRE(field);
    asked.push_back(f.Path(field));
    interview.AnswerField(*field, Value(answer));
  }
  CHECK(asked == std::vector<std::string>{"history[].kind", "history[].start", "history[].end"});
  CHECK_FALSE(interview.NextField(history));
  // A year of J-1 time, well under the clock: another record could still tip it.
  CHECK(interview.WorthAnotherRecord(history));
  CHECK(interview.RecordCount(history) == 1);  // weighing it added nothing
  interview.AddRecord(history);
  CHECK(interview.RecordCount(history) == 2);
  CHECK(f.Path(interview.NextField(history)) == "history[].kind");  // asked again, per record
  CHECK(interview.answered() == 5);
  CHECK(interview.profile().ToJson()["history"] ==
        json::parse(R"([{"kind": "j1", "start": "2015-01-01", "end": "2016-01-01"}, {}])"));
}

TEST_CASE("the interview: no records, or don't know, closes the list") {
  Fixture f;
  const FactId history = f.Id("history");
  SECTION("none to list") {
    Interview interview = f.Start({"gamma"});
    interview.AnswerFact(f.Id("status"), Value("none"));
    interview.AnswerHasRecords(history, Value(false));
    CHECK(interview.RecordCount(history) == 0);
    CHECK(f.Path(interview.Next()) == "countries");
    CHECK(f.Moves(interview.AnswerFact(f.Id("countries"), Value(json::array()))) ==
          std::vector<std::string>{"gamma: undetermined -> eligible"});
    CHECK(interview.AnyOpen());
    CHECK_FALSE(interview.Next());
    CHECK(interview.profile().ToJson() ==
          json::parse(R"({"status": "none", "history": [], "countries": []})"));
  }
  SECTION("don't know") {
    Interview interview = f.Start({"gamma"});
    interview.AnswerFact(f.Id("status"), Value("none"));
    interview.AnswerHasRecords(history, kDontKnow);
    CHECK(interview.profile().ToJson()["history"].is_null());
    CHECK(f.Path(interview.Next()) == "countries");
    CHECK(interview.answered() == 2);
  }
}

TEST_CASE("the interview resumed from a saved profile asks only what is still open") {
  Fixture f;
  std::string problem;
  auto selection = imgvisa::SelectPathways(f.rules, {}, &problem);
  REQUIRE(selection);
  const json saved = json::parse(R"({"$id": "kept", "status": "none", "exam": null})");
  Interview interview(f.rules, *selection, *imgvisa::ParseIsoDate(imgvisa::testing::kAskAsOf),
                      saved);
  CHECK(interview.answered() == 0);
  // "status" holds a value and "exam" don't know: neither is asked again.
  const std::string next = f.Path(interview.Next());
  CHECK(next != "status");
  CHECK(next != "exam");
  CHECK(interview.OpenQuestions() >= 1);
  interview.AnswerFact(*interview.Next(), kDontKnow);
  // What the profile held stays, members the dictionary does not declare included.
  const json now = interview.profile().ToJson();
  CHECK(now["$id"] == "kept");
  CHECK(now["status"] == "none");
  CHECK(now["exam"].is_null());
  CHECK(now.size() == 4);
}

TEST_CASE("the interview's estimate of what is left shrinks as answers settle verdicts") {
  Fixture f;
  Interview interview = f.Start();
  const std::size_t before = interview.OpenQuestions();
  CHECK(before >= 2);
  interview.AnswerFact(f.Id("status"), Value("citizen"));
  CHECK(interview.OpenQuestions() < before);
}

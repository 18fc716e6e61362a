#include "imgvisa/cli/cmd_diff.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "imgvisa/cli/exit_code.h"
#include "test_support.h"

using imgvisa::DiffOptions;
using imgvisa::RunDiff;
using imgvisa::testing::ReadText;
using imgvisa::testing::SourcePath;
using imgvisa::testing::WriteText;
using nlohmann::json;

namespace {

using Result = imgvisa::testing::CommandResult;

Result Diff(DiffOptions options, const std::string& input = "") {
  if (options.as_of.empty()) options.as_of = "2026-11-21";
  return imgvisa::testing::RunCommand(imgvisa::RunDiff, options, input);
}

std::vector<json> Lines(const std::string& text) { return imgvisa::testing::JsonLines(text); }

std::string Fixture(const std::string& relative) {
  return SourcePath("tests/golden/diff/" + relative);
}

DiffOptions FixtureOptions() {
  DiffOptions options;
  options.old_rules = Fixture("old");
  options.new_rules = Fixture("new");
  options.inputs = {Fixture("profiles/exam-failed-2021.json"),
                    Fixture("profiles/graduated-2021.json"),
                    Fixture("profiles/recent-graduate.json")};
  return options;
}

// A scratch directory holding copies of the fixture sets, for cases that add or change files.
class ScratchSets {
 public:
  ScratchSets() {
    char pattern[] = "/tmp/imgvisa-diff-test-XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    root_ = pattern;
    std::filesystem::copy(Fixture("old"), root_ + "/old");
    std::filesystem::copy(Fixture("new"), root_ + "/new");
  }
  ~ScratchSets() { std::filesystem::remove_all(root_); }
  std::string Path(const std::string& relative) const { return root_ + "/" + relative; }

 private:
  std::string root_;
};

const char* kObservership = R"({"pathway": {
  "id": "observership", "title": "Observership", "summary": "S", "sponsor": "X",
  "items": [{"id": "exam-passed", "kind": "requirement", "title": "Exam passed",
             "condition": {"eq": [{"fact": "exam.passed"}, true]},
             "text": {"met": "m", "unmet": "u"},
             "sources": [{"instrument": "Fixture Act", "verified": "2026-01-01"}]}]}})";

}  // namespace

TEST_CASE("diff on two rule sets that differ in one date") {
  // The fixture is what the test claims: old/ and new/ differ in exactly one line, a date.
  std::size_t differing = 0;
  for (const char* file : {"ruleset.json", "fellowship.json", "residency.json"}) {
    std::istringstream a(ReadText(Fixture(std::string("old/") + file)));
    std::istringstream b(ReadText(Fixture(std::string("new/") + file)));
    std::string la, lb;
    while (std::getline(a, la) && std::getline(b, lb)) {
      if (la == lb) continue;
      ++differing;
      CHECK(la.find("\"2020-07-01\"") != std::string::npos);
      CHECK(lb.find("\"2021-07-01\"") != std::string::npos);
    }
    CHECK(a.eof());
  }
  REQUIRE(differing == 1);

  SECTION("text names the changed profiles, old -> new verdicts and decisive items") {
    Result r = Diff(FixtureOptions());
    CHECK(r.status == imgvisa::kExitFindings);
    CHECK(r.err.empty());
    std::string text = r.out;
    const std::string prefix = Fixture("");
    for (std::size_t at; (at = text.find(prefix)) != std::string::npos;)
      text.erase(at, prefix.size());
    imgvisa::testing::CheckGolden("tests/golden/diff/expected.txt", text);
    CHECK(r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1) == "3 profiles, 2 changed\n");
  }

  SECTION("ndjson: one record per changed (profile, pathway) and nothing else") {
    DiffOptions options = FixtureOptions();
    options.format = "ndjson";
    Result r = Diff(options);
    CHECK(r.status == imgvisa::kExitFindings);
    auto records = Lines(r.out);
    REQUIRE(records.size() == 2);
    // Failed exam, graduated 2021-01-15: ineligible either way, but the new cut-off adds a reason.
    CHECK(records[0]["type"] == "change");
    CHECK(records[0]["input"] == Fixture("profiles/exam-failed-2021.json"));
    CHECK(records[0]["id"] == "exam-failed-2021");
    CHECK(records[0]["as_of"] == "2026-11-21");
    CHECK(records[0]["pathway"] == "residency");
    CHECK(records[0]["title"] == "Residency");
    CHECK(records[0]["change"] == "decisive");
    CHECK(records[0]["old_verdict"] == "ineligible");
    CHECK(records[0]["new_verdict"] == "ineligible");
    CHECK(records[0]["old_decisive"] == json::array({"exam-passed"}));
    CHECK(records[0]["new_decisive"] == json::array({"exam-passed", "recent-graduate"}));
    CHECK(records[0]["decisive_added"] == json::array({"recent-graduate"}));
    CHECK(records[0]["decisive_removed"] == json::array());
    CHECK_FALSE(records[0].contains("line"));
    CHECK_FALSE(records[0].contains("rejected_by"));
    // Passed, graduated 2021-01-15: eligible under the old cut-off, not under the new one.
    CHECK(records[1]["id"] == "graduated-2021");
    CHECK(records[1]["pathway"] == "residency");
    CHECK(records[1]["change"] == "verdict");
    CHECK(records[1]["old_verdict"] == "eligible");
    CHECK(records[1]["new_verdict"] == "ineligible");
    CHECK(records[1]["decisive_added"] == json::array({"recent-graduate"}));
  }

  SECTION("swapping old and new swaps the verdicts and the decisive items") {
    DiffOptions options = FixtureOptions();
    std::swap(options.old_rules, options.new_rules);
    options.format = "ndjson";
    auto records = Lines(Diff(options).out);
    REQUIRE(records.size() == 2);
    CHECK(records[1]["old_verdict"] == "ineligible");
    CHECK(records[1]["new_verdict"] == "eligible");
    CHECK(records[1]["decisive_removed"] == json::array({"recent-graduate"}));
    CHECK(records[1]["decisive_added"] == json::array());
  }

  SECTION("--pathway limits the comparison") {
    DiffOptions options = FixtureOptions();
    options.pathways = {"fellowship"};
    Result r = Diff(options);
    CHECK(r.status == imgvisa::kExitOk);
    CHECK(r.out ==
          "rules diff-fixture 1 -> diff-fixture 1, as of 2026-11-21\n\n3 profiles, 0 changed\n");
    options.pathways = {"residensy"};
    r = Diff(options);
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(r.err.find("residency") != std::string::npos);
  }
}

TEST_CASE("identical rule sets: exit 0, and ndjson writes nothing") {
  DiffOptions options = FixtureOptions();
  options.new_rules = options.old_rules;
  Result r = Diff(options);
  CHECK(r.status == imgvisa::kExitOk);
  CHECK(r.out ==
        "rules diff-fixture 1 -> diff-fixture 1, as of 2026-11-21\n\n3 profiles, 0 changed\n");
  options.format = "ndjson";
  r = Diff(options);
  CHECK(r.status == imgvisa::kExitOk);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
}

TEST_CASE("a pathway present in only one set counts as changed for every profile") {
  ScratchSets sets;
  WriteText(sets.Path("new/observership.json"), kObservership);
  DiffOptions options = FixtureOptions();
  options.old_rules = sets.Path("old");
  options.new_rules = sets.Path("new");
  options.format = "ndjson";
  options.pathways = {"observership"};
  Result r = Diff(options);
  CHECK(r.status == imgvisa::kExitFindings);
  auto records = Lines(r.out);
  REQUIRE(records.size() == 3);
  CHECK(records[0]["change"] == "added");
  CHECK(records[0]["old_verdict"] == nullptr);
  CHECK(records[0]["new_verdict"] == "ineligible");
  CHECK(records[1]["new_verdict"] == "eligible");

  std::swap(options.old_rules, options.new_rules);
  options.format = "text";
  r = Diff(options);
  CHECK(r.status == imgvisa::kExitFindings);
  CHECK(r.out.find("  observership: eligible -> (not in new rules)\n") != std::string::npos);
  CHECK(r.out.find("    - decisive exam-passed: Exam passed\n") != std::string::npos);
  CHECK(r.out.find("3 profiles, 3 changed\n") != std::string::npos);
}

TEST_CASE("a profile that loads under one dictionary only changes every pathway") {
  ScratchSets sets;
  // The new set declares one more fact; a profile that gives it is unknown to the old set.
  std::string manifest = ReadText(sets.Path("new/ruleset.json"));
  const std::string anchor = "\"exam.passed\":";
  manifest.insert(manifest.find(anchor),
                  R"("exam.score": {"type": "integer", "description": "d", "question": "q"},
    )");
  WriteText(sets.Path("new/ruleset.json"), manifest);
  DiffOptions options = FixtureOptions();
  options.old_rules = sets.Path("old");
  options.new_rules = sets.Path("new");
  options.inputs = {"-"};
  options.format = "ndjson";
  const std::string stream =
      "{\"exam\": {\"passed\": true, \"score\": 240}, \"school\": {\"graduation\": "
      "\"2024-01-01\"}}\n"
      "\n"
      "{\"exam\": {\"passed\": true}, \"school\": {\"graduation\": \"2024-01-01\"}}\n";
  Result r = Diff(options, stream);
  CHECK(r.status == imgvisa::kExitFindings);
  auto records = Lines(r.out);
  REQUIRE(records.size() == 2);  // both pathways of the first line; the third line is unchanged
  for (const json& record : records) {
    CHECK(record["line"] == 1);
    CHECK(record["change"] == "rejected");
    CHECK(record["rejected_by"] == "old");
    CHECK(record["old_verdict"] == nullptr);
    CHECK(record["new_verdict"] == "eligible");
  }
  CHECK(r.err.find("-:1:") != std::string::npos);
  CHECK(r.err.find("does not load under the old rules") != std::string::npos);

  // A profile neither dictionary accepts is bad input: exit 2, the others are still compared.
  options.inputs = {"-", Fixture("profiles/graduated-2021.json")};
  r = Diff(options, "{\"exam\": {\"pased\": true}}\n");
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.err.find("-:1:11: error[E040]: unknown fact \"exam.pased\"") != std::string::npos);
  CHECK(r.err.find("loads under neither rule set") != std::string::npos);
  CHECK(Lines(r.out).size() == 1);
  CHECK(Lines(r.out)[0]["id"] == "graduated-2021");
}

TEST_CASE("diff exit statuses: 2 for usage and unreadable profiles, 3 for a rule set that fails") {
  DiffOptions options = FixtureOptions();
  options.as_of = "2026-13-01";
  CHECK(Diff(options).status == imgvisa::kExitUsage);
  options = FixtureOptions();
  options.format = "json";
  CHECK(Diff(options).status == imgvisa::kExitUsage);
  options = FixtureOptions();
  options.old_rules.clear();
  CHECK(Diff(options).status == imgvisa::kExitUsage);
  options = FixtureOptions();
  options.inputs.clear();
  CHECK(Diff(options).status == imgvisa::kExitUsage);

  options = FixtureOptions();
  options.inputs.push_back(Fixture("profiles/no-such-profile.json"));
  Result r = Diff(options);
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.err.find("no-such-profile.json: error[E050]: cannot read the profile") !=
        std::string::npos);
  CHECK(r.out.find("4 profiles, 2 changed, 1 failed\n") != std::string::npos);

  options = FixtureOptions();
  options.new_rules = Fixture("no-such-rules");
  r = Diff(options);
  CHECK(r.status == imgvisa::kExitRules);
  CHECK(r.err.find("the new rule set") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("the diff subcommand through the real binary") {
  using imgvisa::testing::RunImgvisa;
  auto r = RunImgvisa({"diff", "--old", Fixture("old"), "--new", Fixture("new"), "--as-of",
                       "2026-11-21", "--format", "ndjson", "-"},
                      ReadText(Fixture("profiles/graduated-2021.json")));
  CHECK(r.status == 1);
  REQUIRE(Lines(r.out).size() == 1);
  CHECK(Lines(r.out)[0]["line"] == 1);
  CHECK(RunImgvisa({"diff", "--old", Fixture("old"), Fixture("profiles/graduated-2021.json")})
            .status == 2);
  CHECK(RunImgvisa({"diff", "--old", Fixture("old"), "--new", Fixture("old"),
                    Fixture("profiles/graduated-2021.json")})
            .status == 0);
  // --pathway takes one value per occurrence; the profiles after it stay profiles.
  r = RunImgvisa({"diff", "--old", Fixture("old"), "--new", Fixture("new"), "--as-of", "2026-11-21",
                  "--pathway", "residency", Fixture("profiles/graduated-2021.json"),
                  Fixture("profiles/exam-failed-2021.json")});
  CHECK(r.status == 1);
  CHECK(r.err.empty());
  CHECK(r.out.find("2 profiles, 2 changed\n") != std::string::npos);
}

TEST_CASE("diff: contradictory facts are unknown under both sets, and the warning is said once") {
  DiffOptions options;
  options.old_rules = SourcePath("rules");
  options.new_rules = SourcePath("rules");
  options.inputs = {"-"};
  const std::string profile =
      ReadText(SourcePath("examples/profiles/step3-without-certificate.json"));
  std::string line;
  for (char c : profile) line += c == '\n' ? ' ' : c;
  const Result r = Diff(options, line + "\n");
  CHECK(r.status == imgvisa::kExitOk);  // the same facts, cleared the same way: no change
  const std::size_t first = r.err.find("warning[W007]");
  CHECK(first != std::string::npos);
  CHECK(r.err.find("warning[W007]", first + 1) == std::string::npos);
  CHECK(r.err.rfind("-:1:", 0) == 0);
}

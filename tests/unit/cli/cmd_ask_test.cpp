#include "imgvisa/cli/cmd_ask.h"

#include <dirent.h>
#include <fmt/format.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "ask_rule_files.h"
#include "imgvisa/cli/exit_code.h"
#include "imgvisa/cli/selection.h"
#include "imgvisa/engine/evaluator.h"
#include "imgvisa/profile/display_value.h"
#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/rules/rule_source.h"
#include "test_support.h"

using imgvisa::AskOptions;
using imgvisa::Evaluate;
using imgvisa::FactId;
using imgvisa::FactsFromJson;
using imgvisa::ParseIsoDate;
using imgvisa::RuleSet;
using imgvisa::RunAsk;
using imgvisa::SourceFile;
using imgvisa::VerdictKind;
using imgvisa::VerdictName;
using json = nlohmann::ordered_json;
using imgvisa::testing::AskRuleFiles;
using imgvisa::testing::ReadText;
using imgvisa::testing::WriteText;

namespace {

constexpr const char* kAsOf = imgvisa::testing::kAskAsOf;

// A fresh directory under /tmp, removed with everything in it at the end of the test.
struct TempDir {
  std::string path;
  TempDir() {
    char pattern[] = "/tmp/imgvisa-ask-XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    for (const std::string& name : Names()) ::unlink((path + "/" + name).c_str());
    for (const char* sub : {"/rules", "/dir"}) {
      const std::string d = path + sub;
      if (DIR* dir = opendir(d.c_str())) {
        while (dirent* e = readdir(dir)) ::unlink((d + "/" + e->d_name).c_str());
        closedir(dir);
      }
      ::rmdir(d.c_str());
    }
    ::rmdir(path.c_str());
  }
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    if (DIR* dir = opendir(path.c_str())) {
      while (dirent* e = readdir(dir)) {
        const std::string n = e->d_name;
        if (n != "." && n != ".." && n != "rules" && n != "dir") names.push_back(n);
      }
      closedir(dir);
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  std::string Rules() const {
    const std::string dir = path + "/rules";
    ::mkdir(dir.c_str(), 0700);
    for (const SourceFile& f : AskRuleFiles()) WriteText(dir + "/" + f.name(), f.text());
    return dir;
  }
};

struct Run {
  int status;
  std::string out;
  std::string err;
};

Run Ask(AskOptions options, const std::string& answers) {
  if (options.as_of.empty()) options.as_of = kAsOf;
  options.echo_answers = true;
  std::istringstream in(answers);
  std::ostringstream out, err;
  const int status = RunAsk(options, in, out, err);
  INFO(err.str());
  return {status, out.str(), err.str()};
}

// Where each question appears in a transcript (npos when it was not asked).
std::size_t At(const std::string& transcript, const std::string& question, std::size_t from = 0) {
  return transcript.find(question, from);
}

}  // namespace

TEST_CASE("ask: the most decisive question first, and verdicts shown as they settle") {
  TempDir dir;
  AskOptions options;
  options.rules_path = dir.Rules();
  Run r = Ask(options, "2\nn\nn\nnone\n");
  // status (three gates), exam (two requirements); the "no" to the exam settles alpha and beta,
  // so their score, graduation date and decision are never asked; then gamma's facts.
  const std::string& t = r.err;
  REQUIRE(At(t, "1. Status?") != std::string::npos);
  CHECK(At(t, "1. Status?") < At(t, "2. Passed the exam?"));
  CHECK(At(t, "2. Passed the exam?") < At(t, "3. History?"));
  CHECK(At(t, "3. History?") < At(t, "4. Countries?"));
  CHECK(At(t, "Score?") == std::string::npos);
  CHECK(At(t, "Graduation date?") == std::string::npos);
  CHECK(At(t, "Decided?") == std::string::npos);
  CHECK(At(t, "Tip?") == std::string::npos);
  CHECK(At(t, "  alpha: undetermined -> ineligible\n") != std::string::npos);
  CHECK(At(t, "  beta: undetermined -> ineligible\n") != std::string::npos);
  CHECK(At(t, "  gamma: undetermined -> eligible\n") != std::string::npos);
  CHECK(At(t, "Nothing left to ask can change a verdict.") != std::string::npos);
  CHECK(std::regex_search(t, std::regex(R"(\n  gamma +eligible +gamma title\n)")));
  CHECK(r.status == imgvisa::kExitOk);  // gamma is eligible
  // No --out: the profile, and nothing else, on standard output.
  CHECK(json::parse(r.out) == json::parse(R"({"status": "none", "exam": false, "history": [],
                                               "countries": []})"));
}

TEST_CASE("ask: an answer that does not fit is asked again with a hint") {
  TempDir dir;
  AskOptions options;
  options.rules_path = dir.Rules();
  Run r = Ask(options, "7\nnone\nmaybe\ny\n600\nabc\n350\nq\n");
  CHECK(At(r.err, "Not an answer: choose a number from 1 to 2. (? if you don't know)") !=
        std::string::npos);
  CHECK(At(r.err, "Not an answer: answer y or n.") != std::string::npos);
  CHECK(At(r.err, "Not an answer: score is 600, outside 0 to 500.") != std::string::npos);
  CHECK(At(r.err, "Not an answer: answer a whole number 0-500.") != std::string::npos);
  CHECK(At(r.err, "Stopped.") != std::string::npos);
  CHECK(json::parse(r.out) == json::parse(R"({"status": "none", "exam": true, "score": 350})"));
  // Everything alpha requires is met; its decision is pending.
  CHECK(At(r.err, "  alpha: undetermined -> conditional\n") != std::string::npos);
  CHECK(r.status == imgvisa::kExitOk);
}

TEST_CASE("ask: help describes the fact; a date that does not exist is refused") {
  TempDir dir;
  AskOptions options;
  options.rules_path = dir.Rules();
  options.pathways = {"beta"};
  Run r = Ask(options, "help\n2\ny\n2023-02-30\n2023-02-28\n");
  CHECK(At(r.err, "   Status today.\n   Example: \"none\"\n") != std::string::npos);
  CHECK(At(r.err, "grad must be a date YYYY-MM-DD, not \"2023-02-30\"") != std::string::npos);
  CHECK(At(r.err, "  beta: undetermined -> eligible\n") != std::string::npos);
  CHECK(json::parse(r.out)["grad"] == "2023-02-28");
  CHECK(r.status == imgvisa::kExitOk);
}

// The interview before its end screen (check's text output, which lists questions too).
static std::string Asked(const std::string& err) {
  return err.substr(0, err.find("\nVerdicts as of "));
}

TEST_CASE("ask: don't know leaves the fact unknown and it is not asked again") {
  TempDir dir;
  AskOptions options;
  options.rules_path = dir.Rules();
  SECTION("a don't-know gate: only what can close a pathway whichever way it falls is asked") {
    Run r = Ask(options, "?\nn\n");
    // An unmet exam closes alpha and beta whatever the status is: ineligible, not undetermined.
    CHECK(At(Asked(r.err), "Passed the exam?") != std::string::npos);
    CHECK(At(Asked(r.err), "  alpha: undetermined -> ineligible\n") != std::string::npos);
    CHECK(At(Asked(r.err), "Status?", At(Asked(r.err), "Passed the exam?")) == std::string::npos);
    CHECK(At(Asked(r.err), "Decided?") == std::string::npos);
    CHECK(json::parse(r.out)["status"] == nullptr);
    CHECK(json::parse(r.out)["exam"] == false);
    CHECK(r.status == imgvisa::kExitNoneOpen);
  }
  SECTION("an empty line is don't know too, and the interview goes on around it") {
    Run r = Ask(options, "2\n\n350\n2023-01-01\nn\nnone\n");
    // Asked once; unknown for good, the exam keeps alpha undetermined whatever the decision is,
    // but the score could still make alpha ineligible and the date block beta.
    const std::size_t exam = At(Asked(r.err), "2. Passed the exam?");
    REQUIRE(exam != std::string::npos);
    CHECK(At(Asked(r.err), "Passed the exam?", exam + 3) == exam + 3);
    CHECK(At(Asked(r.err), "Passed the exam?", exam + 4) == std::string::npos);
    CHECK(At(Asked(r.err), "3. Score?") != std::string::npos);
    CHECK(At(Asked(r.err), "4. Graduation date?") != std::string::npos);
    CHECK(At(Asked(r.err), "Decided?") == std::string::npos);
    CHECK(json::parse(r.out) == json::parse(R"({"status": "none", "exam": null, "score": 350,
                                                 "grad": "2023-01-01", "history": [],
                                                 "countries": []})"));
  }
}

TEST_CASE("ask: a list of records is asked entry by entry, only the fields that matter") {
  TempDir dir;
  AskOptions options;
  options.rules_path = dir.Rules();
  options.pathways = {"gamma"};
  // status none; history: yes, a J-1 from 2015-01-01 to 2016-01-01, no other; countries none.
  Run r = Ask(options, "2\ny\n1\n2015-01-01\n2016-01-01\nn\nnone\n");
  CHECK(At(r.err, "History?\n   Is there one to list? [y/n] > y\n   Entry 1:\n") !=
        std::string::npos);
  CHECK(At(r.err, "- Kind?") < At(r.err, "- Start?"));
  CHECK(At(r.err, "- Start?") < At(r.err, "- End?"));
  CHECK(At(r.err, "Is there another one? [y/n] > n") != std::string::npos);
  CHECK(json::parse(r.out) == json::parse(R"({"status": "none",
                        "history": [{"kind": "j1", "start": "2015-01-01", "end": "2016-01-01"}],
                        "countries": []})"));
  CHECK(r.status == imgvisa::kExitOk);
}

TEST_CASE("ask: a country is asked again until it is a code or names one country") {
  TempDir dir;
  const std::string rules = dir.path + "/rules";
  ::mkdir(rules.c_str(), 0700);
  for (const SourceFile& f : imgvisa::testing::TinyRuleSet(
           R"({"school.country": {"type": "country", "description": "d", "question": "Where?"}})",
           R"({"pathway": {"id": "p", "title": "T", "summary": "S", "sponsor": "X", "items": [
             {"id": "r", "kind": "requirement", "title": "t",
              "condition": {"in": [{"fact": "school.country"}, ["US", "CA"]]},
              "text": {"met": "m", "unmet": "u"},
              "sources": [{"instrument": "x", "verified": "2026-01-01"}]}]}})")) {
    WriteText(rules + "/" + f.name(), f.text());
  }
  AskOptions options;
  options.rules_path = rules;
  Run r = Ask(options, "2020-05-01\nNigera\nIndia\n");
  CHECK(At(r.err,
           "[country code or name] > 2020-05-01\n   Not an answer: not a country code "
           "(two capital letters, e.g. IN). (? if you don't know)\n") != std::string::npos);
  CHECK(At(r.err,
           "Not an answer: not a country code; did you mean \"NE\" (Niger) or \"NG\" "
           "(Nigeria)? (? if you don't know)\n") != std::string::npos);
  CHECK(At(r.err, "> India\n   read as IN (India)\n") != std::string::npos);
  CHECK(At(r.err, "  p: undetermined -> ineligible\n") != std::string::npos);
  CHECK(json::parse(r.out) == json::parse(R"({"school": {"country": "IN"}})"));
}

TEST_CASE("ask --out: written at the end, never over an existing file without --force") {
  TempDir dir;
  AskOptions options;
  options.rules_path = dir.Rules();
  options.out_path = dir.path + "/profile.json";
  SECTION("a new file, loaded back, evaluates to the verdicts shown") {
    Run r = Ask(options, "2\nn\nn\nnone\n");
    CHECK(r.status == imgvisa::kExitOk);
    CHECK(r.out.empty());
    CHECK(At(r.err, "saved 4 answers to " + options.out_path + "\n") != std::string::npos);
    CHECK(dir.Names() == std::vector<std::string>{"profile.json"});  // no temporary file left
    RuleSet rules = imgvisa::testing::MustLoad(AskRuleFiles());
    auto load =
        FactsFromJson(rules.dictionary, SourceFile("profile.json", ReadText(options.out_path)));
    REQUIRE(load.ok);
    auto verdicts = Evaluate(rules, load.facts, *ParseIsoDate(kAsOf));
    for (std::size_t p = 0; p < rules.pathways.size(); ++p) {
      const std::string row =
          fmt::format("\n  {:<5}  {:<14}  ", rules.pathways[p].id, VerdictName(verdicts[p].kind));
      CHECK(At(r.err, row) != std::string::npos);
    }
    CHECK(verdicts[*rules.FindPathway("gamma")].kind == VerdictKind::kEligible);
  }
  SECTION("an existing file is refused before anything is asked, and left alone") {
    WriteText(options.out_path, "keep me");
    Run r = Ask(options, "2\n");
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(r.err ==
          "imgvisa ask: " + options.out_path + " already exists; use --force to overwrite it\n");
    CHECK(ReadText(options.out_path) == "keep me");
    options.force = true;
    r = Ask(options, "1\n");
    CHECK(r.status == imgvisa::kExitNoneOpen);
    CHECK(json::parse(ReadText(options.out_path)) == json::parse(R"({"status": "citizen"})"));
    CHECK(dir.Names() == std::vector<std::string>{"profile.json"});
  }
  SECTION("a directory, or a directory that does not exist, is refused up front") {
    ::mkdir((dir.path + "/dir").c_str(), 0700);
    options.out_path = dir.path + "/dir";
    options.force = true;
    CHECK(Ask(options, "2\n").status == imgvisa::kExitUsage);
    options.out_path = dir.path + "/missing/profile.json";
    Run r = Ask(options, "2\n");
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(At(r.err, "cannot write " + options.out_path) != std::string::npos);
    CHECK(At(r.err, "Status?") == std::string::npos);
  }
  SECTION("end of input saves what was answered and says so") {
    Run r = Ask(options, "2\ny\n");
    CHECK(At(r.err, "interrupted: saved 2 answers to " + options.out_path + "\n") !=
          std::string::npos);
    CHECK(json::parse(ReadText(options.out_path)) ==
          json::parse(R"({"status": "none", "exam": true})"));
    CHECK(r.status == imgvisa::kExitNoneOpen);  // nothing is eligible or conditional yet
  }
  SECTION("end of input before any answer writes nothing") {
    Run r = Ask(options, "");
    CHECK(At(r.err, "interrupted: nothing answered; " + options.out_path + " not written") !=
          std::string::npos);
    CHECK(dir.Names().empty());
  }
}

TEST_CASE("ask: bad options are usage errors, a broken rule set is status 3") {
  TempDir dir;
  AskOptions options;
  options.rules_path = dir.Rules();
  options.as_of = "2026-02-30";
  CHECK(Ask(options, "").status == imgvisa::kExitUsage);
  options.as_of = kAsOf;
  options.pathways = {"gamme"};
  Run r = Ask(options, "");
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(At(r.err, "gamma") != std::string::npos);
  options.pathways = {};
  options.rules_path = dir.path + "/no-such-rules";
  CHECK(Ask(options, "").status == imgvisa::kExitRules);
}

namespace {

// Plays the person: reads each question from the transcript so far and answers it from a full
// profile ("?" for what the profile does not say), the way someone with their papers at hand
// would. Serves RunAsk's input one line at a time, as a terminal does.
class ProfileOracle : public std::streambuf {
 public:
  ProfileOracle(const RuleSet& rules, json profile, const std::ostringstream& transcript)
      : rules_(rules), profile_(std::move(profile)), transcript_(transcript) {}

  std::size_t questions() const { return questions_; }

 protected:
  int_type underflow() override {
    const std::string text = transcript_.str();
    const std::string chunk = text.substr(seen_);
    seen_ = text.size();
    line_ = Answer(chunk) + "\n";
    setg(line_.data(), line_.data(), line_.data() + line_.size());
    return traits_type::to_int_type(line_[0]);
  }

 private:
  static std::string Say(const json& v) {
    if (v.is_null()) return "?";
    if (v.is_boolean()) return v.get<bool>() ? "y" : "n";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_array()) {
      if (v.empty()) return "none";
      std::string out;
      for (const json& item : v) out += (out.empty() ? "" : ", ") + Say(item);
      return out;
    }
    return v.dump();
  }

  json Get(const std::string& path) const {
    const json* at = &profile_;
    std::size_t start = 0;
    while (true) {
      const std::size_t dot = path.find('.', start);
      const std::string key = path.substr(start, dot == std::string::npos ? dot : dot - start);
      if (!at->is_object() || !at->contains(key)) return nullptr;
      at = &(*at)[key];
      if (dot == std::string::npos) return *at;
      start = dot + 1;
    }
  }

  std::string Answer(const std::string& chunk) {
    static const std::regex question(R"((?:^|\n)\d+\. ([^\n]*))");
    static const std::regex field(R"((?:^|\n) +- ([^\n]*))");
    if (chunk.find("Not an answer") != std::string::npos)
      FAIL("refused: " << line_ << " in " << chunk);
    for (auto it = std::sregex_iterator(chunk.begin(), chunk.end(), question);
         it != std::sregex_iterator(); ++it) {
      fact_ = Find((*it)[1], std::nullopt);
      field_.reset();
      ++questions_;
    }
    for (auto it = std::sregex_iterator(chunk.begin(), chunk.end(), field);
         it != std::sregex_iterator(); ++it) {
      field_ = Find((*it)[1], fact_);
      ++questions_;
    }
    REQUIRE(fact_);
    const auto& decl = rules_.dictionary.at(*fact_);
    if (decl.is_record_list()) {
      const json records = Get(decl.path);
      if (chunk.find("Is there one to list?") != std::string::npos) {
        entry_ = 0;
        return records.is_null() ? "?" : records.empty() ? "n" : "y";
      }
      if (chunk.find("Is there another one?") != std::string::npos) {
        return ++entry_ < records.size() ? "y" : "n";
      }
      REQUIRE(field_);
      const json& record = records.at(entry_);
      const std::string& name = rules_.dictionary.at(*field_).field_name;
      return Say(record.contains(name) ? record[name] : json(nullptr));
    }
    return Say(Get(decl.path));
  }

  std::optional<FactId> Find(const std::string& question, std::optional<FactId> list) const {
    for (std::size_t i = 0; i < rules_.dictionary.facts().size(); ++i) {
      const auto& d = rules_.dictionary.facts()[i];
      if (d.question == question && d.list == list) return static_cast<FactId>(i);
    }
    FAIL("no fact asks: " << question);
    return std::nullopt;
  }

  const RuleSet& rules_;
  json profile_;
  const std::ostringstream& transcript_;
  std::size_t seen_ = 0;
  std::string line_;
  std::optional<FactId> fact_, field_;
  std::size_t entry_ = 0;
  std::size_t questions_ = 0;
};

}  // namespace

TEST_CASE("answering ask's questions from a full profile reaches that profile's verdicts") {
  // Every rule test case and every example profile: stopping when nothing open can change a
  // verdict must never stop too early, and the profile written holds only what was answered.
  auto load = imgvisa::LoadRuleSet("");
  REQUIRE(load.ok());
  const RuleSet& rules = *load.rules;
  std::vector<std::pair<std::string, json>> cases;
  for (const SourceFile& f : imgvisa::EmbeddedRuleFiles()) {
    json doc = json::parse(f.text());
    if (!doc.contains("tests")) continue;
    for (const json& t : doc["tests"]) {
      json profile = t["profile"];
      // ask builds a profile with one offer; several are written in the file (docs/cli.md).
      if (profile.contains("offers")) continue;
      profile["$as_of"] = t.value("as_of", kAsOf);
      cases.emplace_back(f.name() + ": " + t["name"].get<std::string>(), profile);
    }
  }
  for (const char* example : {"conrad-30-candidate", "j1-near-7-year-cap", "step3-passer-h1b",
                              "research-scholar-gov-funded", "first-questions"}) {
    json profile = json::parse(ReadText(
        imgvisa::testing::SourcePath(std::string("examples/profiles/") + example + ".json")));
    profile["$as_of"] = kAsOf;
    cases.emplace_back(example, profile);
  }
  REQUIRE(cases.size() > 100);
  std::string problem;
  const std::vector<std::size_t> selection = *imgvisa::SelectPathways(rules, {}, &problem);
  std::size_t questions = 0;
  // Under the sanitizers, which run far slower, every fifth case keeps the run within CI's budget;
  // the release run replays them all.
#ifdef IMGVISA_SANITIZED
  constexpr std::size_t kStride = 5;
#else
  constexpr std::size_t kStride = 1;
#endif
  for (std::size_t c = 0; c < cases.size(); c += kStride) {
    auto& [name, profile] = cases[c];
    INFO(name);
    const std::string as_of = profile["$as_of"];
    profile.erase("$as_of");
    AskOptions options;
    options.as_of = as_of;
    std::ostringstream out, err;
    ProfileOracle oracle(rules, profile, err);
    std::istream in(&oracle);
    const int status = RunAsk(options, in, out, err);
    INFO(err.str());
    questions += oracle.questions();
    auto full = FactsFromJson(rules.dictionary, SourceFile("full", profile.dump()));
    auto asked = FactsFromJson(rules.dictionary, SourceFile("asked", out.str()));
    REQUIRE(full.ok);
    REQUIRE(asked.ok);
    const imgvisa::Date date = *ParseIsoDate(as_of);
    auto want = Evaluate(rules, full.facts, date);
    auto got = Evaluate(rules, asked.facts, date);
    bool open = false;
    for (std::size_t p : selection) {
      INFO(rules.pathways[p].id);
      CHECK(VerdictName(got[p].kind) == VerdictName(want[p].kind));
      open = open || imgvisa::IsOpen(got[p].kind);
    }
    CHECK(status == (open ? imgvisa::kExitOk : imgvisa::kExitNoneOpen));
    // Only answers from the profile: every known value written is the profile's own.
    for (std::size_t f = 0; f < rules.dictionary.facts().size(); ++f) {
      const auto& decl = rules.dictionary.at(static_cast<FactId>(f));
      // Records that could not matter are not asked for, so only scalars and scalar lists.
      if (asked.facts.values[f].known() && !decl.list && !decl.is_record_list()) {
        INFO(decl.path);
        CHECK(imgvisa::DisplayValue(asked.facts.values[f], &decl) ==
              imgvisa::DisplayValue(full.facts.values[f], &decl));
      }
    }
  }
  // The interview asks questions at all (the oracle saw them), fewer than the dictionary holds.
  CHECK(questions > cases.size());
  CHECK(questions / cases.size() < rules.dictionary.facts().size());
}

// --max-errors through the real binary (docs/cli.md): every command that reads input reports at
// most N errors per input, then one line (or, in JSON and SARIF, a count) saying how many more.

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "imgvisa/cli/exit_code.h"
#include "spawn.h"
#include "test_support.h"

using imgvisa::testing::TempPath;
using nlohmann::json;

namespace {

const char* kAsOf = "2026-11-21";

imgvisa::testing::Process Imgvisa(const std::vector<std::string>& args,
                                  const std::string& stdin_text = "") {
  return imgvisa::testing::RunImgvisa(args, stdin_text);
}

std::size_t Count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

std::size_t Lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

// A directory that removes itself, holding the files given.
struct TempDir {
  explicit TempDir(const std::vector<std::pair<std::string, std::string>>& files)
      : path(TempPath(".d")) {
    std::filesystem::create_directories(path);
    for (const auto& [name, text] : files) imgvisa::testing::WriteText(path + "/" + name, text);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string path;
};

// A profile with `n` unknown facts: n E040 errors.
std::string UnknownKeys(int n) {
  std::string p = R"({"us_status": "none")";
  for (int i = 0; i < n; ++i) p += ", \"unknown_" + std::to_string(i) + "\": 1";
  return p + "}";
}

// A rule set of one file whose 25 facts each give three errors (two E012, one E013).
std::string BadFacts() {
  std::string facts;
  for (int i = 0; i < 25; ++i) {
    facts += (i ? ", " : "") + ("\"f" + std::to_string(i) + "\": {\"type\": \"boolean\"}");
  }
  return R"({"ruleset": {"name": "x", "version": "1"}, "facts": {)" + facts + "}}";
}

// A loadable rule set whose test file holds 25 cases naming an unknown fact: 25 errors.
std::vector<std::pair<std::string, std::string>> BadTests() {
  std::string cases;
  for (int i = 0; i < 25; ++i) {
    cases += (i ? ", " : "") + ("{\"name\": \"c" + std::to_string(i) +
                                "\", \"as_of\": \"2026-01-01\", \"profile\": {\"exma\": true}, "
                                "\"expect\": {\"p\": \"eligible\"}}");
  }
  return {
      {"0-ruleset.json", R"({"ruleset": {"name": "t", "version": "1"}})"},
      {"1-facts.json",
       R"({"facts": {"exam": {"type": "bool", "description": "d", "question": "q?"}}})"},
      {"2-pathway.json",
       R"({"pathway": {"id": "p", "title": "T", "summary": "S", "sponsor": "X", "items": [
         {"id": "uses-exam", "kind": "requirement", "title": "t",
          "condition": {"eq": [{"fact": "exam"}, true]}, "text": {"met": "m", "unmet": "u"},
          "sources": [{"instrument": "Act", "verified": "2026-06-01"}]}]},
         "tests": [)" +
           cases + "]}"},
  };
}

const std::string kMore20 = "and 5 more errors (--max-errors 0 shows them all)\n";

}  // namespace

TEST_CASE("max errors: check reports 20 errors of a profile by default, then how many more") {
  const std::string path = TempPath(".json");
  imgvisa::testing::WriteText(path, UnknownKeys(25));

  imgvisa::testing::Process r = Imgvisa({"check", "--as-of", kAsOf, path});
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(Count(r.err, "error[E040]") == 20);
  CHECK(Lines(r.err) == 21);
  CHECK(Count(r.err, path + ": " + kMore20) == 1);

  r = Imgvisa({"check", "--as-of", kAsOf, "--max-errors", "3", path});
  CHECK(Count(r.err, "error[E040]") == 3);
  CHECK(Count(r.err, path + ": and 22 more errors") == 1);

  r = Imgvisa({"check", "--as-of", kAsOf, "--max-errors", "0", path});
  CHECK(Count(r.err, "error[E040]") == 25);
  CHECK(Count(r.err, "more error") == 0);

  // JSON: the error record keeps the first 20 and counts the rest.
  r = Imgvisa({"check", "--as-of", kAsOf, "--format", "json", path});
  CHECK(r.status == imgvisa::kExitUsage);
  const json doc = json::parse(r.out);
  const json& record = doc["results"][0];
  CHECK(record["type"] == "error");
  CHECK(record["errors"].size() == 20);
  CHECK(record["more_errors"] == 5);
  CHECK(Count(r.err, kMore20) == 1);

  // NDJSON stream: per line, each line its own input.
  r = Imgvisa({"check", "--as-of", kAsOf, "--format", "ndjson", "-"},
              UnknownKeys(25) + "\n" + UnknownKeys(2) + "\n");
  const auto records = imgvisa::testing::JsonLines(r.out);
  REQUIRE(records.size() == 2);
  CHECK(records[0]["errors"].size() == 20);
  CHECK(records[0]["more_errors"] == 5);
  CHECK(records[1]["errors"].size() == 2);
  CHECK_FALSE(records[1].contains("more_errors"));
  CHECK(Count(r.err, "-:1: " + kMore20) == 1);
  CHECK(Count(r.err, "more error") == 1);
  ::unlink(path.c_str());
}

TEST_CASE("max errors: diff reports a profile's errors as check does") {
  const std::string rules = imgvisa::testing::SourcePath("rules");
  imgvisa::testing::Process r = Imgvisa(
      {"diff", "--old", rules, "--new", rules, "--as-of", kAsOf, "-"}, UnknownKeys(25) + "\n");
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(Count(r.err, "error[E040]") == 20);
  CHECK(Count(r.err, "-:1: " + kMore20) == 1);
  r = Imgvisa({"diff", "--old", rules, "--new", rules, "--as-of", kAsOf, "--max-errors", "0", "-"},
              UnknownKeys(25) + "\n");
  CHECK(Count(r.err, "error[E040]") == 25);
}

TEST_CASE("max errors: lint cuts the errors of each file in every format, never the warnings") {
  TempDir bad({{"r.json", BadFacts()}});
  const std::string file = bad.path + "/r.json";
  const std::string more = file + ": and 55 more errors (--max-errors 0 shows them all)";

  imgvisa::testing::Process r = Imgvisa({"lint", "--as-of", kAsOf, bad.path});
  CHECK(r.status == imgvisa::kExitFindings);
  CHECK(Count(r.out, ": error[") == 20);
  CHECK(Count(r.out, more + "\n") == 1);
  CHECK(Count(r.out, "75 errors, 0 warnings\n") == 1);  // the totals count every error

  r = Imgvisa({"lint", "--as-of", kAsOf, "--max-errors", "0", bad.path});
  CHECK(Count(r.out, ": error[") == 75);

  r = Imgvisa({"lint", "--as-of", kAsOf, "--format", "json", bad.path});
  const json j = json::parse(r.out);
  CHECK(j["diagnostics"].size() == 20);
  CHECK(j["summary"]["errors"] == 75);
  CHECK(j["summary"]["more_errors"] == 55);

  r = Imgvisa({"lint", "--as-of", kAsOf, "--format", "github", bad.path});
  CHECK(Count(r.out, "::error ") == 20);
  CHECK(Count(r.out, "::notice file=") == 1);
  CHECK(Count(r.out, "and 55 more errors") == 1);

  r = Imgvisa({"lint", "--as-of", kAsOf, "--format", "sarif", bad.path});
  const json sarif = json::parse(r.out);
  const json& run = sarif["runs"][0];
  CHECK(run["results"].size() == 20);
  const json& note = run["invocations"][0]["toolExecutionNotifications"][0];
  CHECK(note["level"] == "note");
  CHECK(note["message"]["text"] == more);

  // Warnings are findings, not errors: the shipped rules give more than 20 on a late date, and
  // every one is shown.
  r = Imgvisa({"lint", "--as-of", "2040-01-01", imgvisa::testing::SourcePath("rules")});
  CHECK(Count(r.out, ": warning[") > 20);
  CHECK(Count(r.out, "more error") == 0);
}

TEST_CASE("max errors: test cuts the errors of each test file") {
  TempDir rules(BadTests());
  imgvisa::testing::Process r = Imgvisa({"test", rules.path});
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(Count(r.err, "error[E040]") == 20);
  CHECK(Count(r.err, rules.path + "/2-pathway.json: " + kMore20) == 1);
  r = Imgvisa({"test", "--max-errors", "0", rules.path});
  CHECK(Count(r.err, "error[E040]") == 25);
}

TEST_CASE("max errors: a rule set that does not load is reported cut, by every command") {
  TempDir bad({{"r.json", BadFacts()}});
  const std::string more =
      bad.path + "/r.json: and 55 more errors (--max-errors 0 shows them all)\n";
  const std::vector<std::vector<std::string>> commands = {
      {"check", "--as-of", kAsOf, "--rules", bad.path, "-"},
      {"explain", "--as-of", kAsOf, "--rules", bad.path},
      {"docs", "profile", "--rules", bad.path},
      {"schema", "profile", "--rules", bad.path},
      {"test", bad.path},
      {"diff", "--old", bad.path, "--new", imgvisa::testing::SourcePath("rules"), "-"},
  };
  for (const auto& args : commands) {
    INFO(args[0]);
    imgvisa::testing::Process r = Imgvisa(args, "{}\n");
    CHECK(r.status == imgvisa::kExitRules);
    CHECK(Count(r.err, ": error[") == 20);
    CHECK(Count(r.err, more) == 1);
    std::vector<std::string> all = args;
    all.insert(all.begin() + 1, {"--max-errors", "0"});
    r = Imgvisa(all, "{}\n");
    CHECK(Count(r.err, ": error[") == 75);
  }
}

#include "imgvisa/cli/cmd_lint.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "imgvisa/cli/exit_code.h"
#include "test_support.h"

namespace fs = std::filesystem;
using imgvisa::LintCommandOptions;
using imgvisa::RunLint;

namespace {

struct Result {
  int status;
  std::string out;
  std::string err;
};

// Runs lint from the source root so file names in the output are relative and stable.
Result Lint(LintCommandOptions options) {
  if (options.as_of.empty()) options.as_of = "2026-11-21";
  const fs::path cwd = fs::current_path();
  fs::current_path(imgvisa::testing::SourcePath(""));
  std::ostringstream out, err;
  const int status = RunLint(options, out, err);
  fs::current_path(cwd);
  return {status, out.str(), err.str()};
}

std::vector<std::string> Cases() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(imgvisa::testing::SourcePath("tests/golden/lint"))) {
    if (e.is_directory()) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("lint: a golden good and bad case per check") {
  const auto names = Cases();
  REQUIRE(names.size() >= 19);
  for (const std::string& name : names) {
    SECTION(name) {
      const std::string code = name.substr(0, 4);
      LintCommandOptions options;
      options.strict = true;
      options.paths = {"tests/golden/lint/" + name + "/good"};
      Result good = Lint(options);
      CHECK(good.out == "0 errors, 0 warnings\n");
      CHECK(good.status == imgvisa::kExitOk);
      options.paths = {"tests/golden/lint/" + name + "/bad"};
      Result bad = Lint(options);
      CHECK(bad.out.find("[" + code + "]") != std::string::npos);
      CHECK(bad.status == imgvisa::kExitFindings);
      imgvisa::testing::CheckGolden("tests/golden/lint/" + name + "/bad.expected",
                                    bad.out + "exit status " + std::to_string(bad.status) + "\n");
    }
  }
}

TEST_CASE("lint: warnings fail only with --strict, and --allow exempts a code") {
  LintCommandOptions options;
  options.paths = {"tests/golden/lint/W103-unused-fact/bad"};
  CHECK(Lint(options).status == imgvisa::kExitOk);
  options.strict = true;
  CHECK(Lint(options).status == imgvisa::kExitFindings);
  options.allow = {"W103"};
  Result r = Lint(options);
  CHECK(r.status == imgvisa::kExitOk);
  // Silenced, not reported: only the summary counts it.
  CHECK(r.out.find("[W103]") == std::string::npos);
  CHECK(r.out == "0 errors, 0 warnings, 1 silenced by --allow W103\n");
}

TEST_CASE("lint: --allow silences its code in every format and the summary counts it") {
  LintCommandOptions options;
  options.paths = {"tests/golden/lint/W101-stale-source/bad"};
  options.strict = true;
  options.allow = {"W101"};
  SECTION("text") {
    Result r = Lint(options);
    CHECK(r.status == imgvisa::kExitOk);
    CHECK(r.out == "0 errors, 0 warnings, 2 silenced by --allow W101\n");
  }
  SECTION("json") {
    options.format = "json";
    auto doc = nlohmann::json::parse(Lint(options).out);
    CHECK(doc["diagnostics"].empty());
    CHECK(doc["summary"]["silenced"] == 2);
    CHECK(doc["summary"]["warnings"] == 0);
  }
  SECTION("github: no annotation, the count on a plain log line") {
    options.format = "github";
    Result r = Lint(options);
    CHECK(r.out.find("::") == std::string::npos);
    CHECK(r.out == "imgvisa lint: 2 findings silenced by --allow W101\n");
  }
  SECTION("sarif: no result, the count in the run's properties") {
    options.format = "sarif";
    auto sarif = nlohmann::json::parse(Lint(options).out);
    CHECK(sarif["runs"][0]["results"].empty());
    CHECK(sarif["runs"][0]["properties"]["silenced"] == 2);
  }
  SECTION("a code not found is counted as none, and other codes still report") {
    options.allow = {"W103"};
    Result r = Lint(options);
    CHECK(r.status == imgvisa::kExitFindings);
    CHECK(r.out.find("[W101]") != std::string::npos);
    CHECK(r.out.find("2 warnings, 0 silenced by --allow W103\n") != std::string::npos);
  }
}

TEST_CASE("lint: staleness limits are options, at the evaluation date") {
  LintCommandOptions options;
  options.strict = true;
  options.paths = {"tests/golden/lint/W101-stale-source/bad"};
  options.as_of = "2026-05-01";  // the 2024 source is over a year old; the 2026-03 one is not
  Result r = Lint(options);
  CHECK(r.out.find("volatile-old") == std::string::npos);
  CHECK(r.out.find("p/old") != std::string::npos);
  options.stale_after = 10000;
  CHECK(Lint(options).status == imgvisa::kExitOk);
}

TEST_CASE("lint: github workflow commands carry file, line and column") {
  LintCommandOptions options;
  options.format = "github";
  options.paths = {"tests/golden/lint/E021-unknown-fact/bad"};
  Result r = Lint(options);
  CHECK(r.status == imgvisa::kExitFindings);
  CHECK(r.out.rfind("::error file=tests/golden/lint/E021-unknown-fact/bad/2-pathway.json,line=",
                    0) == 0);
  CHECK(r.out.find(",title=E021::fact \"exma\" is not declared in the fact dictionary; did you "
                   "mean \"exam\"?\n") != std::string::npos);
}

TEST_CASE("lint: json and sarif name every finding's code and place") {
  LintCommandOptions options;
  options.paths = {"tests/golden/lint/W101-stale-source/bad"};
  options.format = "json";
  auto doc = nlohmann::json::parse(Lint(options).out);
  REQUIRE(doc["diagnostics"].size() == 2);
  CHECK(doc["diagnostics"][0]["code"] == "W101");
  CHECK(doc["diagnostics"][0]["check"] == "stale-source");
  CHECK(doc["diagnostics"][0]["location"]["line"].get<int>() > 0);
  CHECK(doc["summary"]["warnings"] == 2);
  options.format = "sarif";
  auto sarif = nlohmann::json::parse(Lint(options).out);
  CHECK(sarif["version"] == "2.1.0");
  const auto& run = sarif["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "imgvisa");
  REQUIRE(run["results"].size() == 2);
  const auto& result = run["results"][0];
  CHECK(result["ruleId"] == "W101");
  CHECK(run["tool"]["driver"]["rules"][result["ruleIndex"].get<std::size_t>()]["id"] == "W101");
  CHECK(result["level"] == "warning");
  CHECK(result["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>() > 0);
}

TEST_CASE("lint: the shipped rule set has no errors") {
  LintCommandOptions options;
  options.paths = {"rules"};
  options.format = "json";
  auto doc = nlohmann::json::parse(Lint(options).out);
  std::string errors;
  for (const auto& d : doc["diagnostics"]) {
    if (d["severity"] == "error") errors += d.dump() + "\n";
  }
  INFO(errors);
  CHECK(doc["summary"]["errors"] == 0);
}

TEST_CASE("lint: an unreadable path is a usage error, exit 2") {
  LintCommandOptions options;
  options.paths = {"no/such/dir"};
  Result r = Lint(options);
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.out.empty());
  CHECK(r.err.find("no/such/dir: error[E050]") != std::string::npos);
}

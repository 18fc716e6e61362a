#include "imgvisa/cli/cmd_rule_cases.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "imgvisa/cli/exit_code.h"
#include "test_support.h"

namespace fs = std::filesystem;
using imgvisa::TestOptions;

namespace {

struct Result {
  int status;
  std::string out;
  std::string err;
};

Result Test(const TestOptions& options) {
  std::ostringstream out, err;
  const int status = imgvisa::RunTest(options, out, err);
  return {status, out.str(), err.str()};
}

// A rule set in a directory of its own: rules.json with one pathway, and two test files under
// tests/, one of them written by the test case.
struct RuleDir {
  fs::path root = fs::temp_directory_path() / ("imgvisa-cmd-test-" + std::to_string(getpid()));

  explicit RuleDir(const std::string& second_tests) {
    fs::remove_all(root);
    fs::create_directories(root / "tests");
    imgvisa::testing::WriteText((root / "rules.json").string(), R"({
  "ruleset": {"name": "fixture", "version": "1"},
  "facts": {"exam": {"type": "bool", "description": "d", "question": "Passed?"}},
  "pathway": {"id": "p", "title": "T", "summary": "S", "sponsor": "X", "items": [
    {"id": "exam", "kind": "requirement", "title": "t", "condition": {"eq": [{"fact": "exam"}, true]},
     "text": {"met": "m", "unmet": "u"}, "sources": [{"instrument": "x", "verified": "2026-01-01"}]}]}
})");
    imgvisa::testing::WriteText((root / "tests/a.json").string(), R"({"tests": [
  {"name": "exam passed is eligible", "as_of": "2026-01-01", "profile": {"exam": true},
   "expect": {"p": "eligible"}},
  {"name": "exam failed is ineligible", "as_of": "2026-01-01", "profile": {"exam": false},
   "expect": {"p": "ineligible"}}
]})");
    imgvisa::testing::WriteText((root / "tests/b.json").string(), second_tests);
  }
  ~RuleDir() { fs::remove_all(root); }
  std::string operator/(const std::string& relative) const { return (root / relative).string(); }
};

const char* kPassing = R"({"tests": [
  {"name": "unknown exam is undetermined", "as_of": "2026-01-01", "profile": {},
   "expect": {"p": "undetermined"}}
]})";

}  // namespace

TEST_CASE("test: a malformed expectation counts as a failure in the tally, exit 2") {
  RuleDir dir(R"({"tests": [
  {"name": "a verdict that is no verdict", "as_of": "2026-01-01", "profile": {},
   "expect": {"p": "eligble"}},
  {"name": "fine", "as_of": "2026-01-01", "profile": {}, "expect": {"p": "undetermined"}}
]})");
  TestOptions options;
  options.paths = {dir.root.string()};
  Result r = Test(options);
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1) == "3 passed, 1 failed\n");
  // The report points at the bad value, as the diagnostic on standard error does.
  const std::string at = dir / "tests/b.json" + ":3:20";
  CHECK(r.out.find("FAIL " + at + ": a verdict that is no verdict\n") != std::string::npos);
  CHECK(r.out.find("  " + at + ": error[E060]: expected verdict must be one of:") !=
        std::string::npos);
  CHECK(r.err.find(at + ": error[E060]") != std::string::npos);
}

TEST_CASE("test: a failure points at the expectation's line and column, not the case's") {
  RuleDir dir(R"({"tests": [
  {"name": "wrong on purpose",
   "as_of": "2026-01-01",
   "profile": {"exam": false},
   "expect": {"p": "eligible"},
   "expect_items": {"p/exam": "met"}}
]})");
  TestOptions options;
  options.paths = {dir.root.string()};
  Result r = Test(options);
  CHECK(r.status == imgvisa::kExitFindings);
  const std::string file = dir / "tests/b.json";
  CHECK(r.out.find("FAIL " + file + ":5:20: wrong on purpose\n") != std::string::npos);
  CHECK(r.out.find("  " + file + ":5:20: p: expected eligible, got ineligible\n") !=
        std::string::npos);
  CHECK(r.out.find("  " + file + ":6:31: p/exam: expected met, got unmet\n") != std::string::npos);
  CHECK(r.out.find(":2:3:") == std::string::npos);  // not the start of the case
}

TEST_CASE("test: --case and a path inside the rule set narrow the run") {
  RuleDir dir(kPassing);
  TestOptions options;
  options.paths = {dir.root.string()};
  CHECK(Test(options).out == "3 passed, 0 failed\n");

  SECTION("--case runs the cases whose name contains the text, repeatable") {
    options.cases = {"ineligible"};
    Result r = Test(options);
    CHECK(r.status == imgvisa::kExitOk);
    CHECK(r.out == "1 passed, 0 failed\n");
    options.cases = {"ineligible", "undetermined"};
    options.verbose = true;
    r = Test(options);
    CHECK(r.out.find("PASS " + dir / "tests/a.json" + ":4: exam failed is ineligible\n") !=
          std::string::npos);
    CHECK(r.out.find("unknown exam is undetermined") != std::string::npos);
    CHECK(r.out.find("exam passed is eligible") == std::string::npos);
    CHECK(r.out.substr(r.out.rfind("\n", r.out.size() - 2) + 1) == "2 passed, 0 failed\n");
  }
  SECTION("a file inside the rule set's directory runs that file's cases only") {
    options.paths.push_back(dir / "tests/b.json");
    Result r = Test(options);
    CHECK(r.status == imgvisa::kExitOk);
    CHECK(r.out == "1 passed, 0 failed\n");
  }
  SECTION("so does a directory, and both filters together") {
    options.paths.push_back(dir / "tests/");
    CHECK(Test(options).out == "3 passed, 0 failed\n");
    options.cases = {"exam passed"};
    CHECK(Test(options).out == "1 passed, 0 failed\n");
  }
  SECTION("a filter that selects nothing is a usage error, with a suggestion") {
    options.cases = {"exam pased is eligible"};
    Result r = Test(options);
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "imgvisa test: no test case name contains \"exam pased is eligible\" (did you mean "
          "\"exam passed is eligible\"?)\n");
    options.cases = {};
    options.paths.push_back(dir / "rules.json");
    r = Test(options);
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(r.err == "imgvisa test: no test cases in " + dir / "rules.json" + "\n");
  }
}

// End-to-end checks of the real binary: exit statuses, stdout/stderr separation, bad input.

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "test_support.h"

using imgvisa::testing::RunImgvisa;
using imgvisa::testing::SourcePath;

namespace {

std::string TempFile(const std::string& name, const std::string& content) {
  const std::string path = "/tmp/imgvisa-cli-test-" + std::to_string(getpid()) + "-" + name;
  imgvisa::testing::WriteText(path, content);
  return path;
}

// A US citizen who studied abroad and holds the certificate: ECFMG certification is eligible.
const char* kOpen =
    R"({"us_status": "citizen", "school": {"country": "GD"}, "ecfmg": {"certificate": {"status": "issued"}},
  "usmle": {"step1": {"status": "passed"}, "step2ck": {"status": "passed"}, "step2cs": {"status": "not_taken"}, "step3": {"status": "not_taken"}}})";

}  // namespace

TEST_CASE("exit 0 when some pathway is open, 1 when none is") {
  const std::string img = TempFile(
      "img.json",
      R"({"school": {"country": "IN"}, "usmle": {"step1": {"status": "failed", "attempts": 1}},
     "ecfmg": {"certificate": {"status": "not_issued"}}})");
  auto r = RunImgvisa({"check", "--as-of", "2026-11-21", "--pathway", "ecfmg-certification", img});
  CHECK(r.status == 1);
  CHECK(r.err.empty());
  const std::string ok = TempFile(
      "ok.json",
      R"({"school": {"country": "PK"}, "ecfmg": {"certificate": {"status": "issued"}}, "usmle": {"step1": {"status": "passed"}, "step2ck": {"status": "passed"}, "step2cs": {"status": "not_taken"}, "step3": {"status": "not_taken"}}})");
  r = RunImgvisa({"check", "--as-of", "2026-11-21", "--pathway", "ecfmg-certification", ok});
  CHECK(r.status == 0);
  unlink(img.c_str());
  unlink(ok.c_str());
}

TEST_CASE("usage errors exit 2, never CLI11's own codes") {
  CHECK(RunImgvisa({"check"}).status == 2);
  CHECK(RunImgvisa({"check", "--format", "xml", "x.json"}).status == 2);
  CHECK(RunImgvisa({"check", "--bogus", "x.json"}).status == 2);
  CHECK(RunImgvisa({"frobnicate"}).status == 2);
  CHECK(RunImgvisa({}).status == 2);
  auto help = RunImgvisa({"--help"});
  CHECK(help.status == 0);
  CHECK(help.out.find("check") != std::string::npos);
}

TEST_CASE("usage errors: one line in our words with a suggestion, a hint, exit 2") {
  auto r = RunImgvisa({"chek", "x.json"});
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "imgvisa: unknown command \"chek\" (did you mean \"check\"?)\n"
        "Run 'imgvisa --help' for the commands.\n");
  r = RunImgvisa({"check", "--fromat", "json", "x.json"});
  CHECK(r.status == 2);
  CHECK(r.err ==
        "imgvisa check: unknown option \"--fromat\" (did you mean \"--format\"?)\n"
        "Run 'imgvisa help check' for its options.\n");
  r = RunImgvisa({"lint", "--format", "sarf"});
  CHECK(r.status == 2);
  CHECK(r.err.rfind("imgvisa lint: --format takes text, json, github or sarif, not \"sarf\" (did "
                    "you mean \"sarif\"?)\n",
                    0) == 0);
  r = RunImgvisa({"check"});
  CHECK(r.err == "imgvisa check: missing PROFILE\nRun 'imgvisa help check' for its options.\n");
  // What only the parser sees is said in the same form.
  r = RunImgvisa({"check", "--jobs", "999", "x.json"});
  CHECK(r.status == 2);
  CHECK(r.err.rfind("imgvisa check: --jobs: ", 0) == 0);
  CHECK(r.err.find("\nRun 'imgvisa help check' for its options.\n") != std::string::npos);
  // None of CLI11's own words.
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"chek", "x.json"}, {"check", "--bogus", "x.json"}, {"check"}, {"diff", "a.json"}}) {
    r = RunImgvisa(args);
    CHECK(r.err.find("not expected") == std::string::npos);
    CHECK(r.err.find("Run with --help") == std::string::npos);
    CHECK(r.err.find("is required") == std::string::npos);
  }
}

TEST_CASE("imgvisa help COMMAND prints that command's help, imgvisa help the program's") {
  auto help = RunImgvisa({"help", "check"});
  CHECK(help.status == 0);
  CHECK(help.err.empty());
  CHECK(help.out == RunImgvisa({"check", "--help"}).out);
  CHECK(help.out.find("--format") != std::string::npos);
  auto top = RunImgvisa({"help"});
  CHECK(top.status == 0);
  CHECK(top.out == RunImgvisa({"--help"}).out);
  CHECK(top.out.find("help ") != std::string::npos);
  auto unknown = RunImgvisa({"help", "chek"});
  CHECK(unknown.status == 2);
  CHECK(unknown.out.empty());
  CHECK(unknown.err ==
        "imgvisa: unknown command \"chek\" (did you mean \"check\"?)\n"
        "Run 'imgvisa --help' for the commands.\n");
}

TEST_CASE("version flag prints the program and the rule set's version and hash") {
  auto r = RunImgvisa({"--version"});
  CHECK(r.status == 0);
  CHECK(r.out.rfind("imgvisa 0.1.0\nrules imgvisa-us ", 0) == 0);
  CHECK(r.out.find("sha256:") != std::string::npos);
}

TEST_CASE("bad inputs: one clear line on stderr, nothing on stdout, exit 2") {
  struct Case {
    const char* name;
    std::string content;
    const char* expect;
  };
  const std::vector<Case> cases = {
      {"malformed", "{\"school\": [1,}",
       "malformed.json:1:15: error[E001]: invalid JSON: syntax error while parsing value - "
       "unexpected '}'"},
      {"truncated", "{\"school\": {\"country\": \"IN\"",
       "truncated.json:1:28: error[E001]: invalid JSON: syntax error while parsing object - "
       "unexpected end of input"},
      {"utf8", "{\"school\": {\"country\": \"\xc3\x28\"}}",
       "utf8.json:1:26: error[E001]: invalid JSON: syntax error while parsing value - invalid "
       "string: ill-formed UTF-8 byte"},
      {"overflow", "{\"oet\": {\"writing\": 1e400}}",
       "overflow.json:1:21: error[E001]: invalid JSON: number overflow"},
      {"empty", "", "empty.json:1:1: error[E001]: invalid JSON: the input is empty"},
      {"not-object", "42",
       "not-object.json:1:1: error[E041]: a profile must be a JSON object, not an integer"},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      const std::string path = TempFile(std::string(c.name) + ".json", c.content);
      auto r = RunImgvisa({"check", "--as-of", "2026-11-21", path});
      CHECK(r.status == 2);
      CHECK(r.out.empty());
      INFO(r.err);
      CHECK(r.err.find(std::string(c.expect).substr(0, std::string(c.expect).find(':'))) !=
            std::string::npos);
      CHECK(r.err.find(std::string(c.expect).substr(std::string(c.expect).find(':') + 1)) !=
            std::string::npos);
      CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
      unlink(path.c_str());
    }
  }
  SECTION("a directory") {
    auto r = RunImgvisa({"check", "/tmp"});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "/tmp: error[E050]: cannot read the profile: is a directory, not a file\n");
  }
  SECTION("a missing file") {
    auto r = RunImgvisa({"check", "/nonexistent/profile.json"});
    CHECK(r.status == 2);
    CHECK(r.err ==
          "/nonexistent/profile.json: error[E050]: cannot read the profile: No such file or "
          "directory\n");
  }
  SECTION("other profiles are still evaluated") {
    const std::string good = TempFile("good.json", kOpen);
    auto r = RunImgvisa(
        {"check", "--as-of", "2026-11-21", "--format", "ndjson", "/nonexistent.json", good});
    CHECK(r.status == 2);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);
    unlink(good.c_str());
  }
}

TEST_CASE("check reads standard input and works from any directory with the embedded rules") {
  auto r = RunImgvisa({"check", "--as-of", "2026-11-21", "-"}, kOpen);
  CHECK(r.status == 0);
  CHECK(r.out.rfind("- — as of 2026-11-21 (rules imgvisa-us", 0) == 0);
}

TEST_CASE("NO_COLOR and --color never keep escape codes out; always adds them") {
  auto plain = RunImgvisa({"check", "--as-of", "2026-11-21", "--color", "always", "-"}, kOpen,
                          {"NO_COLOR=1"});
  CHECK(plain.out.find("\x1b[") == std::string::npos);
  auto colored = RunImgvisa({"check", "--as-of", "2026-11-21", "--color", "always", "-"}, kOpen);
  CHECK(colored.out.find("\x1b[") != std::string::npos);
  auto piped = RunImgvisa({"check", "--as-of", "2026-11-21", "-"}, kOpen);
  CHECK(piped.out.find("\x1b[") == std::string::npos);
}

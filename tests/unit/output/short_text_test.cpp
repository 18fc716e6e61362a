#include "imgvisa/output/short_text.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "imgvisa/cli/cmd_check.h"
#include "imgvisa/output/text_wrap.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> ExampleNames() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(imgvisa::testing::SourcePath("examples/profiles"))) {
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// `imgvisa check` of an example with its default (short) text, at 80 columns.
imgvisa::testing::CommandResult CheckExample(const std::string& name,
                                             std::vector<std::string> what_if = {}) {
  imgvisa::CheckOptions options;
  options.inputs = {"examples/profiles/" + name + ".json"};
  options.as_of = "2026-11-21";
  options.rules_path = imgvisa::testing::SourcePath("rules");
  options.what_if = std::move(what_if);
  const fs::path cwd = fs::current_path();
  fs::current_path(imgvisa::testing::SourcePath(""));
  std::istringstream in;
  std::ostringstream out, err;
  const int status = imgvisa::RunCheck(options, in, out, err);
  fs::current_path(cwd);
  return {status, out.str(), err.str()};
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream s(text);
  for (std::string line; std::getline(s, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("every example's short answer gives its expected output") {
  const std::vector<std::string> names = ExampleNames();
  REQUIRE(names.size() >= 12);
  for (const std::string& name : names) {
    SECTION(name) {
      const auto r = CheckExample(name);
      imgvisa::testing::CheckGolden("tests/golden/examples-short/" + name + ".txt",
                                    r.out + "exit status " + std::to_string(r.status) + "\n");
    }
  }
}

TEST_CASE("every example's short answer fits: 60 lines, the verdicts and first step on a screen") {
  for (const std::string& name : ExampleNames()) {
    INFO(name);
    const std::vector<std::string> lines = Lines(CheckExample(name).out);
    CHECK(lines.size() <= 60);
    for (const std::string& line : lines) CHECK(imgvisa::DisplayWidth(line) <= 80);
    // The table: from the line after the heading's blank line to the next blank line.
    std::size_t table_end = 2;
    while (table_end < lines.size() && !lines[table_end].empty()) ++table_end;
    CHECK(table_end <= 24);
    const auto steps = std::find(lines.begin(), lines.end(), "Next steps:");
    if (steps != lines.end()) {
      const std::size_t first_step = static_cast<std::size_t>(steps - lines.begin()) + 1;
      REQUIRE(first_step < lines.size());
      CHECK(lines[first_step].rfind("  1. ", 0) == 0);
      CHECK(first_step < 24);
    }
    // Each question once.
    std::vector<std::string> questions;
    for (const std::string& line : lines) {
      if (line.rfind("  - ", 0) == 0) questions.push_back(line);
    }
    std::sort(questions.begin(), questions.end());
    CHECK(std::adjacent_find(questions.begin(), questions.end()) == questions.end());
  }
}

TEST_CASE("short answer: waivers that do not concern the person fold into one line") {
  const std::string out = CheckExample("new-graduate-matched-j1").out;
  CHECK(out.find("  10 waivers             not-applicable — only if: has an outstanding "
                 "212(e)") != std::string::npos);
  CHECK(out.find("waiver-conrad-30") == std::string::npos);
  CHECK(out.find("source:") == std::string::npos);
  CHECK(out.find("--detail full (or -v)") != std::string::npos);
}

TEST_CASE("short answer: a curable closed verdict says not yet and its step") {
  const auto r = CheckExample("first-questions");
  CHECK(r.out.find("j1-clinical            ineligible — not yet: pass USMLE Step 1") !=
        std::string::npos);
  CHECK(r.out.find("Next steps:\n  1. Pass USMLE Step 1") != std::string::npos);
  // An undetermined verdict's next step is the question that settles the most.
  CHECK(r.out.find(". Answer: ") != std::string::npos);
}

TEST_CASE("short answer: the offer a verdict is for stays visible") {
  const std::string out = CheckExample("two-offers-step3-passer").out;
  CHECK(out.find("h1b                    eligible — for offer 2 (Riverside") != std::string::npos);
}

TEST_CASE("short answer: --what-if changes come right after the verdict table") {
  const std::string out =
      CheckExample("new-graduate-matched-j1", {"usmle.step3.status=passed"}).out;
  const std::size_t what_if = out.find("what if usmle.step3.status=passed:");
  REQUIRE(what_if != std::string::npos);
  CHECK(what_if < out.find("Why:"));
  CHECK(std::count(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(what_if), '\n') < 24);
}

TEST_CASE("short answer: -v and --detail full give every reason; COLUMNS sets the width") {
  const std::string example =
      imgvisa::testing::SourcePath("examples/profiles/first-questions.json");
  const auto full =
      imgvisa::testing::RunImgvisa({"check", "--as-of", "2026-11-21", "--detail", "full", example});
  const auto verbose =
      imgvisa::testing::RunImgvisa({"check", "--as-of", "2026-11-21", "-v", example});
  CHECK(full.out == verbose.out);
  CHECK(full.out.find("source: ") != std::string::npos);
  const auto narrow =
      imgvisa::testing::RunImgvisa({"check", "--as-of", "2026-11-21", example}, "", {"COLUMNS=60"});
  std::size_t widest = 0;
  for (const std::string& line : Lines(narrow.out)) {
    widest = std::max(widest, imgvisa::DisplayWidth(line));
  }
  CHECK(widest <= 60);
  CHECK(widest > 50);
}

TEST_CASE("text wrap: words at spaces, hanging indent, long words alone") {
  CHECK(imgvisa::WrapWords("aa bb cc dd", 5, 5) == std::vector<std::string>{"aa bb", "cc dd"});
  CHECK(imgvisa::WrapWords("aa bb cc", 2, 8) == std::vector<std::string>{"aa", "bb cc"});
  CHECK(imgvisa::WrapWords("https://example.org/long x", 10, 10) ==
        std::vector<std::string>{"https://example.org/long", "x"});
  CHECK(imgvisa::DisplayWidth("a — b") == 5);
  CHECK(imgvisa::HangingIndent("  1. ", 5, "one two three four five six seven", 5, 21) ==
        "  1. one two three\n     four five six\n     seven\n");
}

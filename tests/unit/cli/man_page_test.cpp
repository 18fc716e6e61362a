#include "imgvisa/cli/man_page.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

#include "test_support.h"

using imgvisa::CommandLine;

namespace {

CommandLine Line() {
  CommandLine line;
  line.summary = "US visa pathways";
  line.options = {{{"--help", "-h"}, "", {}, "Print this help", false, false}};
  imgvisa::CommandSpec lint{"lint", "Check rule files", {}, {}};
  lint.options = {{{"--help", "-h"}, "", {}, "Print this help", false, false},
                  {{"--format"}, "FORMAT", {"text", "sarif"}, "text or sarif", false, false},
                  {{"--allow"}, "CODE", {}, "Silence this code", false, true},
                  {{"--as-of"}, "DATE", {}, "Date YYYY-MM-DD", false, false}};
  lint.arguments = {{"PATH", "Rule files", {}, false, true}};
  line.commands = {lint};
  return line;
}

std::string Page(const CommandLine& line) {
  std::ostringstream out;
  imgvisa::WriteManPage(out, line, "0.1.0");
  return out.str();
}

}  // namespace

TEST_CASE("the man page: every command with its synopsis, options and exit statuses, in roff") {
  const std::string page = Page(Line());
  CHECK(page.find(".TH IMGVISA 1 \"\" \"imgvisa 0.1.0\" \"User Commands\"\n") != std::string::npos);
  CHECK(page.find(".SH NAME\nimgvisa \\- US visa pathways\n") != std::string::npos);
  CHECK(page.find("\\fBimgvisa lint [OPTIONS] [PATH...]\\fR") != std::string::npos);
  // Hyphens are \- so that options copy as typed; choices in the head, repeatable said once.
  CHECK(page.find(".TP\n\\fB\\-\\-format\\fR \\fBtext\\fR|\\fBsarif\\fR\ntext or sarif\n") !=
        std::string::npos);
  CHECK(page.find(".TP\n\\fB\\-\\-allow\\fR \\fICODE\\fR\nSilence this code (repeatable)\n") !=
        std::string::npos);
  CHECK(page.find("Date YYYY\\-MM\\-DD") != std::string::npos);
  CHECK(page.find(".SH \"EXIT STATUS\"") != std::string::npos);
  CHECK(page.find(".SS \"lint\"\n.TP\n.B 0\nclean") != std::string::npos);
  CHECK(page.find(".SH ENVIRONMENT\n.TP\n.B NO_COLOR") != std::string::npos);
  // No line starts with a control character that roff would take for a request.
  std::istringstream lines(page);
  for (std::string l; std::getline(lines, l);) {
    if (!l.empty() && l[0] == '\'') FAIL(l);
  }
}

TEST_CASE("the man page knows the exit statuses of every command of the binary") {
  // The commands as `imgvisa --help` lists them: a new command needs its exit statuses here.
  const auto help = imgvisa::testing::RunImgvisa({"--help"});
  REQUIRE(help.status == 0);
  const std::string list = help.out.substr(help.out.find("Subcommands:"));
  std::istringstream lines(list);
  std::string line;
  std::getline(lines, line);
  std::size_t commands = 0;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string command;
    if (!(words >> command)) continue;
    ++commands;
    INFO(command);
    CHECK_FALSE(imgvisa::ExitStatusesOf(command).empty());
  }
  CHECK(commands >= 10);
  CHECK(imgvisa::ExitStatusesOf("frobnicate").empty());
  CHECK_FALSE(imgvisa::ExitStatusesOf("").empty());
}

TEST_CASE("the man page the binary prints describes every option its help lists") {
  const auto page = imgvisa::testing::RunImgvisa({"docs", "man"});
  REQUIRE(page.status == 0);
  for (const char* command : {"check", "test", "diff", "explain", "docs", "lint", "schema", "ask",
                              "completion", "help"}) {
    const auto help = imgvisa::testing::RunImgvisa({"help", command});
    REQUIRE(help.status == 0);
    CHECK(page.out.find(".SS \"" + std::string(command) + "\"") != std::string::npos);
    std::istringstream words(help.out);
    for (std::string word; words >> word;) {
      // "-h,--help", "--format", "--jobs,-j": each name, as roff writes it.
      for (std::size_t start = 0; start < word.size();) {
        std::size_t end = word.find(',', start);
        if (end == std::string::npos) end = word.size();
        const std::string name = word.substr(start, end - start);
        start = end + 1;
        if (name.size() < 2 || name[0] != '-' ||
            !std::isalpha(static_cast<unsigned char>(name[name[1] == '-' ? 2 : 1])))
          continue;
        std::string roff;
        for (char c : name) roff += c == '-' ? "\\-" : std::string(1, c);
        INFO(command << " " << name);
        CHECK(page.out.find("\\fB" + roff + "\\fR") != std::string::npos);
      }
    }
  }
}

TEST_CASE("README: ask in Use, the exit statuses of every command as the man page has them") {
  const std::string readme = imgvisa::testing::ReadText(imgvisa::testing::SourcePath("README.md"));
  const std::size_t use = readme.find("\n## Use\n");
  REQUIRE(use != std::string::npos);
  const std::string use_section = readme.substr(use, readme.find("\n## ", use + 1) - use);
  CHECK(use_section.find("imgvisa ask") != std::string::npos);
  // The Quick start stays two commands.
  const std::size_t quick = readme.find("\n## Quick start\n");
  REQUIRE(quick != std::string::npos);
  const std::size_t fence = readme.find("```sh\n", quick) + 6;
  const std::string block = readme.substr(fence, readme.find("```", fence) - fence);
  CHECK(std::count(block.begin(), block.end(), '\n') == 2);
  CHECK(block.rfind("scripts/quickstart", 0) == 0);

  // | `check` | meaning of 0 | of 1 | of 2 | of 3 |, "—" where the command never exits so.
  std::istringstream lines(readme.substr(readme.find("### Exit status")));
  std::string heading;
  std::getline(lines, heading);
  std::size_t rows = 0;
  for (std::string line; std::getline(lines, line) && (line.empty() || line[0] != '#');) {
    if (line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> cells;
    for (std::size_t start = 1, end; (end = line.find(" |", start)) != std::string::npos;
         start = end + 2) {
      cells.push_back(line.substr(start + 1, end - start - 1));
    }
    REQUIRE(cells.size() == 5);
    for (std::size_t tick = cells[0].find('`'); tick != std::string::npos;
         tick = cells[0].find('`', cells[0].find('`', tick + 1) + 1)) {
      const std::string command =
          cells[0].substr(tick + 1, cells[0].find('`', tick + 1) - tick - 1);
      ++rows;
      const auto statuses = imgvisa::ExitStatusesOf(command);
      INFO(command);
      REQUIRE_FALSE(statuses.empty());
      for (int status = 0; status <= 3; ++status) {
        const bool has =
            std::any_of(statuses.begin(), statuses.end(),
                        [&](const imgvisa::ExitStatus& s) { return s.status == status; });
        INFO("exit " << status);
        CHECK(has == (cells[static_cast<std::size_t>(status) + 1] != "—"));
      }
    }
  }
  CHECK(rows == 10);  // every command of the binary
}

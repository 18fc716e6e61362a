#include "imgvisa/cli/usage_error.h"

#include <catch2/catch.hpp>

using imgvisa::CommandLine;
using imgvisa::FindUsageError;

namespace {

// A small command line in the shape main describes: two commands and help.
CommandLine Line() {
  CommandLine line;
  line.summary = "test";
  line.options = {{{"--help", "-h"}, "", {}, "Help", false, false},
                  {{"--version"}, "", {}, "Version", false, false}};
  imgvisa::CommandSpec check{"check", "Evaluate profiles", {}, {}};
  check.options = {
      {{"--help", "-h"}, "", {}, "Help", false, false},
      {{"--format"}, "FORMAT", {"text", "json", "ndjson"}, "text, json or ndjson", false, false},
      {{"--pathway"}, "PATHWAY", {}, "Only this pathway", false, true},
      {{"--jobs", "-j"}, "N", {}, "Threads", false, false},
      {{"--strict"}, "", {}, "Fail on warnings", false, false}};
  check.arguments = {{"PROFILE", "Profile files", {}, true, true}};
  imgvisa::CommandSpec diff{"diff", "Compare", {}, {}};
  diff.options = {{{"--help", "-h"}, "", {}, "Help", false, false},
                  {{"--old"}, "PATH", {}, "Before", true, false}};
  diff.arguments = {{"PROFILE", "Profile files", {}, true, true}};
  imgvisa::CommandSpec docs{"docs", "Pages", {}, {}};
  docs.arguments = {{"PAGE", "pathways or profile", {"pathways", "profile"}, true, false}};
  imgvisa::CommandSpec help{"help", "Help", {}, {}};
  help.arguments = {{"COMMAND", "A command", {"check", "diff", "docs", "help"}, false, false}};
  line.commands = {check, diff, docs, help};
  return line;
}

// The two lines on standard error, or "" when the arguments are fine.
std::string Error(const std::vector<std::string>& args) {
  const CommandLine line = Line();
  const auto error = FindUsageError(line, args);
  return error ? imgvisa::FormatUsageError(line, *error) : "";
}

}  // namespace

TEST_CASE("usage errors: an unknown command, with a suggestion and a hint") {
  CHECK(Error({"chek", "x.json"}) ==
        "imgvisa: unknown command \"chek\" (did you mean \"check\"?)\n"
        "Run 'imgvisa --help' for the commands.\n");
  CHECK(Error({"frobnicate"}) ==
        "imgvisa: unknown command \"frobnicate\"\nRun 'imgvisa --help' for the commands.\n");
  // A profile given without its command.
  CHECK(Error({"x.json"}) ==
        "imgvisa: unknown command \"x.json\"\nTo check a profile: 'imgvisa check x.json'.\n");
  CHECK(Error({"help", "chek"}) ==
        "imgvisa: unknown command \"chek\" (did you mean \"check\"?)\n"
        "Run 'imgvisa --help' for the commands.\n");
}

TEST_CASE("usage errors: an unknown option, with a suggestion among the command's options") {
  CHECK(Error({"check", "--fromat", "json", "x.json"}) ==
        "imgvisa check: unknown option \"--fromat\" (did you mean \"--format\"?)\n"
        "Run 'imgvisa help check' for its options.\n");
  CHECK(Error({"check", "--fromat=json", "x.json"})
            .rfind("imgvisa check: unknown option \"--fromat\" (did you mean \"--format\"?)\n",
                   0) == 0);
  // One-letter options are all one edit apart: no suggestion.
  CHECK(Error({"check", "-x", "a.json"}) ==
        "imgvisa check: unknown option \"-x\"\nRun 'imgvisa help check' for its options.\n");
  CHECK(Error({"--verison"}) ==
        "imgvisa: unknown option \"--verison\" (did you mean \"--version\"?)\n"
        "Run 'imgvisa --help' for the commands.\n");
  // A command's option before the command.
  CHECK(Error({"--format", "json", "check", "x.json"}) ==
        "imgvisa: unknown option \"--format\"\n"
        "Options of a command go after it: 'imgvisa check --format ...'.\n");
}

TEST_CASE("usage errors: values missing or outside their choices") {
  CHECK(Error({"check", "x.json", "--format"}) ==
        "imgvisa check: --format needs a value (FORMAT: text, json or ndjson)\n"
        "Run 'imgvisa help check' for its options.\n");
  CHECK(Error({"check", "--pathway", "--strict", "x.json"})
            .rfind("imgvisa check: --pathway needs a value (PATHWAY)\n", 0) == 0);
  CHECK(Error({"check", "--format", "jsn", "x.json"}) ==
        "imgvisa check: --format takes text, json or ndjson, not \"jsn\" (did you mean "
        "\"json\"?)\nRun 'imgvisa help check' for its options.\n");
  CHECK(Error({"check", "--format=xml", "x.json"})
            .rfind("imgvisa check: --format takes text, json or ndjson, not \"xml\"\n", 0) == 0);
  CHECK(Error({"docs", "pathwys"})
            .rfind("imgvisa docs: PAGE takes pathways or profile, not \"pathwys\" (did you mean "
                   "\"pathways\"?)\n",
                   0) == 0);
}

TEST_CASE("usage errors: arguments missing or too many") {
  CHECK(Error({"check"}) ==
        "imgvisa check: missing PROFILE\nRun 'imgvisa help check' for its options.\n");
  CHECK(Error({"docs"}).rfind("imgvisa docs: missing PAGE (pathways or profile)\n", 0) == 0);
  CHECK(Error({"docs", "pathways", "extra"})
            .rfind("imgvisa docs: unexpected argument \"extra\"\n", 0) == 0);
  CHECK(Error({"diff", "a.json"}).rfind("imgvisa diff: missing --old PATH\n", 0) == 0);
}

TEST_CASE("usage errors: what is not one") {
  CHECK(Error({}).empty());  // main prints the help
  CHECK(Error({"--version"}).empty());
  CHECK(Error({"check", "a.json", "-", "--format", "json", "--pathway", "h1b"}).empty());
  CHECK(Error({"check", "--format=json", "-j4", "--jobs", "2", "a.json"}).empty());
  CHECK(Error({"diff", "--old", "r", "a.json"}).empty());
  CHECK(Error({"help"}).empty());
  CHECK(Error({"help", "check"}).empty());
  // After --, everything is an argument; with --help nothing is missing.
  CHECK(Error({"check", "--", "--odd-name.json"}).empty());
  CHECK(Error({"check", "--help"}).empty());
  CHECK(Error({"diff", "-h"}).empty());
  // A mistyped option is an error even with --help.
  CHECK_FALSE(Error({"check", "--fromat", "--help"}).empty());
}

// The imgvisa executable: wires the command line to the plain functions of imgvisa_core.
// Everything a test needs to call lives in the library; main only parses flags and resolves
// the environment (today's date, whether stdout is a terminal, NO_COLOR).

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "imgvisa/cmd_check.h"
#include "imgvisa/cmd_explain.h"
#include "imgvisa/cmd_test.h"
#include "imgvisa/cmd_version.h"
#include "imgvisa/exit_code.h"

namespace {

std::string Today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &local);
  return buffer;
}

bool UseColor(const std::string& mode) {
  if (std::getenv("NO_COLOR") != nullptr && *std::getenv("NO_COLOR") != '\0') return false;
  if (mode == "always") return true;
  if (mode == "never") return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe ends the output quietly (`imgvisa check ... | head`); writes then fail and
  // the command stops instead of being killed mid-record.
  std::signal(SIGPIPE, SIG_IGN);
  std::ios::sync_with_stdio(false);

  CLI::App app{
      "imgvisa: US visa pathways for international medical graduates, with the law behind every "
      "verdict."};
  app.require_subcommand(0, 1);
  bool version = false;
  app.add_flag("--version", version,
               "Print the program version and the rule set's version and hash");

  imgvisa::CheckOptions check;
  std::string color = "auto";
  CLI::App* check_cmd = app.add_subcommand("check", "Evaluate profiles against every pathway");
  check_cmd->add_option("profiles", check.inputs, "Profile files (JSON); - reads standard input")
      ->required();
  check_cmd->add_option("--as-of", check.as_of, "Evaluation date YYYY-MM-DD (default: today)");
  check_cmd->add_option("--pathway", check.pathways, "Only this pathway (repeatable)");
  check_cmd->add_option("--rules", check.rules_path,
                        "Rule file or directory instead of the embedded rules");
  check_cmd->add_option("--format", check.format, "text, json or ndjson")
      ->check(CLI::IsMember({"text", "json", "ndjson"}));
  check_cmd->add_option("--color", color, "auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  imgvisa::TestOptions test;
  CLI::App* test_cmd = app.add_subcommand("test", "Run the rule set's test cases");
  test_cmd->add_option("rules", test.rules_path,
                       "Rule file or directory (default: the embedded rules and their tests)");
  test_cmd->add_option("--format", test.format, "text or junit")
      ->check(CLI::IsMember({"text", "junit"}));
  test_cmd->add_flag("--coverage", test.coverage, "Report which item outcomes the tests saw");
  test_cmd
      ->add_option("--min-coverage", test.min_coverage,
                   "Fail below this percentage of item outcomes seen")
      ->check(CLI::Range(0.0, 100.0));
  test_cmd->add_flag("-v,--verbose", test.verbose, "List passing cases too");

  imgvisa::ExplainOptions explain;
  CLI::App* explain_cmd =
      app.add_subcommand("explain", "What pathways require, in plain language with sources");
  explain_cmd->add_option("pathways", explain.pathways, "Pathway ids (default: all)");
  explain_cmd->add_option("--format", explain.format, "text, markdown or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}));
  explain_cmd->add_option("--as-of", explain.as_of,
                          "Show the rules in force on this date (default: today)");
  explain_cmd->add_flag("--all-versions", explain.all_versions,
                        "Show every dated version of every item");
  explain_cmd->add_option("--rules", explain.rules_path,
                          "Rule file or directory instead of the embedded rules");

  std::string docs_which, docs_rules;
  CLI::App* docs_cmd = app.add_subcommand(
      "docs", "Print a generated reference page (docs/pathways.md, docs/profile.md)");
  docs_cmd->add_option("page", docs_which, "pathways or profile")
      ->required()
      ->check(CLI::IsMember({"pathways", "profile"}));
  docs_cmd->add_option("--rules", docs_rules,
                       "Rule file or directory instead of the embedded rules");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 exits with its own codes (100-127); the contract allows only 0 and 2 here.
    const int rc = app.exit(e);
    return rc == 0 ? imgvisa::kExitOk : imgvisa::kExitUsage;
  }

  if (version) return imgvisa::RunVersion(std::cout, std::cerr);
  if (check_cmd->parsed()) {
    if (check.as_of.empty()) check.as_of = Today();
    check.color = check.format == "text" && UseColor(color);
    return imgvisa::RunCheck(check, std::cin, std::cout, std::cerr);
  }
  if (test_cmd->parsed()) return imgvisa::RunTest(test, std::cout, std::cerr);
  if (explain_cmd->parsed()) {
    if (explain.as_of.empty()) explain.as_of = Today();
    return imgvisa::RunExplain(explain, std::cout, std::cerr);
  }
  if (docs_cmd->parsed()) return imgvisa::RunDocs(docs_which, docs_rules, std::cout, std::cerr);
  std::cerr << app.help();
  return imgvisa::kExitUsage;
}

// The imgvisa executable: wires the command line to the plain functions of imgvisa_core.
// Everything a test needs to call lives in the library; main is the only place that knows
// CLI11 and the environment (today's date, whether stdout is a terminal, NO_COLOR): it parses
// the flags and hands them to the commands, which resolve them (cli/options.h).

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <exception>
#include <iostream>
#include <new>
#include <optional>
#include <string_view>

#include "cli/cmd_version.h"
#include "cli/options.h"
#include "imgvisa/base/diagnostic.h"
#include "imgvisa/cli/cmd_ask.h"
#include "imgvisa/cli/cmd_check.h"
#include "imgvisa/cli/cmd_diff.h"
#include "imgvisa/cli/cmd_explain.h"
#include "imgvisa/cli/cmd_lint.h"
#include "imgvisa/cli/cmd_rule_cases.h"
#include "imgvisa/cli/cmd_schema.h"
#include "imgvisa/cli/command_line.h"
#include "imgvisa/cli/completion.h"
#include "imgvisa/cli/exit_code.h"
#include "imgvisa/cli/man_page.h"
#include "imgvisa/cli/usage_error.h"
#include "imgvisa/sys/descriptor_input.h"
#include "imgvisa/sys/huge_page_heap.h"
#include "imgvisa/sys/terminal_width.h"

namespace {

std::string Today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &local);
  return buffer;
}

// Who says that a command's output could not be written: main, or the command itself (check and
// diff, which read errno right after the write that failed).
enum class WriteErrors { kSaidHere, kSaidByCommand };

// Commands write to std::cout; a write that failed (a full disk) must not pass for success, even
// from a command that failed for another reason. A reader that went away (`| head`) is not worth
// a message.
int Finished(int status, WriteErrors said = WriteErrors::kSaidHere) {
  std::cout.flush();
  if (std::cout || errno == EPIPE) return status;
  if (said == WriteErrors::kSaidByCommand && status == imgvisa::kExitUsage) return status;
  std::cerr << "imgvisa: cannot write the output: " << std::strerror(errno) << "\n";
  return imgvisa::kExitUsage;
}

// Straight to the file descriptor: std::cerr may be what failed (sync_with_stdio allocates).
void WriteError(std::string_view message) {
  const ssize_t written = ::write(STDERR_FILENO, message.data(), message.size());
  (void)written;
}

// nlohmann 3.11.2 destroys a value without recursion, which allocates, inside a noexcept
// destructor: out of memory there calls std::terminate rather than reaching main's catch.
[[noreturn]] void OnTerminate() {
  const char* message = "imgvisa: internal error; the output is incomplete\n";
  try {
    if (std::exception_ptr e = std::current_exception()) std::rethrow_exception(e);
  } catch (const std::bad_alloc&) {
    message = "imgvisa: out of memory; the output is incomplete\n";
  } catch (...) {
  }
  WriteError(message);
  std::_Exit(imgvisa::kExitUsage);
}

// --max-errors, the same on every command that reads input.
void AddMaxErrors(CLI::App* cmd, std::size_t& max_errors) {
  cmd->add_option("--max-errors", max_errors,
                  "Report at most N errors per input (profile, line or file), then count the rest "
                  "(0: no limit; default 20)");
}

// One pair of functions per subcommand: AddX declares its options, filling a struct that holds
// them as given; RunXCommand completes what only main knows (today's date, the terminal, the
// environment) and calls the command's function.

struct CheckFlags {
  imgvisa::CheckOptions options;
  std::string color = "auto";
  bool no_next_steps = false;
  bool verbose = false;
};

CLI::App* AddCheck(CLI::App& app, CheckFlags& flags) {
  imgvisa::CheckOptions& check = flags.options;
  CLI::App* cmd = app.add_subcommand("check", "Evaluate profiles against every pathway");
  cmd->add_option("profiles", check.inputs, "Profile files (JSON); - reads standard input")
      ->required()
      ->type_name("PROFILE");
  cmd->add_option("--as-of", check.as_of, "Evaluation date YYYY-MM-DD (default: today)")
      ->type_name("DATE");
  cmd->add_option("--pathway", check.pathways, "Only this pathway (repeatable)")
      ->allow_extra_args(false)
      ->type_name("PATHWAY");
  cmd->add_option("--rules", check.rules_path,
                  "Rule file or directory instead of the embedded rules")
      ->type_name("PATH");
  cmd->add_option("--format", check.format, "text, json or ndjson")
      ->check(CLI::IsMember({"text", "json", "ndjson"}))
      ->type_name("FORMAT");
  cmd->add_option("--what-if", check.what_if, "Also evaluate with FACT=VALUE changed (repeatable)")
      ->allow_extra_args(false)
      ->type_name("FACT=VALUE");
  cmd->add_option("--detail", check.detail,
                  "short (text; its default): verdicts, next steps, reasons, questions; full "
                  "(json and ndjson default): every reason with its sources; summary (json and "
                  "ndjson): verdicts, decisive items and missing facts only")
      ->check(CLI::IsMember({"short", "full", "summary"}))
      ->type_name("DETAIL");
  cmd->add_flag("-v,--verbose", flags.verbose, "Same as --detail full");
  cmd->add_option("--jobs,-j", check.jobs,
                  "Threads for an NDJSON stream on standard input (0: one per CPU)")
      ->check(CLI::Range(0u, 256u))
      ->type_name("N");
  cmd->add_flag("--no-next-steps", flags.no_next_steps,
                "Skip planning the changes that would open closed pathways");
  cmd->add_option("--color", flags.color, "auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("WHEN");
  AddMaxErrors(cmd, check.max_errors);
  return cmd;
}

int RunCheckCommand(CheckFlags& flags) {
  imgvisa::CheckOptions& check = flags.options;
  // Before the check allocates anything of size: its heap then costs a page fault or two
  // rather than one per page (include/imgvisa/sys/huge_page_heap.h). Only check, the command
  // run in loops and pipelines, and not when IMGVISA_HUGE_PAGES=0.
  if (imgvisa::HugePagesAllowed(std::getenv("IMGVISA_HUGE_PAGES"))) {
    imgvisa::MoveHeapToHugePages();
  }
  if (check.as_of.empty()) check.as_of = Today();
  const auto color = imgvisa::ParseColorChoice(flags.color).value_or(imgvisa::ColorChoice::kAuto);
  check.color = imgvisa::UseColor(color, std::getenv("NO_COLOR"), ::isatty(STDOUT_FILENO) == 1);
  check.next_steps = !flags.no_next_steps;
  if (flags.verbose && check.detail.empty()) check.detail = "full";
  check.columns = imgvisa::TerminalColumns(std::getenv("COLUMNS"), STDOUT_FILENO);
  // A stream of profiles is read in large blocks rather than std::cin's small ones
  // (descriptor_input.h); std::cin gets its own buffer back before the block is freed.
  std::optional<imgvisa::DescriptorInput> standard_input;
  if (std::find(check.inputs.begin(), check.inputs.end(), "-") != check.inputs.end()) {
    standard_input.emplace(STDIN_FILENO);
  }
  std::streambuf* const cin_buffer =
      standard_input ? std::cin.rdbuf(&*standard_input) : std::cin.rdbuf();
  const int status = Finished(imgvisa::RunCheck(check, std::cin, std::cout, std::cerr),
                              WriteErrors::kSaidByCommand);
  std::cin.rdbuf(cin_buffer);
  return status;
}

CLI::App* AddTest(CLI::App& app, imgvisa::TestOptions& test) {
  CLI::App* cmd = app.add_subcommand("test", "Run the rule set's test cases");
  cmd->add_option("paths", test.paths,
                  "Rule files or directories forming one rule set (default: the embedded "
                  "rules and their tests); one inside another runs only its test files")
      ->type_name("PATH");
  cmd->add_option("--format", test.format, "text or junit")
      ->check(CLI::IsMember({"text", "junit"}))
      ->type_name("FORMAT");
  cmd->add_flag("--coverage", test.coverage, "Report which item outcomes the tests saw");
  cmd->add_option("--min-coverage", test.min_coverage,
                  "Fail below this percentage of item outcomes seen")
      ->check(CLI::Range(0.0, 100.0))
      ->type_name("PERCENT");
  cmd->add_option("--case", test.cases, "Only the cases whose name contains this (repeatable)")
      ->allow_extra_args(false)
      ->type_name("TEXT");
  cmd->add_flag("-v,--verbose", test.verbose, "List passing cases too");
  AddMaxErrors(cmd, test.max_errors);
  return cmd;
}

int RunTestCommand(const imgvisa::TestOptions& test) {
  return Finished(imgvisa::RunTest(test, std::cout, std::cerr));
}

CLI::App* AddDiff(CLI::App& app, imgvisa::DiffOptions& diff) {
  CLI::App* cmd = app.add_subcommand(
      "diff", "Which profiles' verdicts or decisive items change between two rule sets");
  cmd->add_option("profiles", diff.inputs, "Profile files (JSON); - reads NDJSON from stdin")
      ->required()
      ->type_name("PROFILE");
  cmd->add_option("--old", diff.old_rules, "Rule file or directory before the change")
      ->required()
      ->type_name("PATH");
  cmd->add_option("--new", diff.new_rules, "Rule file or directory after the change")
      ->required()
      ->type_name("PATH");
  cmd->add_option("--as-of", diff.as_of, "Evaluation date YYYY-MM-DD (default: today)")
      ->type_name("DATE");
  // One value per occurrence: otherwise CLI11 lets a vector option swallow the profiles after it.
  cmd->add_option("--pathway", diff.pathways, "Only this pathway (repeatable)")
      ->allow_extra_args(false)
      ->type_name("PATHWAY");
  cmd->add_option("--format", diff.format, "text or ndjson")
      ->check(CLI::IsMember({"text", "ndjson"}))
      ->type_name("FORMAT");
  AddMaxErrors(cmd, diff.max_errors);
  return cmd;
}

int RunDiffCommand(imgvisa::DiffOptions& diff) {
  if (diff.as_of.empty()) diff.as_of = Today();
  return Finished(imgvisa::RunDiff(diff, std::cin, std::cout, std::cerr),
                  WriteErrors::kSaidByCommand);
}

CLI::App* AddExplain(CLI::App& app, imgvisa::ExplainOptions& explain) {
  CLI::App* cmd =
      app.add_subcommand("explain", "What pathways require, in plain language with sources");
  cmd->add_option("pathways", explain.pathways, "Pathway ids (default: all)")->type_name("PATHWAY");
  cmd->add_option("--format", explain.format, "text, markdown or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}))
      ->type_name("FORMAT");
  cmd->add_option("--as-of", explain.as_of, "Show the rules in force on this date (default: today)")
      ->type_name("DATE");
  cmd->add_flag("--all-versions", explain.all_versions, "Show every dated version of every item");
  cmd->add_option("--rules", explain.rules_path,
                  "Rule file or directory instead of the embedded rules")
      ->type_name("PATH");
  AddMaxErrors(cmd, explain.max_errors);
  return cmd;
}

int RunExplainCommand(imgvisa::ExplainOptions& explain) {
  if (explain.as_of.empty()) explain.as_of = Today();
  return Finished(imgvisa::RunExplain(explain, std::cout, std::cerr));
}

// `docs PAGE` and `schema KIND`: a choice and the rules it is generated from.
struct PageFlags {
  std::string which;
  std::string rules_path;
  std::size_t max_errors = imgvisa::kDefaultMaxErrors;
};

CLI::App* AddDocs(CLI::App& app, PageFlags& docs) {
  CLI::App* cmd = app.add_subcommand(
      "docs", "Print a generated reference page (docs/pathways.md, docs/profile.md, the man page)");
  cmd->add_option("page", docs.which, "pathways, profile or man (the roff of imgvisa(1))")
      ->required()
      ->check(CLI::IsMember({"pathways", "profile", "man"}))
      ->type_name("PAGE");
  cmd->add_option("--rules", docs.rules_path,
                  "Rule file or directory instead of the embedded rules")
      ->type_name("PATH");
  AddMaxErrors(cmd, docs.max_errors);
  return cmd;
}

int RunDocsCommand(const PageFlags& docs, const imgvisa::CommandLine& line) {
  if (docs.which == "man") {
    imgvisa::WriteManPage(std::cout, line, IMGVISA_VERSION);
    return Finished(imgvisa::kExitOk);
  }
  return Finished(
      imgvisa::RunDocs(docs.which, docs.rules_path, std::cout, std::cerr, docs.max_errors));
}

CLI::App* AddLint(CLI::App& app, imgvisa::LintCommandOptions& lint) {
  CLI::App* cmd = app.add_subcommand(
      "lint", "Check rule files: structure, types, references, sources, dead conditions");
  cmd->add_option("paths", lint.paths,
                  "Rule files or directories forming one rule set (default: the embedded rules)")
      ->type_name("PATH");
  cmd->add_option("--format", lint.format, "text, json, github or sarif")
      ->check(CLI::IsMember({"text", "json", "github", "sarif"}))
      ->type_name("FORMAT");
  cmd->add_option("--as-of", lint.as_of, "Date at which staleness is measured (default: today)")
      ->type_name("DATE");
  cmd->add_option("--stale-after", lint.stale_after,
                  "Days after which a source must be verified again (default 365)")
      ->check(CLI::NonNegativeNumber)
      ->type_name("DAYS");
  cmd->add_option("--stale-after-volatile", lint.stale_after_volatile,
                  "The same for volatile items (default 180)")
      ->check(CLI::NonNegativeNumber)
      ->type_name("DAYS");
  cmd->add_flag("--strict", lint.strict, "Fail on warnings too");
  cmd->add_option("--allow", lint.allow,
                  "Silence this code: leave its findings out, only counted (repeatable)")
      ->allow_extra_args(false)
      ->type_name("CODE");
  AddMaxErrors(cmd, lint.max_errors);
  return cmd;
}

int RunLintCommand(imgvisa::LintCommandOptions& lint) {
  if (lint.as_of.empty()) lint.as_of = Today();
  return Finished(imgvisa::RunLint(lint, std::cout, std::cerr));
}

CLI::App* AddSchema(CLI::App& app, PageFlags& schema) {
  CLI::App* cmd =
      app.add_subcommand("schema", "Print the JSON Schema of profiles or of rule files");
  cmd->add_option("kind", schema.which, "profile or rules")
      ->required()
      ->check(CLI::IsMember({"profile", "rules"}))
      ->type_name("KIND");
  cmd->add_option("--rules", schema.rules_path,
                  "Rule file or directory instead of the embedded rules")
      ->type_name("PATH");
  AddMaxErrors(cmd, schema.max_errors);
  return cmd;
}

int RunSchemaCommand(const PageFlags& schema) {
  return Finished(
      imgvisa::RunSchema(schema.which, schema.rules_path, std::cout, std::cerr, schema.max_errors));
}

CLI::App* AddAsk(CLI::App& app, imgvisa::AskOptions& ask) {
  CLI::App* cmd = app.add_subcommand(
      "ask", "Build a profile by answering only the questions that can change a verdict");
  cmd->add_option("--out", ask.out_path,
                  "Write the profile to this file (default: standard output)")
      ->type_name("FILE");
  cmd->add_option("--as-of", ask.as_of, "Evaluation date YYYY-MM-DD (default: today)")
      ->type_name("DATE");
  cmd->add_option("--rules", ask.rules_path, "Rule file or directory instead of the embedded rules")
      ->type_name("PATH");
  cmd->add_flag("--force", ask.force, "Overwrite the --out file if it exists");
  cmd->add_option("--resume", ask.resume_path,
                  "Continue from a saved profile: ask only what is still open and write it back "
                  "to the same file, or to the --out file")
      ->type_name("FILE");
  cmd->add_option("--pathway", ask.pathways, "Only this pathway (repeatable)")
      ->allow_extra_args(false)
      ->type_name("PATHWAY");
  return cmd;
}

int RunAskCommand(imgvisa::AskOptions& ask) {
  if (ask.as_of.empty()) ask.as_of = Today();
  ask.echo_answers = ::isatty(STDIN_FILENO) != 1;
  ask.save_on_signal = true;
  return Finished(imgvisa::RunAsk(ask, std::cin, std::cout, std::cerr));
}

// `completion SHELL` and `help [COMMAND]`: one word each.
CLI::App* AddCompletion(CLI::App& app, std::string& shell) {
  CLI::App* cmd = app.add_subcommand(
      "completion", "Print a shell completion script (source <(imgvisa completion bash))");
  cmd->add_option("shell", shell, "The shell: bash")
      ->required()
      ->check(CLI::IsMember({"bash"}))
      ->type_name("SHELL");
  return cmd;
}

// Added last: its argument is any of the commands before it.
CLI::App* AddHelp(CLI::App& app, std::string& command) {
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    commands.push_back(sub->get_name());
  }
  commands.push_back("help");
  CLI::App* cmd = app.add_subcommand("help", "Print the help of a command, or of imgvisa");
  cmd->add_option("command", command, "A command")
      ->check(CLI::IsMember(commands))
      ->type_name("COMMAND");
  return cmd;
}

// The formatter directly: App::help() would show the help of the command parsed, `help` itself.
int RunHelpCommand(const CLI::App& app, const std::string& command) {
  const CLI::App* const target = command.empty() ? &app : app.get_subcommand(command);
  const std::string name = target == &app ? app.get_name() : app.get_name() + " " + command;
  std::cout << app.get_formatter()->make_help(target, name, CLI::AppFormatMode::Normal);
  return Finished(imgvisa::kExitOk);
}

// The option's value name and its choices from the type name CLI11 shows, which is the name set
// with type_name() followed by each validator's description: "FORMAT:{text,json,ndjson}".
void ReadTypeName(const std::string& type_name, std::string& value,
                  std::vector<std::string>& choices) {
  std::size_t colon = type_name.find(':');
  value = type_name.substr(0, colon);
  while (colon != std::string::npos) {
    const std::size_t next = type_name.find(':', colon + 1);
    const std::string part = type_name.substr(colon + 1, next - colon - 1);
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      std::string word;
      for (char c : part.substr(1, part.size() - 2) + ",") {
        if (c != ',') {
          word += c;
        } else if (!word.empty()) {
          choices.push_back(std::move(word));
          word.clear();
        }
      }
    }
    colon = next;
  }
}

std::vector<imgvisa::OptionSpec> DescribeOptions(const CLI::App& app,
                                                 std::vector<imgvisa::ArgumentSpec>* arguments) {
  std::vector<imgvisa::OptionSpec> options;
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_positional()) {
      if (!arguments) continue;
      imgvisa::ArgumentSpec a{
          {}, o->get_description(), {}, o->get_required(), o->get_items_expected_max() > 1};
      ReadTypeName(o->get_type_name(), a.name, a.choices);
      arguments->push_back(std::move(a));
      continue;
    }
    imgvisa::OptionSpec spec;
    for (const std::string& n : o->get_lnames()) spec.names.push_back("--" + n);
    for (const std::string& n : o->get_snames()) spec.names.push_back("-" + n);
    if (o->get_type_size() != 0) ReadTypeName(o->get_type_name(), spec.value, spec.choices);
    spec.help = o->get_description();
    spec.required = o->get_required();
    spec.repeatable = o->get_type_size() != 0 && o->get_items_expected_max() > 1;
    options.push_back(std::move(spec));
  }
  return options;
}

// The command line as data (include/imgvisa/cli/command_line.h), read back from CLI11 so that
// what is generated from it describes exactly what is parsed.
imgvisa::CommandLine Describe(const CLI::App& app) {
  imgvisa::CommandLine line;
  line.program = app.get_name();
  line.summary = app.get_description();
  const std::size_t colon = line.summary.find(": ");
  if (colon != std::string::npos) line.summary = line.summary.substr(colon + 2);
  if (!line.summary.empty() && line.summary.back() == '.') line.summary.pop_back();
  line.options = DescribeOptions(app, nullptr);
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    imgvisa::CommandSpec command{sub->get_name(), sub->get_description(), {}, {}};
    command.options = DescribeOptions(*sub, &command.arguments);
    line.commands.push_back(std::move(command));
  }
  return line;
}

std::vector<std::string> Arguments(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return args;
}

// What CLI11 alone found (a number out of range): its words, in the form of ours.
int ParserError(const CLI::App& app, const imgvisa::CommandLine& line, const CLI::ParseError& e) {
  std::string command;
  for (const CLI::App* sub : app.get_subcommands()) command = sub->get_name();
  std::string message = e.what();
  if (!message.empty()) message[0] = static_cast<char>(std::tolower(message[0]));
  std::cerr << imgvisa::FormatUsageError(
      line, imgvisa::ParserUsageError(line, command, std::move(message)));
  return imgvisa::kExitUsage;
}

}  // namespace

// A function-try-block: whatever escapes a command (out of memory above all) ends the process
// with one line and the usage status, never an abort with a core dump.
int main(int argc, char** argv) try {
  // A closed pipe ends the output quietly (`imgvisa check ... | head`); writes then fail and
  // the command stops instead of being killed mid-record.
  std::signal(SIGPIPE, SIG_IGN);
  std::set_terminate(OnTerminate);
  std::ios::sync_with_stdio(false);

  CLI::App app{
      "imgvisa: US visa pathways for international medical graduates, with the law behind every "
      "verdict.",
      "imgvisa"};
  app.require_subcommand(0, 1);
  bool version = false;
  app.add_flag("--version", version,
               "Print the program version and the rule set's version and hash");
  // In the order `imgvisa --help` lists them.
  CheckFlags check;
  CLI::App* const check_cmd = AddCheck(app, check);
  imgvisa::TestOptions test;
  CLI::App* const test_cmd = AddTest(app, test);
  imgvisa::DiffOptions diff;
  CLI::App* const diff_cmd = AddDiff(app, diff);
  imgvisa::ExplainOptions explain;
  CLI::App* const explain_cmd = AddExplain(app, explain);
  PageFlags docs;
  CLI::App* const docs_cmd = AddDocs(app, docs);
  imgvisa::LintCommandOptions lint;
  CLI::App* const lint_cmd = AddLint(app, lint);
  PageFlags schema;
  CLI::App* const schema_cmd = AddSchema(app, schema);
  imgvisa::AskOptions ask;
  CLI::App* const ask_cmd = AddAsk(app, ask);
  std::string shell;
  CLI::App* const completion_cmd = AddCompletion(app, shell);
  std::string help_topic;
  CLI::App* const help_cmd = AddHelp(app, help_topic);

  // Usage errors in our words, before CLI11 sees the arguments (include/imgvisa/cli/usage_error.h).
  const imgvisa::CommandLine line = Describe(app);
  if (auto error = imgvisa::FindUsageError(line, Arguments(argc, argv))) {
    std::cerr << imgvisa::FormatUsageError(line, *error);
    return imgvisa::kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    // --help is written to standard output, which may fail like any command's output.
    return app.exit(e) == 0 ? Finished(imgvisa::kExitOk) : imgvisa::kExitUsage;
  } catch (const CLI::ParseError& e) {
    // CLI11 exits with its own codes (100-127); the contract allows only 0 and 2 here.
    return ParserError(app, line, e);
  }

  if (version) return Finished(imgvisa::RunVersion(std::cout, std::cerr));
  if (check_cmd->parsed()) return RunCheckCommand(check);
  if (ask_cmd->parsed()) return RunAskCommand(ask);
  if (test_cmd->parsed()) return RunTestCommand(test);
  if (diff_cmd->parsed()) return RunDiffCommand(diff);
  if (explain_cmd->parsed()) return RunExplainCommand(explain);
  if (lint_cmd->parsed()) return RunLintCommand(lint);
  if (schema_cmd->parsed()) return RunSchemaCommand(schema);
  if (docs_cmd->parsed()) return RunDocsCommand(docs, line);
  if (completion_cmd->parsed()) {
    return Finished(imgvisa::RunCompletion(line, shell, std::cout, std::cerr));
  }
  if (help_cmd->parsed()) return RunHelpCommand(app, help_topic);
  std::cerr << app.help();
  return imgvisa::kExitUsage;
} catch (const std::bad_alloc&) {
  WriteError("imgvisa: out of memory; the output is incomplete\n");
  return imgvisa::kExitUsage;
} catch (const std::exception& e) {
  WriteError("imgvisa: internal error: " + imgvisa::EscapeForDisplay(e.what(), 200) +
             "; the output is incomplete\n");
  return imgvisa::kExitUsage;
}

#include "imgvisa/cli/cmd_ask.h"

#include <fmt/format.h>

#include <cstring>
#include <optional>

#include "cli/ask_terminal.h"
#include "cli/interview.h"
#include "cli/load_rules.h"
#include "cli/profile_target.h"
#include "cli/save_on_signal.h"
#include "imgvisa/base/diagnostic.h"
#include "imgvisa/cli/as_of_option.h"
#include "imgvisa/cli/cmd_check.h"
#include "imgvisa/cli/exit_code.h"
#include "imgvisa/cli/selection.h"
#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/rules/rule_set_from_json.h"
#include "imgvisa/sys/read_file.h"

namespace imgvisa {
namespace {

// Writes the profile to the target (standard output when it has no path) and says what became
// of the answers. An interview that ended with its input says so ("interrupted: ...").
int SaveProfile(const Interview& interview, const ProfileTarget& target, bool interrupted,
                std::ostream& out, std::ostream& err) {
  const char* prefix = interrupted ? "interrupted: " : "";
  const std::size_t answered = interview.answered();
  const std::string bytes = interview.profile().Text() + "\n";
  const int status = interview.AnyOpen() ? kExitOk : kExitNoneOpen;
  if (target.path.empty()) {
    out << bytes;
    out.flush();
    if (interrupted) err << fmt::format("{}{}\n", prefix, SavedMessage(target, answered));
    return status;
  }
  if (answered == 0) {
    err << fmt::format("{}{}\n", prefix, SavedMessage(target, answered));
    return status;
  }
  if (int error = WriteProfile(target, bytes.data(), bytes.size()); error != 0) {
    err << fmt::format("imgvisa ask: cannot write {}: {}; the profile follows on standard output\n",
                       target.shown, std::strerror(error));
    out << bytes;
    out.flush();
    return kExitUsage;
  }
  err << fmt::format("{}{}\n", prefix, SavedMessage(target, answered));
  if (!interrupted) {
    err << fmt::format("Details and sources: imgvisa check {} --as-of {}\n", target.shown,
                       interview.as_of().ToString());
  }
  return status;
}

// The profile `ask --resume` starts from: it must load as `check` would load it (an object,
// every fact declared and of its type). nullopt, with the reasons on `err`, when it does not.
std::optional<nlohmann::ordered_json> ResumedProfile(const std::string& path, const RuleSet& rules,
                                                     std::ostream& err) {
  const FileRead read = ReadFile(path, kMaxProfileBytes);
  if (!read.ok) {
    err << fmt::format("imgvisa ask: cannot resume {}: {}\n", EscapeForDisplay(path, 400),
                       read.error);
    return std::nullopt;
  }
  const FactsLoad load = FactsFromJson(rules.dictionary, SourceFile(path, read.text));
  if (!load.ok) {
    for (const Diagnostic& d : load.diagnostics) err << FormatDiagnostic(d);
    err << fmt::format("imgvisa ask: cannot resume {}: it is not a profile check reads\n",
                       EscapeForDisplay(path, 400));
    return std::nullopt;
  }
  return nlohmann::ordered_json::parse(read.text);
}

}  // namespace

int RunAsk(const AskOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  const auto as_of = ParseAsOfOption(options.as_of, "ask", err);
  if (!as_of) return kExitUsage;
  // Resuming writes back to the profile resumed, unless --out names another file: replacing
  // it is the point, so no --force is needed for it.
  const bool back = !options.resume_path.empty() && options.out_path.empty();
  const ProfileTarget target = back ? ProfileTargetFor(options.resume_path, true)
                                    : ProfileTargetFor(options.out_path, options.force);
  // Refused before the first question: nobody should answer every question for nothing.
  if (const std::string problem = ProfileTargetProblem(target); !problem.empty()) {
    err << fmt::format("imgvisa ask: {}\n", problem);
    return kExitUsage;
  }
  const LoadedRules loaded = LoadRules(options.rules_path, {"ask"}, err);
  if (!loaded) return kExitRules;
  const RuleSet& rules = *loaded;
  std::string problem;
  auto selection = SelectPathways(rules, options.pathways, &problem);
  if (!selection) {
    err << "imgvisa ask: " << EscapeForDisplay(problem, 400) << "\n";
    return kExitUsage;
  }

  nlohmann::ordered_json resumed = nlohmann::ordered_json::object();
  if (!options.resume_path.empty()) {
    auto profile = ResumedProfile(options.resume_path, rules, err);
    if (!profile) return kExitUsage;
    resumed = std::move(*profile);
  }

  Interview interview(rules, std::move(*selection), *as_of, std::move(resumed));
  AskTerminal terminal(interview, in, err, options.echo_answers);
  if (!target.path.empty()) terminal.profile_name = target.shown;
  std::optional<SaveOnSignal> guard;
  if (options.save_on_signal) {
    guard.emplace(target);
    terminal.on_change = [&] { guard->Publish(interview.profile().Text(), interview.answered()); };
  }
  const AskTerminal::End end = terminal.Run();
  if (guard) guard->Block();
  return SaveProfile(interview, target, end == AskTerminal::End::kEndOfInput, out, err);
}

}  // namespace imgvisa

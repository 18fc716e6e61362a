// `imgvisa check`: wires the pieces of a run together. The flags are resolved in options.h, the
// profiles read in profile_stream.h, checked in profile_checker.h, written by one output per
// format (check_output.h), and an NDJSON stream is scheduled in check_stream.h.

#include "imgvisa/cli/cmd_check.h"

#include <optional>

#include "cli/check_json_output.h"
#include "cli/check_ndjson_output.h"
#include "cli/check_stream.h"
#include "cli/check_text_output.h"
#include "cli/load_rules.h"
#include "cli/options.h"
#include "cli/profile_checker.h"
#include "cli/profile_stream.h"
#include "imgvisa/cli/exit_code.h"
#include "imgvisa/cli/selection.h"

namespace imgvisa {
namespace {

// The pathways and the --what-if changes of a run, read against its rule set.
std::optional<CheckScope> ScopeOf(const CheckConfig& config, const RuleSet& rules,
                                  std::ostream& err) {
  std::string problem;
  auto selection = SelectPathways(rules, config.pathways, &problem);
  if (!selection) {
    err << "imgvisa check: " << EscapeForDisplay(problem, 400) << "\n";
    return std::nullopt;
  }
  std::vector<FactChange> changes;
  for (const std::string& spec : config.what_if) {
    auto change = ParseFactChange(rules.dictionary, spec, &problem);
    if (!change) {
      err << "imgvisa check: " << problem << "\n";
      return std::nullopt;
    }
    changes.push_back(std::move(*change));
  }
  return CheckScope{rules,
                    std::move(*selection),
                    std::move(changes),
                    config.as_of,
                    config.detail == CheckDetail::kSummary,
                    config.detail == CheckDetail::kShort,
                    config.columns,
                    config.max_errors};
}

// Checks every input in order into `output`; `stream_output` is the same output when it can
// take an NDJSON stream on standard input (--format ndjson), else null.
int CheckInputs(const CheckConfig& config, const ProfileChecker& checker, CheckOutput& output,
                CheckNdjsonOutput* stream_output, std::istream& in) {
  CheckWorkspace workspace;
  for (const std::string& input : config.inputs) {
    if (output.OutputFailed()) break;
    if (input == "-" && stream_output) {
      ProfileStream stream(
          in, [&] { output.Flush(); }, kMaxProfileBytes);
      CheckStream(stream, checker, *stream_output, config.jobs);
      continue;
    }
    FileRead read = ReadProfile(input, in, kMaxProfileBytes);
    if (!read.ok) {
      output.Error(input, 0,
                   {Diagnostic{Severity::kError, "E050", "cannot read the profile: " + read.error,
                               input, std::nullopt}},
                   0);
      continue;
    }
    const SourceFile profile(input, std::move(read.text));
    if (const ProfileEvaluation* e = checker.Check(profile, workspace)) {
      output.Result(input, 0, workspace.facts.facts.id, *e);
    } else {
      output.Error(input, 0, workspace.facts.diagnostics, workspace.facts.omitted_errors);
    }
  }
  output.Finish();
  return output.Close();
}

}  // namespace

int RunCheck(const CheckOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  const std::optional<CheckConfig> config = ResolveCheckOptions(options, err);
  if (!config) return kExitUsage;
  const LoadedRules rules =
      LoadRules(config->rules_path, {"check", "the rule set", config->max_errors}, err);
  if (!rules) return kExitRules;
  const std::optional<CheckScope> scope = ScopeOf(*config, *rules, err);
  if (!scope) return kExitUsage;
  const ProfileChecker checker(*scope, config->next_steps);
  switch (config->format) {
    case CheckFormat::kText: {
      CheckTextOutput output(*scope, config->color, out, err);
      return CheckInputs(*config, checker, output, nullptr, in);
    }
    case CheckFormat::kJson: {
      CheckJsonOutput output(*scope, out, err);
      return CheckInputs(*config, checker, output, nullptr, in);
    }
    case CheckFormat::kNdjson:
      break;
  }
  CheckNdjsonOutput output(*scope, out, err);
  return CheckInputs(*config, checker, output, &output, in);
}

}  // namespace imgvisa

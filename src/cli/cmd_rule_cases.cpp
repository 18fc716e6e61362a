#include "imgvisa/cli/cmd_rule_cases.h"

#include "cli/load_rules.h"
#include "imgvisa/checks/rule_case_run.h"
#include "imgvisa/checks/rule_cases.h"
#include "imgvisa/cli/exit_code.h"
#include "imgvisa/output/rule_case_report.h"

namespace imgvisa {

int RunTest(const TestOptions& options, std::ostream& out, std::ostream& err) {
  if (options.format != "text" && options.format != "junit") {
    err << "imgvisa test: --format must be text or junit\n";
    return kExitUsage;
  }
  // As for check, a rule set that cannot be read is a rule set that does not load.
  const LoadedRules loaded =
      LoadRules(options.paths, {"test", "the rule set", options.max_errors}, err, {.files = true});
  if (!loaded) return kExitRules;
  const RuleSet& rules = *loaded;
  RuleTestLoad tests = RuleTestsFromFiles(rules);
  const bool malformed = !tests.diagnostics.empty();
  const std::vector<OmittedErrors> omitted = LimitErrors(tests.diagnostics, options.max_errors);
  for (const Diagnostic& d : tests.diagnostics) err << FormatDiagnostic(d) << "\n";
  for (const OmittedErrors& o : omitted) err << FormatOmittedErrors(o.file, o.count) << "\n";
  RuleTestRun run = RunRuleTests(rules, tests.cases);
  const bool junit = options.format == "junit";
  if (junit) {
    WriteRuleCasesJUnit(out, run);
  } else {
    WriteRuleCaseResults(out, run, options.verbose);
  }
  const bool coverage_short = run.CoverageBelow(options.min_coverage);
  if (options.coverage || coverage_short) {
    WriteRuleCaseCoverage(junit ? err : out, run, options.coverage, options.min_coverage);
  }
  if (!junit) WriteRuleCaseTally(out, run);
  if (malformed) return kExitUsage;
  if (run.failed() > 0 || coverage_short) return kExitFindings;
  return kExitOk;
}

}  // namespace imgvisa

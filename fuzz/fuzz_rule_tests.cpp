// The rule test-case loader (docs/rule-tests.md): RuleTestsFromFiles on one test file against the
// embedded rule set, then RunRuleTests. Seeds: rules/tests (scripts/fuzz).
//
// profile_file paths resolve next to "rules/tests/fuzz.json"; scripts/fuzz runs the target in an
// empty directory so that they name nothing on disk.

#include <cstdint>
#include <cstdlib>

#include "fuzz_support.h"
#include "imgvisa/checks/rule_case_run.h"
#include "imgvisa/checks/rule_cases.h"

using namespace imgvisa;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 16 * 1024 * 1024) return 0;
  // A copy whose files are replaced by the input: the loader reads the "tests" of rules.files.
  static RuleSet* rules = new RuleSet(fuzz::EmbeddedRules());
  rules->files = {SourceFile("rules/tests/fuzz.json", fuzz::Bytes(data, size))};
  RuleTestLoad load = RuleTestsFromFiles(*rules);
  fuzz::CheckDiagnostics(load.diagnostics);
  RuleTestRun run = RunRuleTests(*rules, load.cases);
  if (run.results.size() != load.cases.size()) std::abort();
  (void)run.CoveragePercent();
  return 0;
}

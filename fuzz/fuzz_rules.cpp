// Rule-file loading and lint: RuleSetFromFiles on one or more files ("#file NAME" lines separate
// them, see fuzz_support.h), then Lint, evaluation, rendering and explanation of whatever loads.
// Seeds: the load golden cases and a slice of rules/ (scripts/fuzz).

#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fuzz_support.h"
#include "imgvisa/checks/lint.h"
#include "imgvisa/cli/selection.h"
#include "imgvisa/engine/evaluator.h"
#include "imgvisa/output/explain.h"
#include "imgvisa/output/render.h"
#include "imgvisa/rules/rule_set_from_json.h"

using namespace imgvisa;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The same bound as a rule file read from disk (rule_source.cpp), shared by all the files.
  if (size > 16 * 1024 * 1024) return 0;
  // Both ways of loading: with element positions (lint) and without (check's fast path, which
  // parses again to locate problems).
  const bool positions = size % 2 == 0;
  RuleSetLoad load =
      RuleSetFromFiles(fuzz::SplitFiles(fuzz::Bytes(data, size), "rules.json"), "", positions);
  fuzz::CheckDiagnostics(load.diagnostics);
  if (!load.ok()) {
    if (!HasErrors(load.diagnostics)) std::abort();  // a rejected set must say why
    return 0;
  }
  const RuleSet& rules = *load.rules;
  const Date as_of = *ParseIsoDate("2026-11-21");
  if (positions) fuzz::CheckDiagnostics(Lint(rules, LintOptions{as_of}));
  std::string problem;
  auto selection = SelectPathways(rules, {}, &problem);
  if (!selection) return 0;
  Facts nothing;  // every fact unknown
  nothing.values.resize(rules.dictionary.facts().size());
  const std::vector<Verdict> verdicts = Evaluate(rules, nothing, as_of);
  std::ostringstream out;
  RenderText(out, rules, verdicts, *selection, "fuzz.json", as_of, TextStyle{});
  for (std::size_t p : *selection) (void)VerdictToJson(rules, verdicts[p]).dump();
  ExplainPathways(out, rules, *selection, as_of, "text");
  ExplainPathways(out, rules, *selection, std::nullopt, "json");
  ExplainFacts(out, rules);
  return 0;
}

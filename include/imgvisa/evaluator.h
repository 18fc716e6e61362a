#pragma once

#include <vector>

#include "imgvisa/date.h"
#include "imgvisa/facts.h"
#include "imgvisa/ruleset.h"
#include "imgvisa/verdict.h"

namespace imgvisa {

struct EvaluateOptions {
  /// Render each item's text with the person's values. Callers that only read verdicts and
  /// outcomes (next-step planning, summary records) skip it: it was half of an evaluation.
  bool texts = true;
};

/// Evaluates every pathway of `rules` (components included, in dependency order) for one
/// profile as of a date. The result is indexed like RuleSet::pathways. Pure: no clock, no I/O,
/// no string lookups; unknown facts yield unknown outcomes, never errors.
std::vector<Verdict> Evaluate(const RuleSet& rules, const Facts& facts, Date as_of,
                              const EvaluateOptions& options = {});

/// One condition on its own, for analyses such as lint. References to other pathways' verdicts
/// or items read nothing here: they come out unmet or unknown, so callers skip such conditions.
Truth EvaluateCondition(const RuleSet& rules, int condition, const Facts& facts, Date as_of);

}  // namespace imgvisa

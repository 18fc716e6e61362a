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
  /// When set, only the pathways marked (by index) are evaluated; the others keep a default
  /// verdict. The marks must include every pathway a marked one references.
  const std::vector<char>* only = nullptr;
};

/// Evaluates every pathway of `rules` (components included, in dependency order) for one
/// profile as of a date. The result is indexed like RuleSet::pathways. Pure: no clock, no I/O,
/// no string lookups; unknown facts yield unknown outcomes, never errors.
std::vector<Verdict> Evaluate(const RuleSet& rules, const Facts& facts, Date as_of,
                              const EvaluateOptions& options = {});

/// The pathways whose evaluation `pathway`'s verdict and items read (through references to
/// verdicts or item statuses, in any item, transitively), itself included: marks by index, for
/// EvaluateOptions::only.
std::vector<char> PathwaysNeededBy(const RuleSet& rules, std::size_t pathway);

/// One condition on its own, for analyses such as lint. References to other pathways' verdicts
/// or items read nothing here: they come out unmet or unknown, so callers skip such conditions.
Truth EvaluateCondition(const RuleSet& rules, int condition, const Facts& facts, Date as_of);

}  // namespace imgvisa

#pragma once

#include <vector>

#include "imgvisa/base/date.h"
#include "imgvisa/engine/evaluator.h"
#include "imgvisa/engine/verdict.h"
#include "imgvisa/profile/facts.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// A smallest set of changes a person can make that would open a pathway.
struct NextStepPlan {
  std::vector<FactId> changes;  ///< facts set to their declared change target, longest lead first
  VerdictKind result = VerdictKind::kEligible;  ///< the pathway's verdict after the changes
  int lead_time_days = 0;                       ///< the longest lead time among the changes
};

/// Precomputed, per rule set: which changeable facts can influence each pathway.
class NextStepPlanner {
 public:
  explicit NextStepPlanner(const RuleSet& rules);

  /// For a pathway that is not eligible or conditional: the smallest sets (up to `max_changes`
  /// facts, only facts with a declared `change`) whose changes make it eligible or conditional,
  /// or, if none does, leave nothing unmet (then undetermined). Unknown facts are questions,
  /// not changes, and are left alone. At most `max_plans` plans, fewest changes and shortest
  /// lead time first. The trials are evaluated with the caller's `evaluator` (for this
  /// planner's rule set), so that planning for many profiles does not make one per plan.
  std::vector<NextStepPlan> Plan(const Facts& facts, Date as_of, std::size_t pathway,
                                 Evaluator& evaluator, std::size_t max_changes = 3,
                                 std::size_t max_plans = 3) const;

 private:
  const RuleSet& rules_;
  std::vector<std::vector<FactId>> changeable_;  ///< per pathway
  /// Per pathway: the pathways its verdict depends on, itself included (by index, 1 = needed).
  /// A trial evaluation computes only these.
  std::vector<std::vector<char>> needs_;
};

}  // namespace imgvisa

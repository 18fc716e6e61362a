#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "imgvisa/base/date.h"
#include "imgvisa/engine/verdict.h"
#include "imgvisa/profile/facts.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

struct EvaluateOptions {
  /// Render each item's text with the person's values. Callers that only read verdicts and
  /// outcomes (next-step planning, summary records) skip it: it formats every value each text
  /// names, for texts they never show.
  bool texts = true;
  /// When set, only the pathways marked (by index) are evaluated; the others keep a default
  /// verdict. The marks must include every pathway a marked one references.
  const std::vector<char>* only = nullptr;
  /// Evaluate only the items that decide verdicts (gates, requirements, restrictions,
  /// conditions) and those a condition refers to; notes and consequences are left out of
  /// Verdict::items. Verdicts, decisive items and missing facts are as with every item (the
  /// items left out take no part in them); for callers that show no items (summary records,
  /// next-step trials). A pathway that a gate shuts (not applicable, whatever else holds)
  /// keeps only its gates and the items a condition refers to.
  /// Items' missing facts are left empty, except those of the items a condition refers to:
  /// such callers read the verdicts' (which are complete).
  bool deciding_only = false;
};

/// Evaluates profiles against one rule set and keeps its working memory from one profile to
/// the next, so that a stream of profiles does not allocate per profile. One per thread: it is
/// not safe to share.
class Evaluator {
 public:
  /// How conditions run. kSpecialised, the default, runs each condition by a function chosen
  /// for its operator and the shape of its operands when the evaluator is made (a fact compared
  /// with a literal, an enum in a set, all/any/not/ref), and the rest by the general walk;
  /// kTree walks every condition the general way. Both give the same results: kTree is the
  /// reference the specialised functions are tested against.
  enum class Dispatch : std::uint8_t { kSpecialised, kTree };
  explicit Evaluator(const RuleSet& rules, Dispatch dispatch = Dispatch::kSpecialised);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  /// Every pathway of the rule set (components included, in dependency order) for one profile
  /// as of a date, into `verdicts`, indexed like RuleSet::pathways; its storage is reused.
  /// Pure: no clock, no I/O, no string lookups; unknown facts yield unknown outcomes.
  void Evaluate(const Facts& facts, Date as_of, const EvaluateOptions& options,
                std::vector<Verdict>& verdicts);

  /// One condition on its own; see EvaluateCondition.
  Truth Condition(int condition, const Facts& facts, Date as_of);

  /// The working state (src/engine/evaluator_state.h): private to the evaluator's sources.
  struct State;

 private:
  std::unique_ptr<State> state_;
};

/// Evaluates every pathway of `rules` for one profile as of a date (Evaluator::Evaluate with a
/// fresh evaluator and result).
std::vector<Verdict> Evaluate(const RuleSet& rules, const Facts& facts, Date as_of,
                              const EvaluateOptions& options = {});

/// The pathways whose evaluation `pathway`'s verdict and items read (through references to
/// verdicts or item statuses, in any item, transitively), itself included: marks by index, for
/// EvaluateOptions::only.
std::vector<char> PathwaysNeededBy(const RuleSet& rules, std::size_t pathway);
/// PathwaysNeededBy of every pathway, by index: one walk over each pathway's items, then the
/// closure over the pathway graph.
std::vector<std::vector<char>> PathwaysNeededByEach(const RuleSet& rules);

/// One condition on its own, for analyses such as lint. References to other pathways' verdicts
/// or items read nothing here: they come out unmet or unknown, so callers skip such conditions.
Truth EvaluateCondition(const RuleSet& rules, int condition, const Facts& facts, Date as_of);

}  // namespace imgvisa

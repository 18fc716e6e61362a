#pragma once

#include <vector>

#include "imgvisa/base/id_set.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// What a part of the compiled rule graph reads: the facts of its `fact` expressions and the
/// pathways of its `pathway` and `item` conditions.
struct Reads {
  IdSet facts;
  IdSet pathways;
  void Merge(const Reads& other) {
    facts.Merge(other.facts);
    pathways.Merge(other.pathways);
  }
};

/// Reads of conditions and expressions, through children, operands, `where` and `of` (the
/// nodes WalkCondition visits). Each definition (the condition a `ref` names) is worked out
/// once and its result reused, so asking about every item of every pathway costs about one
/// walk of the graph instead of one per pathway (17 pathways sharing 28 definitions).
class RuleReads {
 public:
  explicit RuleReads(const RuleSet& rules);

  void AddCondition(int condition, Reads& into);
  void AddExpression(int expression, Reads& into);

 private:
  void AddDefinition(int condition, Reads& into);

  static constexpr int kNotYet = -1;
  static constexpr int kWorking = -2;  // a definition that reaches itself adds nothing more
  const RuleSet& rules_;
  std::vector<int> definition_slot_;  ///< per condition: index into definitions_, or the above
  std::vector<Reads> definitions_;
};

}  // namespace imgvisa

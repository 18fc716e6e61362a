#include "imgvisa/rules/rule_reads.h"

namespace imgvisa {

RuleReads::RuleReads(const RuleSet& rules)
    : rules_(rules), definition_slot_(rules.conditions.size(), kNotYet) {}

void RuleReads::AddCondition(int condition, Reads& into) {
  const CondNode& c = rules_.conditions[static_cast<std::size_t>(condition)];
  if (c.op == CondOp::kRef) {
    for (int definition : c.children) AddDefinition(definition, into);
    return;
  }
  if (c.op == CondOp::kPathway || c.op == CondOp::kItem) {
    into.pathways.Insert(static_cast<std::uint16_t>(c.target));
  }
  for (int child : c.children) AddCondition(child, into);
  if (c.lhs >= 0) AddExpression(c.lhs, into);
  if (c.rhs >= 0) AddExpression(c.rhs, into);
}

void RuleReads::AddExpression(int expression, Reads& into) {
  const ExprNode& e = rules_.expressions[static_cast<std::size_t>(expression)];
  if (e.op == ExprOp::kFact) into.facts.Insert(e.fact);
  for (int a : e.args) AddExpression(a, into);
  if (e.where >= 0) AddCondition(e.where, into);
  if (e.of >= 0) AddExpression(e.of, into);
}

void RuleReads::AddDefinition(int condition, Reads& into) {
  int& slot = definition_slot_[static_cast<std::size_t>(condition)];
  if (slot == kWorking) return;
  if (slot == kNotYet) {
    slot = kWorking;
    Reads reads;
    AddCondition(condition, reads);
    // definition_slot_ never grows, so `slot` stays valid through the recursion.
    slot = static_cast<int>(definitions_.size());
    definitions_.push_back(std::move(reads));
  }
  into.Merge(definitions_[static_cast<std::size_t>(slot)]);
}

}  // namespace imgvisa

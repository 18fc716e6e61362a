#pragma once

#include <vector>

#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// Walks the compiled rule graph under a condition: calls `on_condition(const CondNode&)` for
/// every condition reachable from it (children, and the `where` of count and sum) and
/// `on_expression(const ExprNode&)` for every expression under those. Each condition is walked
/// once: `seen` (one mark per RuleSet::conditions entry) records those already walked, so one
/// `seen` carried over several roots skips the definitions they share.
template <typename OnCondition, typename OnExpression>
void WalkCondition(const RuleSet& rules, int condition, std::vector<char>& seen,
                   OnCondition& on_condition, OnExpression& on_expression);

/// The same from an expression (an item's `let`, say).
template <typename OnCondition, typename OnExpression>
void WalkExpression(const RuleSet& rules, int expression, std::vector<char>& seen,
                    OnCondition& on_condition, OnExpression& on_expression) {
  const ExprNode& e = rules.expressions[static_cast<std::size_t>(expression)];
  on_expression(e);
  for (int a : e.args) WalkExpression(rules, a, seen, on_condition, on_expression);
  if (e.where >= 0) WalkCondition(rules, e.where, seen, on_condition, on_expression);
  if (e.of >= 0) WalkExpression(rules, e.of, seen, on_condition, on_expression);
}

template <typename OnCondition, typename OnExpression>
void WalkCondition(const RuleSet& rules, int condition, std::vector<char>& seen,
                   OnCondition& on_condition, OnExpression& on_expression) {
  const auto index = static_cast<std::size_t>(condition);
  if (seen[index]) return;
  seen[index] = 1;
  const CondNode& c = rules.conditions[index];
  on_condition(c);
  for (int child : c.children) WalkCondition(rules, child, seen, on_condition, on_expression);
  if (c.lhs >= 0) WalkExpression(rules, c.lhs, seen, on_condition, on_expression);
  if (c.rhs >= 0) WalkExpression(rules, c.rhs, seen, on_condition, on_expression);
}

}  // namespace imgvisa

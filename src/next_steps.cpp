#include "imgvisa/next_steps.h"

#include <algorithm>

#include "imgvisa/evaluator.h"

namespace imgvisa {
namespace {

// What a pathway's conditions read: facts and referenced pathways as marks by id, and the
// conditions already walked, since definitions are shared by many items and reached again.
struct Reach {
  std::vector<char> facts, pathways, seen;
};

void FactsOfExpression(const RuleSet& rules, int index, Reach& reach);

void FactsOfCondition(const RuleSet& rules, int index, Reach& reach) {
  const auto i = static_cast<std::size_t>(index);
  if (reach.seen[i]) return;
  reach.seen[i] = 1;
  const CondNode& c = rules.conditions[i];
  if (c.op == CondOp::kPathway || c.op == CondOp::kItem) {
    reach.pathways[static_cast<std::size_t>(c.target)] = 1;
  }
  for (int child : c.children) FactsOfCondition(rules, child, reach);
  if (c.lhs >= 0) FactsOfExpression(rules, c.lhs, reach);
  if (c.rhs >= 0) FactsOfExpression(rules, c.rhs, reach);
}

void FactsOfExpression(const RuleSet& rules, int index, Reach& reach) {
  const ExprNode& e = rules.expressions[static_cast<std::size_t>(index)];
  if (e.op == ExprOp::kFact) reach.facts[e.fact] = 1;
  for (int a : e.args) FactsOfExpression(rules, a, reach);
  if (e.where >= 0) FactsOfCondition(rules, e.where, reach);
  if (e.of >= 0) FactsOfExpression(rules, e.of, reach);
}

bool Open(VerdictKind k) { return k == VerdictKind::kEligible || k == VerdictKind::kConditional; }

bool SameValue(const Value& a, const Value& b) {
  return a.kind == b.kind && a.boolean == b.boolean && a.integer == b.integer &&
         a.number == b.number && a.string == b.string;
}

}  // namespace

NextStepPlanner::NextStepPlanner(const RuleSet& rules)
    : rules_(rules), changeable_(rules.pathways.size()), needs_(rules.pathways.size()) {
  // The facts each pathway reads, directly or through the pathways it references.
  const std::size_t fact_count = rules.dictionary.facts().size();
  std::vector<Reach> reach(rules.pathways.size());
  for (std::size_t p = 0; p < rules.pathways.size(); ++p) {
    reach[p].facts.assign(fact_count, 0);
    reach[p].pathways.assign(rules.pathways.size(), 0);
    reach[p].seen.assign(rules.conditions.size(), 0);
    for (const Item& item : rules.pathways[p].items) {
      if (item.condition >= 0 && Decides(item.kind))
        FactsOfCondition(rules, item.condition, reach[p]);
    }
  }
  for (std::size_t p = 0; p < rules.pathways.size(); ++p) needs_[p] = PathwaysNeededBy(rules, p);
  for (int p : rules.evaluation_order) {  // dependencies first
    std::vector<char> all = reach[static_cast<std::size_t>(p)].facts;
    for (std::size_t r = 0; r < rules.pathways.size(); ++r) {
      if (!reach[static_cast<std::size_t>(p)].pathways[r]) continue;
      for (FactId f : changeable_[r]) all[f] = 1;
    }
    for (std::size_t f = 0; f < fact_count; ++f) {
      if (all[f] && rules.dictionary.at(static_cast<FactId>(f)).change) {
        changeable_[static_cast<std::size_t>(p)].push_back(static_cast<FactId>(f));
      }
    }
  }
}

std::vector<NextStepPlan> NextStepPlanner::Plan(const Facts& facts, Date as_of, std::size_t pathway,
                                                std::size_t max_changes,
                                                std::size_t max_plans) const {
  std::vector<FactId> candidates;
  for (FactId f : changeable_[pathway]) {
    const Value& now = facts.values[f];
    // An unknown fact is a question to answer, not a change to make.
    if (now.known() && !SameValue(now, rules_.dictionary.at(f).change->to)) candidates.push_back(f);
  }
  std::vector<NextStepPlan> open, settled;
  std::vector<std::size_t> pick;
  Facts trial = facts;
  // Subsets in order of size; a superset of a plan that works is not a smallest set.
  auto contains_plan = [](const std::vector<FactId>& set, const std::vector<NextStepPlan>& plans) {
    for (const NextStepPlan& p : plans) {
      std::vector<FactId> sorted = p.changes;
      std::sort(sorted.begin(), sorted.end());
      if (std::includes(set.begin(), set.end(), sorted.begin(), sorted.end())) return true;
    }
    return false;
  };
  for (std::size_t size = 1; size <= std::min(max_changes, candidates.size()); ++size) {
    if (!open.empty()) break;
    pick.assign(size, 0);
    for (std::size_t i = 0; i < size; ++i) pick[i] = i;
    while (true) {
      std::vector<FactId> set;
      for (std::size_t i : pick) set.push_back(candidates[i]);
      std::sort(set.begin(), set.end());
      if (!contains_plan(set, open)) {
        for (FactId f : set) trial.values[f] = rules_.dictionary.at(f).change->to;
        const VerdictKind result =
            Evaluate(rules_, trial, as_of,
                     EvaluateOptions{.texts = false, .only = &needs_[pathway]})[pathway]
                .kind;
        for (FactId f : set) trial.values[f] = facts.values[f];
        // A superset of a plan that already settles everything is worth listing only if it opens.
        const bool worth =
            Open(result) || (result == VerdictKind::kUndetermined && !contains_plan(set, settled));
        if (worth) {
          NextStepPlan plan{set, result, 0};
          for (FactId f : set)
            plan.lead_time_days =
                std::max(plan.lead_time_days, rules_.dictionary.at(f).change->lead_time_days);
          std::stable_sort(plan.changes.begin(), plan.changes.end(), [&](FactId a, FactId b) {
            return rules_.dictionary.at(a).change->lead_time_days >
                   rules_.dictionary.at(b).change->lead_time_days;
          });
          (Open(result) ? open : settled).push_back(std::move(plan));
        }
      }
      // Next combination of `size` indexes out of candidates.size().
      std::size_t i = size;
      while (i > 0 && pick[i - 1] == candidates.size() - size + i - 1) --i;
      if (i == 0) break;
      ++pick[i - 1];
      for (std::size_t j = i; j < size; ++j) pick[j] = pick[j - 1] + 1;
    }
  }
  std::vector<NextStepPlan> plans = open.empty() ? settled : open;
  std::stable_sort(plans.begin(), plans.end(), [](const NextStepPlan& a, const NextStepPlan& b) {
    if (a.changes.size() != b.changes.size()) return a.changes.size() < b.changes.size();
    return a.lead_time_days < b.lead_time_days;
  });
  if (plans.size() > max_plans) plans.resize(max_plans);
  return plans;
}

}  // namespace imgvisa

#include "imgvisa/engine/next_steps.h"

#include <algorithm>

#include "imgvisa/engine/evaluator.h"
#include "imgvisa/rules/rule_reads.h"

namespace imgvisa {
namespace {

bool Open(VerdictKind k) { return k == VerdictKind::kEligible || k == VerdictKind::kConditional; }

bool SameValue(const Value& a, const Value& b) {
  return a.kind == b.kind && a.boolean == b.boolean && a.integer == b.integer &&
         a.number == b.number && a.string == b.string;
}

}  // namespace

NextStepPlanner::NextStepPlanner(const RuleSet& rules)
    : rules_(rules), changeable_(rules.pathways.size()), needs_(PathwaysNeededByEach(rules)) {
  // The facts each pathway reads, directly or through the pathways it references.
  std::vector<Reads> reach(rules.pathways.size());
  RuleReads reads(rules);
  for (std::size_t p = 0; p < rules.pathways.size(); ++p) {
    for (const Item& item : rules.pathways[p].items) {
      if (!Decides(item.kind)) continue;
      if (item.condition >= 0) reads.AddCondition(item.condition, reach[p]);
      if (item.at >= 0) reads.AddExpression(item.at, reach[p]);
    }
  }
  for (int p : rules.evaluation_order) {  // dependencies first
    IdSet all = reach[static_cast<std::size_t>(p)].facts;
    for (std::uint16_t r : reach[static_cast<std::size_t>(p)].pathways) {
      for (FactId f : changeable_[r]) all.Insert(f);
    }
    for (FactId f : all) {
      if (rules.dictionary.at(f).change) changeable_[static_cast<std::size_t>(p)].push_back(f);
    }
  }
}

std::vector<NextStepPlan> NextStepPlanner::Plan(const Facts& facts, Date as_of, std::size_t pathway,
                                                Evaluator& evaluator, std::size_t max_changes,
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
  std::vector<Verdict> verdicts;
  const EvaluateOptions options{.texts = false, .only = &needs_[pathway], .deciding_only = true};
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
        evaluator.Evaluate(trial, as_of, options, verdicts);
        const VerdictKind result = verdicts[pathway].kind;
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

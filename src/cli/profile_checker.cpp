#include "cli/profile_checker.h"

namespace imgvisa {

ProfileChecker::ProfileChecker(const CheckScope& scope, bool next_steps) : scope_(scope) {
  if (next_steps && !scope.summary) planner_.emplace(scope.rules);
}

const ProfileEvaluation* ProfileChecker::Check(const SourceFile& profile,
                                               CheckWorkspace& workspace) const {
  if (!workspace.reader)
    workspace.reader.emplace(scope_.rules.dictionary, JsonLimits{}, scope_.max_errors);
  workspace.reader->Read(profile, workspace.facts);
  if (!workspace.facts.ok) return nullptr;
  const Facts& facts = workspace.facts.facts;

  if (!workspace.evaluator) workspace.evaluator.emplace(scope_.rules);
  Evaluator& evaluator = *workspace.evaluator;
  ProfileEvaluation& e = workspace.evaluation;
  // A summary shows no texts and no items, so neither texts nor notes are worked out.
  const EvaluateOptions evaluate{.texts = !scope_.summary, .deciding_only = scope_.summary};
  evaluator.Evaluate(facts, scope_.as_of, evaluate, e.verdicts);
  e.open = false;
  for (std::size_t p : scope_.selection) e.open = e.open || IsOpen(e.verdicts[p].kind);
  e.plans.resize(scope_.rules.pathways.size());
  for (auto& plans : e.plans) plans.clear();
  if (planner_) {
    for (std::size_t p : scope_.selection) {
      const VerdictKind k = e.verdicts[p].kind;
      if (k == VerdictKind::kIneligible || k == VerdictKind::kBlocked) {
        e.plans[p] = planner_->Plan(facts, scope_.as_of, p, evaluator);
      }
    }
  }
  if (!scope_.changes.empty()) {
    evaluator.Evaluate(ApplyChanges(facts, scope_.changes), scope_.as_of, evaluate, e.what_if);
  }
  return &e;
}

}  // namespace imgvisa

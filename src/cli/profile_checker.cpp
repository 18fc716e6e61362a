#include "cli/profile_checker.h"

namespace imgvisa {

ProfileChecker::ProfileChecker(const CheckScope& scope, bool next_steps)
    : scope_(scope), checks_(scope.rules.dictionary) {
  if (next_steps) planner_.emplace(scope.rules);
}

const ProfileEvaluation* ProfileChecker::Check(const SourceFile& profile,
                                               CheckWorkspace& workspace) const {
  if (!workspace.reader)
    workspace.reader.emplace(scope_.rules.dictionary, JsonLimits{}, scope_.max_errors);
  workspace.reader->Read(profile, workspace.facts);
  if (!workspace.facts.ok) return nullptr;
  const FactDictionary& dictionary = scope_.rules.dictionary;
  ProfileEvaluation& e = workspace.evaluation;
  checks_.Find(workspace.facts.facts, e.conflicts);
  if (!e.conflicts.empty()) {
    ClearConflictingFacts(e.conflicts, dictionary, workspace.facts.facts);
    LocateFactConflicts(e.conflicts, dictionary, profile);
  }
  const Facts& facts = workspace.facts.facts;

  if (!workspace.evaluator) workspace.evaluator.emplace(scope_.rules);
  Evaluator& evaluator = *workspace.evaluator;
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
        e.verdicts[p].curable = !e.plans[p].empty();
      }
    }
  }
  e.questions.clear();
  if (scope_.short_text) {
    // The questions that settle what is still open to doubt: the missing facts of undetermined
    // and conditional verdicts. One that could only turn a settled verdict (a default standing
    // in for an unanswered date) is not among the few worth asking first.
    std::vector<std::size_t> concerning;
    for (std::size_t p : scope_.selection) {
      const VerdictKind k = e.verdicts[p].kind;
      if (k == VerdictKind::kUndetermined || k == VerdictKind::kConditional) {
        concerning.push_back(p);
      }
    }
    e.questions = RankQuestions(scope_.rules, facts, e.verdicts, concerning, {});
  }
  e.what_if_conflicts.clear();
  if (!scope_.changes.empty()) {
    // A change can contradict the profile (a Step 3 pass without a certificate): its facts are
    // unknown in the what-if too, and the warning says it of the changes.
    Facts changed = ApplyChanges(facts, scope_.changes);
    checks_.Find(changed, e.what_if_conflicts);
    ClearConflictingFacts(e.what_if_conflicts, dictionary, changed);
    for (FactConflict& c : e.what_if_conflicts) {
      c.warning.file = profile.name();
      c.warning.message = "with the --what-if changes, " + c.warning.message;
    }
    evaluator.Evaluate(changed, scope_.as_of, evaluate, e.what_if);
  }
  return &e;
}

}  // namespace imgvisa

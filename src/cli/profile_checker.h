#pragma once

#include <optional>

#include "cli/check_output.h"
#include "imgvisa/base/source.h"
#include "imgvisa/engine/evaluator.h"
#include "imgvisa/engine/next_steps.h"
#include "imgvisa/profile/consistency_checks.h"
#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/profile/facts_reader.h"

namespace imgvisa {

/// The memory one thread checks profiles with, kept from one profile to the next so that a
/// stream does not allocate per profile.
struct CheckWorkspace {
  std::optional<FactsReader> reader;   ///< made on first use, for the run's rule set
  std::optional<Evaluator> evaluator;  ///< likewise
  FactsLoad facts;                     ///< the profile last read
  ProfileEvaluation evaluation;        ///< and what it gave
};

/// What `imgvisa check` does to one profile: reads it against the rule set's fact dictionary,
/// makes the facts of any contradiction unknown (consistency_checks.h), evaluates every pathway,
/// plans next steps for the selected closed ones and evaluates the
/// --what-if changes. Const, so several threads may check at once, each with its own workspace.
class ProfileChecker {
 public:
  /// `next_steps`: plan the changes that would open closed pathways.
  ProfileChecker(const CheckScope& scope, bool next_steps);

  /// Checks `profile` in `workspace`: its evaluation, or nullptr when the profile does not
  /// load (workspace.facts.diagnostics then say why). Both stay valid until the workspace is
  /// used again.
  const ProfileEvaluation* Check(const SourceFile& profile, CheckWorkspace& workspace) const;

 private:
  const CheckScope& scope_;
  ConsistencyChecks checks_;
  std::optional<NextStepPlanner> planner_;  // only when next steps are planned
};

}  // namespace imgvisa

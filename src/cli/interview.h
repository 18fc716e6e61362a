#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <vector>

#include "imgvisa/base/date.h"
#include "imgvisa/engine/verdict.h"
#include "imgvisa/profile/answer.h"
#include "imgvisa/profile/facts.h"
#include "imgvisa/profile/profile_draft.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// A selected pathway whose verdict an answer moved.
struct VerdictChange {
  std::size_t pathway = 0;  ///< index into RuleSet::pathways
  VerdictKind from = VerdictKind::kUndetermined;
  VerdictKind to = VerdictKind::kUndetermined;
};

/// The interview of `imgvisa ask` without a terminal: which fact to ask next (RankQuestions),
/// what each answer does to the profile being built and to the verdicts, and when a list of
/// records needs one more entry. Whoever talks to the person reads the answers (ParseAnswer,
/// ParseYesNo) and hands them here; each answer re-evaluates the selected pathways and returns
/// the verdicts it moved.
///
/// A fact is asked once: a value or "don't know" (null in the profile) closes it. A list of
/// records is asked in turn: whether there is any, then each record's fields, only those that
/// can still change a verdict, then whether another record could matter.
class Interview {
 public:
  /// `resumed`: a profile saved before (`ask --resume`), kept as it is; each fact it mentions,
  /// null ("don't know") included, counts as asked.
  Interview(const RuleSet& rules, std::vector<std::size_t> selection, Date as_of,
            nlohmann::ordered_json resumed = nlohmann::ordered_json::object());

  /// The most decisive fact not asked yet, or nullopt when nothing open can change a selected
  /// verdict. A list of records comes as the list, never as one of its fields.
  std::optional<FactId> Next() const;
  /// How many facts could still change a selected verdict now (Next's among them): what is
  /// left to ask, as far as can be told before the answers.
  std::size_t OpenQuestions() const;

  /// The answer (a value or don't know) to `fact`, which is not a list of records.
  std::vector<VerdictChange> AnswerFact(FactId fact, const Answer& answer);

  /// The answer to "is there one to list?" for the list of records `list`: don't know leaves
  /// the list unknown, no makes it empty, yes starts its first record.
  std::vector<VerdictChange> AnswerHasRecords(FactId list, const Answer& answer);
  /// Starts one more record of `list`. A record with nothing known yet already says "there is
  /// one more": a profile saved now says that much rather than "none".
  std::vector<VerdictChange> AddRecord(FactId list);
  /// The most decisive field of the record being filled in that is not asked yet for it, or
  /// nullopt when none of its fields can change a verdict any more.
  std::optional<FactId> NextField(FactId list) const;
  /// The answer (a value or don't know) to `field` of the record being filled in.
  std::vector<VerdictChange> AnswerField(FactId field, const Answer& answer);
  /// Whether one more record of `list` would be worth its questions: only if one of its fields
  /// could change a verdict.
  bool WorthAnotherRecord(FactId list) const;
  std::size_t RecordCount(FactId list) const { return profile_.RecordCount(list); }

  /// Whether some selected pathway is eligible or conditional now.
  bool AnyOpen() const;

  const RuleSet& rules() const { return rules_; }
  Date as_of() const { return as_of_; }
  const std::vector<std::size_t>& selection() const { return selection_; }
  const std::vector<Verdict>& verdicts() const { return verdicts_; }
  const ProfileDraft& profile() const { return profile_; }
  /// Questions answered, don't know included; a list of records counts its "is there one?"
  /// and each field.
  std::size_t answered() const { return answered_; }

 private:
  // Re-evaluates the selected pathways and returns those whose verdict moved.
  std::vector<VerdictChange> Update();

  const RuleSet& rules_;
  std::vector<std::size_t> selection_;
  Date as_of_;
  ProfileDraft profile_;
  std::set<FactId> asked_;
  std::set<FactId> asked_in_record_;  // asked_ and the fields asked for the record being filled in
  Facts facts_;
  std::vector<Verdict> verdicts_;
  std::size_t answered_ = 0;
};

}  // namespace imgvisa

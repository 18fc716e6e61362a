#pragma once

#include <optional>
#include <set>
#include <vector>

#include "imgvisa/base/date.h"
#include "imgvisa/engine/verdict.h"
#include "imgvisa/profile/facts.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// A fact worth asking, with why: the sum over the selected pathways of the weight of the most
/// deciding item kind in which the fact can still change that pathway's verdict (gate 3,
/// requirement or restriction 2, condition 1), and the number of such pathways.
struct Question {
  FactId fact = 0;
  int score = 0;
  int pathways = 0;
};

/// The facts whose answer can still change a selected verdict, most decisive first (score, then
/// pathways, then dictionary order). Candidates are the `missing` facts of unknown deciding
/// items, plus the facts a deciding item reads under `exists` or in a `coalesce` operand that a
/// default stands in for (the evaluator reports neither as missing, yet answering them can turn
/// a settled outcome). Only items whose outcome can still move their pathway's verdict count:
/// nothing is asked for a pathway that is settled, a requirement's facts are not asked once
/// another requirement is unmet, a condition's facts only once every requirement and
/// restriction is met, and so on (the precedence of docs/rule-language.md). An unknown item
/// none of whose facts can be asked any more (answered "don't know") stays unknown, so it holds
/// its pathway where it is. Notes and consequences never drive questions.
///
/// The dictionary orders questions ("ask" of a fact): a fact with `ask_after` is replaced by
/// that fact, with its score, while that one can still be asked, so whether there is an offer
/// comes before the offer's dates; and it is not asked at all once that fact holds one of its
/// `ask_unless` values (no offer: none of its details).
///
/// A fact is askable when it is neither in `asked` nor known in `facts`. A field of a list of
/// records stands for its list ("immigration.history[].end" asks "immigration.history"), unless
/// `record_list` names that list: then its fields not in `asked` are the candidates and nothing
/// else is, which is how the fields of the record being filled in are chosen.
std::vector<Question> RankQuestions(const RuleSet& rules, const Facts& facts,
                                    const std::vector<Verdict>& verdicts,
                                    const std::vector<std::size_t>& selection,
                                    const std::set<FactId>& asked,
                                    std::optional<FactId> record_list = std::nullopt);

/// The first of RankQuestions for `facts` evaluated as of `as_of`, or nullopt when nothing open
/// can change a selected verdict.
std::optional<FactId> NextQuestion(const RuleSet& rules, const Facts& facts, Date as_of,
                                   const std::vector<std::size_t>& selection,
                                   const std::set<FactId>& asked);

}  // namespace imgvisa

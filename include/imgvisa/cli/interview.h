#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "imgvisa/base/date.h"
#include "imgvisa/engine/verdict.h"
#include "imgvisa/profile/facts_from_json.h"
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

/// A line typed in answer to a question about one fact.
struct Answer {
  enum class Kind { kValue, kDontKnow, kQuit, kHelp, kInvalid };
  Kind kind = Kind::kInvalid;
  nlohmann::ordered_json value;  ///< kValue: the value as it goes into the profile
  std::string hint;              ///< kInvalid: what is wrong and what would fit
};

/// Reads `text` as an answer for `fact` (a scalar, a list of scalars, or a field of a list of
/// records; not a list of records itself). "?", "don't know", "idk" and a blank line are
/// kDontKnow; "q" and "quit" kQuit; "help" kHelp. Enums take a menu number (1-based) or a value
/// (case and spaces forgiven: "Not taken" is not_taken); bools y/yes/true or n/no/false; lists
/// take comma-separated items ("none" is the empty list). The value is then checked by the
/// profile loader (FactsFromJson), so bounds, dates and enum values are exactly what a profile
/// file may hold.
Answer ParseAnswer(const FactDictionary& dictionary, FactId fact, std::string_view text);

/// y/yes or n/no, for the questions of the interview itself ("is there another one?"); the
/// don't-know, quit and help words as in ParseAnswer.
Answer ParseYesNo(std::string_view text);

/// What a fact takes, for the prompt: "y/n", "YYYY-MM-DD", "1-3" (an enum's menu), "whole
/// number 0-500 OET points", "text", "text, comma-separated, or none"; "y/n" for a list of
/// records (is there one?).
std::string TypeHint(const FactDecl& decl);

/// Sets `value` at the fact's place in a profile: "a.b.c" becomes {"a": {"b": {"c": value}}}.
/// Not for fields of lists of records.
void SetProfileValue(nlohmann::ordered_json& profile, const std::string& path,
                     nlohmann::ordered_json value);

}  // namespace imgvisa

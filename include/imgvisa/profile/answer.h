#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "imgvisa/rules/fact_dictionary.h"

namespace imgvisa {

/// A line typed in answer to a question about one fact.
struct Answer {
  enum class Kind { kValue, kDontKnow, kQuit, kHelp, kInvalid };
  Kind kind = Kind::kInvalid;
  nlohmann::ordered_json value;  ///< kValue: the value as it goes into the profile
  std::string hint;              ///< kInvalid: what is wrong and what would fit
  /// kValue: how the text was read when the value is not the text as typed, for the person to
  /// see ("read as IN (India)"); empty otherwise.
  std::string read_as;
};

/// Reads `text` as an answer for `fact` (a scalar, a list of scalars, or a field of a list of
/// records; not a list of records itself). "?", "don't know", "idk" and a blank line are
/// kDontKnow; "q" and "quit" kQuit; "help" kHelp. Enums take a menu number (1-based) or a value
/// (case and spaces forgiven: "Not taken" is not_taken); bools y/yes/true or n/no/false;
/// countries a code, an alpha-3 code or a name in any case ("india", "IND", "in" are IN, said in
/// read_as) when it names one country only, and otherwise a did-you-mean; lists take
/// comma-separated items ("none" is the empty list). The value is then checked by the
/// profile loader (FactsFromJson), so bounds, dates and enum values are exactly what a profile
/// file may hold.
Answer ParseAnswer(const FactDictionary& dictionary, FactId fact, std::string_view text);

/// y/yes or n/no, for the questions of the interview itself ("is there another one?"); the
/// don't-know, quit and help words as in ParseAnswer.
Answer ParseYesNo(std::string_view text);

/// What a fact takes, for the prompt: "y/n", "YYYY-MM-DD", "1-3" (an enum's menu), "whole
/// number 0-500 OET points", "text", "country code or name", "text, comma-separated, or none";
/// "y/n" for a list of records (is there one?).
std::string TypeHint(const FactDecl& decl);

}  // namespace imgvisa

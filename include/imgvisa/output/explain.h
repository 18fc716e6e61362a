#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "imgvisa/base/date.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// A condition in compact readable form: `all(usmle.step1.status = passed, ...)`.
std::string ConditionToString(const RuleSet& rules, int condition);

/// A placeholder's name (a fact path or a `let`) as words for a reader, in the casing its
/// description uses: "offer.program_type" → "offer program type", "usmle.step1.status" → "USMLE
/// step1 status" when the description writes "USMLE".
std::string PlaceholderWords(std::string_view name, std::string_view description);

/// The text of a template for a reader who has no profile: every placeholder is written as the
/// words of what it stands for, between ‹ and › ("Your position: ‹offer program type›"), never as
/// the raw `{offer.program_type}` of the rule file.
std::string TemplateText(const RuleSet& rules, const Item& item, const TextTemplate& text);

/// The requirements of the given pathways in plain language with their sources. With `as_of`
/// only the items in force that day; without, every version with its effective range (the
/// form docs/pathways.md is generated in). `format` is text, markdown or json.
void ExplainPathways(std::ostream& out, const RuleSet& rules,
                     const std::vector<std::size_t>& pathways, std::optional<Date> as_of,
                     const std::string& format);

/// The fact dictionary as a reference for people writing profiles (docs/profile.md).
void ExplainFacts(std::ostream& out, const RuleSet& rules);

}  // namespace imgvisa

namespace imgvisa {

/// docs/pathways.md: every pathway and component with every version of its items.
std::string PathwaysDocument(const RuleSet& rules);
/// docs/profile.md: every fact of the dictionary, with an example profile.
std::string ProfileDocument(const RuleSet& rules);

}  // namespace imgvisa

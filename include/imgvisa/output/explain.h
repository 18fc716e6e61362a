#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "imgvisa/base/date.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// A condition in compact readable form: `all(usmle.step1.status = passed, ...)`.
std::string ConditionToString(const RuleSet& rules, int condition);

/// The text of a template as written, placeholders included.
std::string TemplateSource(const RuleSet& rules, const Item& item, const TextTemplate& text);

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

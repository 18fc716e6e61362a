#pragma once

#include <optional>
#include <string>
#include <vector>

#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// The pathways a command reports on, as indexes into RuleSet::pathways. With no ids: every
/// pathway that is not a component, in the rule set's presentation order. An unknown id fails
/// with a message that suggests the closest one.
std::optional<std::vector<std::size_t>> SelectPathways(const RuleSet& rules,
                                                       const std::vector<std::string>& ids,
                                                       std::string* problem);

}  // namespace imgvisa

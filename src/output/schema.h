#pragma once

#include <nlohmann/json.hpp>

#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// JSON Schema (draft 2020-12) of a profile, generated from the fact dictionary: every fact with
/// its type, bounds, enum values and description; unknown keys are not allowed; null is allowed
/// everywhere a value is (it means "unknown").
nlohmann::ordered_json ProfileSchema(const RuleSet& rules);

/// JSON Schema (draft 2020-12) of a rule file, generated from the rule language, with the fact
/// paths, pathway ids and definition names of `rules` offered for completion.
nlohmann::ordered_json RulesSchema(const RuleSet& rules);

}  // namespace imgvisa

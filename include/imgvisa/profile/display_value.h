#pragma once

#include <string>

#include "imgvisa/base/value.h"
#include "imgvisa/profile/display_value.h"
#include "imgvisa/rules/fact_dictionary.h"

namespace imgvisa {

/// Formats a value for a person: dates as YYYY-MM-DD, enums by name, booleans yes/no.
std::string DisplayValue(const Value& value, const FactDecl* decl);

}  // namespace imgvisa

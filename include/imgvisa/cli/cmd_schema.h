#pragma once

#include <cstddef>
#include <ostream>
#include <string>

#include "imgvisa/base/diagnostic.h"

namespace imgvisa {

/// `imgvisa schema profile|rules`: prints the JSON Schema (draft 2020-12) for profiles or for
/// rule files, generated from the rule set in use. `max_errors`: errors reported per --rules file.
int RunSchema(const std::string& which, const std::string& rules_path, std::ostream& out,
              std::ostream& err, std::size_t max_errors = kDefaultMaxErrors);

}  // namespace imgvisa

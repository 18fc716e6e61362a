#pragma once

#include <ostream>
#include <string>

namespace imgvisa {

/// `imgvisa schema profile|rules`: prints the JSON Schema (draft 2020-12) for profiles or for
/// rule files, generated from the rule set in use.
int RunSchema(const std::string& which, const std::string& rules_path, std::ostream& out,
              std::ostream& err);

}  // namespace imgvisa

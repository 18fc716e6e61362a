#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "imgvisa/base/diagnostic.h"

namespace imgvisa {

struct ExplainOptions {
  std::vector<std::string> pathways;  ///< empty: every pathway that is not a component
  std::string format = "text";        ///< text | markdown | json
  std::string as_of;                  ///< YYYY-MM-DD; empty with all_versions
  bool all_versions = false;          ///< every dated version instead of those in force
  std::string rules_path;
  /// Errors reported per input (a profile, an NDJSON line, a rule or test file), the rest
  /// counted; 0: no limit.
  std::size_t max_errors = kDefaultMaxErrors;
};

/// `imgvisa explain`: what each pathway requires, in plain language with sources.
int RunExplain(const ExplainOptions& options, std::ostream& out, std::ostream& err);

/// `imgvisa docs pathways|profile`: the generated reference pages of docs/.
/// `max_errors`: of the --rules files, as ExplainOptions' max_errors.
int RunDocs(const std::string& which, const std::string& rules_path, std::ostream& out,
            std::ostream& err, std::size_t max_errors = kDefaultMaxErrors);

}  // namespace imgvisa

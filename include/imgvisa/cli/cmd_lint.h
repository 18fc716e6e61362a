#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "imgvisa/base/diagnostic.h"

namespace imgvisa {

/// `imgvisa lint`, resolved from the command line.
struct LintCommandOptions {
  std::vector<std::string> paths;  ///< files or directories forming one rule set; empty: embedded
  std::string format = "text";     ///< text | json | github | sarif
  std::string as_of;               ///< YYYY-MM-DD, the date staleness is measured at
  int stale_after = 365;
  int stale_after_volatile = 180;
  bool strict = false;             ///< warnings fail too
  std::vector<std::string> allow;  ///< codes silenced: left out of every format, only counted
  /// Errors reported per file, the rest counted (warnings are all reported); 0: no limit.
  std::size_t max_errors = kDefaultMaxErrors;
};

/// Loads the rule set (every loader problem is a finding), runs the lint checks and the test
/// files' loader, and reports the findings on `out`. Returns 0 clean (warnings allowed unless
/// strict), 1 findings, 2 usage or unreadable input.
int RunLint(const LintCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace imgvisa

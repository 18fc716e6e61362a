#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "imgvisa/base/diagnostic.h"

namespace imgvisa {

/// `imgvisa test`, resolved from the command line.
struct TestOptions {
  /// Files or directories forming one rule set (empty: the embedded set); a path inside another
  /// of them selects the test files under it instead.
  std::vector<std::string> paths;
  std::vector<std::string> cases;  ///< --case: run only cases whose name contains one of these
  std::string format = "text";     ///< text | junit
  bool coverage = false;
  double min_coverage = -1;  ///< percent; negative: no minimum
  bool verbose = false;
  /// Errors reported per input (a profile, an NDJSON line, a rule or test file), the rest
  /// counted; 0: no limit.
  std::size_t max_errors = kDefaultMaxErrors;
};

/// Runs the rule test cases. The last line of text output is "N passed, N failed", a malformed
/// case counted as failed. Returns 0 when all pass (and coverage is at least the minimum), 1
/// otherwise, 2 for malformed test cases, a filter that selects nothing or usage, 3 when the
/// rule set does not load.
int RunTest(const TestOptions& options, std::ostream& out, std::ostream& err);

}  // namespace imgvisa

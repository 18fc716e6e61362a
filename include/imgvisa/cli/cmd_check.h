#pragma once

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "imgvisa/base/diagnostic.h"

namespace imgvisa {

/// `imgvisa check`, resolved from the command line. Tests build it directly.
struct CheckOptions {
  std::vector<std::string> inputs;    ///< profile paths; "-" is standard input
  std::string as_of;                  ///< YYYY-MM-DD (main fills in today)
  std::vector<std::string> pathways;  ///< empty: every pathway that is not a component
  std::string rules_path;             ///< empty: the embedded rule set
  std::string format = "text";        ///< text | json | ndjson
  bool color = false;
  std::vector<std::string> what_if;  ///< PATH=VALUE changes to evaluate beside the profile
  bool next_steps = true;            ///< plan the smallest changes that open closed pathways
  /// short | full | summary; empty: short for text, full for json and ndjson. short (text
  /// only) is the answer for people, summary (json and ndjson only) verdicts without texts.
  std::string detail;
  std::size_t columns = 80;  ///< the width text is wrapped to (main asks the terminal)
  /// Threads that evaluate an NDJSON stream on standard input; 0: one per CPU.
  unsigned jobs = 1;
  /// Errors reported per input (a profile, an NDJSON line, a rule or test file), the rest
  /// counted; 0: no limit.
  std::size_t max_errors = kDefaultMaxErrors;
};

/// Evaluates the profiles and writes the verdicts to `out`, problems to `err`. Returns the
/// exit status of docs/cli.md: 0 some selected pathway open, 1 none, 2 bad usage or input,
/// 3 rules do not load.
int RunCheck(const CheckOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

/// Largest profile, and largest NDJSON line, that check reads.
inline constexpr std::size_t kMaxProfileBytes = 1024 * 1024;

}  // namespace imgvisa

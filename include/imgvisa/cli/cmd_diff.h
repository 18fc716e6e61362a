#pragma once

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "imgvisa/base/diagnostic.h"

namespace imgvisa {

/// `imgvisa diff`, resolved from the command line. Tests build it directly.
struct DiffOptions {
  std::string old_rules;              ///< rule file or directory before the change (required)
  std::string new_rules;              ///< rule file or directory after the change (required)
  std::vector<std::string> inputs;    ///< profile paths; "-" is NDJSON on standard input
  std::string as_of;                  ///< YYYY-MM-DD (main fills in today)
  std::vector<std::string> pathways;  ///< empty: every non-component pathway of either set
  std::string format = "text";        ///< text | ndjson
  /// Errors reported per input (a profile, an NDJSON line, a rule or test file), the rest
  /// counted; 0: no limit.
  std::size_t max_errors = kDefaultMaxErrors;
};

/// Evaluates every profile under the old and the new rule set on the same date and reports, per
/// profile and pathway, where the verdict or the set of decisive item ids differs. A pathway
/// present in only one set counts as changed; so does every pathway of a profile that loads under
/// one set's fact dictionary and not the other's (a fact added, removed or retyped).
///
/// Text (for reviewers): one block per changed profile, "pathway: old -> new" with the decisive
/// items added and removed, then the last line "N profiles, N changed" (", N failed" appended when
/// some profile could not be read). NDJSON: exactly one record per changed (profile, pathway), and
/// nothing else, on `out`; the record's fields are documented in docs/cli.md. Problems go to `err`.
///
/// Returns 0 when nothing changed, 1 when something did, 2 for bad usage or a profile that cannot
/// be read or loads under neither set (the others are still compared), 3 when a rule set does not
/// load.
int RunDiff(const DiffOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace imgvisa

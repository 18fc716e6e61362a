#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace imgvisa {

/// `imgvisa ask`, resolved from the command line. Tests build it directly.
struct AskOptions {
  std::string out_path;  ///< where the profile goes; empty: standard output
  /// A profile saved before: the interview starts from it, asks only what is still open and
  /// writes back to it (replacing it) unless `out_path` says otherwise.
  std::string resume_path;
  std::string as_of;                  ///< YYYY-MM-DD (main fills in today)
  std::string rules_path;             ///< empty: the embedded rule set
  std::vector<std::string> pathways;  ///< empty: every pathway that is not a component
  bool force = false;                 ///< overwrite an existing `out_path`
  /// Write every answer line after its prompt (main sets it when standard input is not a
  /// terminal, so a transcript of piped answers reads like a conversation).
  bool echo_answers = false;
  /// Install handlers so that SIGINT, SIGTERM and SIGHUP save the answers so far (to
  /// `out_path`, or standard output) and exit 128 + the signal number (130 for Ctrl-C). Only
  /// main sets it: the handlers are process-wide.
  bool save_on_signal = false;
};

/// The interview of docs/cli.md: asks on `err`, reads answers from `in` line by line, writes
/// the profile to `out_path` (temporary file and rename; an existing file only with `force`) or
/// as JSON to `out`. Every question, hint, verdict change and the final table go to `err`, so
/// `out` carries nothing but the profile. End of input saves what was answered, like the end
/// of the interview.
///
/// Returns 0 when some selected pathway ends eligible or conditional, 1 when none does, 2 on a
/// usage error (bad date, unknown pathway, `out_path` exists without `force` or cannot be
/// written: refused before anything is asked), 3 when the rule set does not load.
int RunAsk(const AskOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace imgvisa

#pragma once

// The outputs of `imgvisa check`, one class per --format (check_text_output.h,
// check_json_output.h, check_ndjson_output.h), peers behind CheckOutput. They sit in the cli
// stage beside the command rather than in src/output/: the output stage renders one verdict or
// one record (render.h, result_writer.h), while these lay out and write a whole run (separators
// between profiles, one document, records gathered into blocks, write errors and the exit
// status), which is the command's contract in docs/cli.md. Only the check command uses them.

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "imgvisa/base/date.h"
#include "imgvisa/base/diagnostic.h"
#include "imgvisa/engine/questions.h"
#include "imgvisa/engine/verdict.h"
#include "imgvisa/output/render.h"
#include "imgvisa/profile/consistency_checks.h"
#include "imgvisa/profile/what_if.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// What checking one profile gives.
struct ProfileEvaluation {
  std::vector<Verdict> verdicts;  ///< by pathway index
  PlansByPathway plans;           ///< next steps of the selected closed pathways, when planned
  /// The questions that would settle the most, for the short text answer (empty otherwise).
  std::vector<Question> questions;
  std::vector<Verdict> what_if;  ///< the verdicts with the --what-if changes applied, if any
  bool open = false;             ///< some selected pathway is eligible or conditional
  /// Contradictions among the profile's facts, located; their facts were evaluated as unknown.
  std::vector<FactConflict> conflicts;
  /// Those the --what-if changes brought about (not located: the changes are no file's).
  std::vector<FactConflict> what_if_conflicts;
};

/// What a check run evaluates and reports, the same for every profile and every output.
struct CheckScope {
  const RuleSet& rules;
  std::vector<std::size_t> selection;  ///< the pathways reported, in order
  std::vector<FactChange> changes;     ///< --what-if
  Date as_of;
  bool summary = false;  ///< --detail summary: verdicts without texts, items or next steps
  /// The short text answer (text without --detail full): ranked questions, wrapped to `columns`.
  bool short_text = false;
  std::size_t columns = 80;
  std::size_t max_errors = kDefaultMaxErrors;  ///< errors reported per profile; 0: all
};

/// Where a check run's outcomes go. Each profile gives one Result or one Error, in input order;
/// Finish ends the run. The output also keeps what the exit status depends on (some profile
/// failed, some pathway is open) and whether writing failed.
class CheckOutput {
 public:
  CheckOutput(const CheckScope& scope, std::ostream& out, std::ostream& err)
      : scope_(scope), out_(out), err_(err) {}
  virtual ~CheckOutput() = default;
  CheckOutput(const CheckOutput&) = delete;
  CheckOutput& operator=(const CheckOutput&) = delete;

  /// One evaluated profile: `input` as the user named it, `line` its line in an NDJSON stream
  /// (0 otherwise), `id` its "$id" (empty: none).
  virtual void Result(const std::string& input, std::size_t line, const std::string& id,
                      const ProfileEvaluation& evaluation) = 0;
  /// A profile that cannot be read or does not load, and why: its first errors, and how many
  /// more were found beyond --max-errors.
  virtual void Error(const std::string& input, std::size_t line,
                     const std::vector<Diagnostic>& diagnostics, std::size_t omitted_errors) = 0;
  /// After the last profile.
  virtual void Finish() { Flush(); }
  /// Sends what is written so far on its way.
  virtual void Flush();

  /// True once a write to the output has failed; nothing more is worth evaluating then.
  bool OutputFailed() const { return !out_; }

  /// Ends the run with its exit status: quietly when the reader went away (`| head`), with a
  /// message for any other write error (a full disk), which must not pass for a complete output.
  int Close();

 protected:
  /// Counts one profile's outcome towards the exit status.
  void Tally(bool failed, bool open) {
    failed_ = failed_ || failed;
    any_open_ = any_open_ || open;
  }
  /// The lines standard error gets for a checked profile's warnings (empty: none).
  static std::string WarningLines(const ProfileEvaluation& evaluation);
  /// The lines standard error gets for a profile's errors: one per diagnostic, then how many
  /// more there were.
  static std::string ErrorLines(const std::string& input, std::size_t line,
                                const std::vector<Diagnostic>& diagnostics,
                                std::size_t omitted_errors);
  /// Keeps errno of the first failed write; call it right after writing, before any other call
  /// can overwrite errno.
  void NoteWriteFailure();

  const CheckScope& scope_;
  std::ostream& out_;
  std::ostream& err_;

 private:
  int ExitStatus() const;

  bool failed_ = false;
  bool any_open_ = false;
  bool write_failed_ = false;
  int write_errno_ = 0;
};

}  // namespace imgvisa

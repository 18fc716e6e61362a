#pragma once

#include <string>

#include "cli/check_output.h"
#include "imgvisa/output/result_writer.h"

namespace imgvisa {

/// What one or more NDJSON lines give: their records and their diagnostics. Kept apart from the
/// streams so that lines can be evaluated on worker threads (--jobs) and still be written in
/// input order.
struct RecordBlock {
  std::string out;      ///< records, one per line
  std::string err;      ///< diagnostics, one per line
  bool failed = false;  ///< some profile could not be read or does not load
  bool open = false;    ///< some selected pathway of some profile is open
  void clear() {
    out.clear();
    err.clear();
    failed = open = false;
  }
};

/// `check --format ndjson`: one record per profile, in input order, gathered into blocks so
/// that a stream is not a system call per record. Records are appended to a RecordBlock by
/// const members, which several threads may call at once, and written in order by Write.
class CheckNdjsonOutput final : public CheckOutput {
 public:
  CheckNdjsonOutput(const CheckScope& scope, std::ostream& out, std::ostream& err);

  void Result(const std::string& input, std::size_t line, const std::string& id,
              const ProfileEvaluation& evaluation) override;
  void Error(const std::string& input, std::size_t line, const std::vector<Diagnostic>& diagnostics,
             std::size_t omitted_errors) override;
  void Flush() override;

  /// Appends the "result" record of one profile to `block`.
  void AppendResult(RecordBlock& block, const std::string& input, std::size_t line,
                    const std::string& id, const ProfileEvaluation& evaluation) const;
  /// Appends an "error" record and its diagnostics to `block`.
  void AppendError(RecordBlock& block, const std::string& input, std::size_t line,
                   const std::vector<Diagnostic>& diagnostics, std::size_t omitted_errors) const;
  /// Writes what a block holds, its diagnostics first (as when each is written as it is found).
  void Write(const RecordBlock& block);

 private:
  void WritePending();

  ResultWriter writer_;
  RecordBlock block_;    // for Result and Error, reused so a stream does not allocate per line
  std::string pending_;  // records not yet handed to the output stream (Write)
};

}  // namespace imgvisa

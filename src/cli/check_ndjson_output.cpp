#include "cli/check_ndjson_output.h"

#include "cli/check_json_output.h"

namespace imgvisa {
namespace {

// Records are handed to the output stream in blocks of about this size: the stream makes a
// system call of every write of a kilobyte or more, which with summary records (a few
// kilobytes each) was a noticeable share of a stream's time.
constexpr std::size_t kOutputBlock = 64 * 1024;

}  // namespace

CheckNdjsonOutput::CheckNdjsonOutput(const CheckScope& scope, std::ostream& out, std::ostream& err)
    : CheckOutput(scope, out, err), writer_(scope.rules) {}

void CheckNdjsonOutput::Result(const std::string& input, std::size_t line, const std::string& id,
                               const ProfileEvaluation& evaluation) {
  block_.clear();
  AppendResult(block_, input, line, id, evaluation);
  Write(block_);
}

void CheckNdjsonOutput::Error(const std::string& input, std::size_t line,
                              const std::vector<Diagnostic>& diagnostics,
                              std::size_t omitted_errors) {
  block_.clear();
  AppendError(block_, input, line, diagnostics, omitted_errors);
  Write(block_);
}

void CheckNdjsonOutput::AppendResult(RecordBlock& block, const std::string& input, std::size_t line,
                                     const std::string& id,
                                     const ProfileEvaluation& evaluation) const {
  block.open = block.open || evaluation.open;
  block.err += WarningLines(evaluation);
  if (!scope_.changes.empty() || !evaluation.conflicts.empty()) {
    block.out += DumpJsonLine(CheckResultJson(scope_, input, line, id, evaluation));
    block.out += '\n';
    return;
  }
  // The same bytes as CheckResultJson would dump, without building it: a full record is many
  // times the size of its profile, and building its DOM dominated a stream's time.
  writer_.AppendRecordHead(block.out, input, line, id, scope_.as_of);
  for (std::size_t k = 0; k < scope_.selection.size(); ++k) {
    const std::size_t p = scope_.selection[k];
    if (k > 0) block.out += ',';
    if (!evaluation.plans[p].empty()) {
      block.out += DumpJsonLine(CheckVerdictJson(scope_, evaluation, p));
    } else if (scope_.summary) {
      writer_.AppendVerdictSummary(block.out, evaluation.verdicts[p]);
    } else {
      writer_.AppendVerdict(block.out, evaluation.verdicts[p]);
    }
  }
  block.out += ']';
  if (!scope_.summary) writer_.AppendSources(block.out, evaluation.verdicts, scope_.selection);
  block.out += "}\n";
}

void CheckNdjsonOutput::AppendError(RecordBlock& block, const std::string& input, std::size_t line,
                                    const std::vector<Diagnostic>& diagnostics,
                                    std::size_t omitted_errors) const {
  block.failed = true;
  block.err += ErrorLines(input, line, diagnostics, omitted_errors);
  block.out += DumpJsonLine(CheckErrorJson(input, line, diagnostics, omitted_errors));
  block.out += '\n';
}

void CheckNdjsonOutput::Write(const RecordBlock& block) {
  Tally(block.failed, block.open);
  if (!block.err.empty()) {
    WritePending();
    err_ << block.err;
  }
  if (pending_.empty() && block.out.size() >= kOutputBlock) {  // a --jobs batch: no copy
    out_ << block.out;
    return NoteWriteFailure();
  }
  pending_ += block.out;
  if (pending_.size() >= kOutputBlock) WritePending();
}

void CheckNdjsonOutput::Flush() {
  WritePending();
  CheckOutput::Flush();
}

void CheckNdjsonOutput::WritePending() {
  out_ << pending_;
  pending_.clear();
  NoteWriteFailure();
}

}  // namespace imgvisa

#include "cli/check_stream.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "imgvisa/cli/cmd_check.h"
#include "sys/ordered_workers.h"

namespace imgvisa {
namespace {

// Lines handed to a worker at a time with --jobs: enough that the hand-over (a lock and a
// wake-up) is noise beside checking them, few enough that a batch's records stay near
// kBatchOutputBytes. At most 2 x jobs batches exist at once, so this is what bounds memory:
// full records are far larger than their profiles, and batches of them made a large process.
constexpr std::size_t kMaxLinesPerBatch = 64;
constexpr std::size_t kBatchOutputBytes = 512 * 1024;

// Sizes batches by the records written so far: small summary records go many to a batch, full
// records few. Until a batch is written its size is unknown, so the first batches are of one
// line each.
class BatchSizer {
 public:
  std::size_t NextBatchLines() const {
    if (lines_written_ == 0) return 1;
    const std::size_t bytes_per_line = std::max<std::size_t>(1, bytes_written_ / lines_written_);
    return std::clamp<std::size_t>(kBatchOutputBytes / bytes_per_line, 1, kMaxLinesPerBatch);
  }
  void Written(std::size_t lines, std::size_t bytes) {
    lines_written_ += lines;
    bytes_written_ += bytes;
  }

 private:
  std::size_t lines_written_ = 0;
  std::size_t bytes_written_ = 0;
};

// One stdin line as the stream sees it: an over-limit line is an error record, a blank one
// nothing at all. `line.text` is borrowed by the profile and given back, so its storage serves
// the next line.
void CheckLine(const ProfileChecker& checker, const CheckNdjsonOutput& output, ProfileLine& line,
               RecordBlock& block, CheckWorkspace& workspace) {
  if (line.length > kMaxProfileBytes) {
    return output.AppendError(
        block, "-", line.number,
        {Diagnostic{Severity::kError, "E003",
                    fmt::format("line of {} bytes exceeds the limit of {} bytes", line.length,
                                kMaxProfileBytes),
                    "-", std::nullopt}},
        0);
  }
  if (line.blank) return;
  SourceFile profile("-", std::move(line.text), line.number);
  if (const ProfileEvaluation* e = checker.Check(profile, workspace)) {
    output.AppendResult(block, "-", line.number, workspace.facts.facts.id, *e);
  } else {
    output.AppendError(block, "-", line.number, workspace.facts.diagnostics,
                       workspace.facts.omitted_errors);
  }
  line.text = std::move(profile).TakeText();
}

// Returns false when writing failed and the stream was left unread.
bool CheckInOrder(ProfileStream& stream, const ProfileChecker& checker, CheckNdjsonOutput& output) {
  ProfileLine line;
  RecordBlock block;
  CheckWorkspace workspace;
  while (stream.Next(line)) {
    block.clear();
    CheckLine(checker, output, line, block, workspace);
    output.Write(block);
    if (output.OutputFailed()) return false;
  }
  return true;
}

void CheckInBatches(ProfileStream& stream, const ProfileChecker& checker, CheckNdjsonOutput& output,
                    std::size_t jobs) {
  struct Batch {
    // The first `count` are this batch's; the rest keep their storage for a later batch.
    std::vector<ProfileLine> lines;
    std::size_t count = 0;
    RecordBlock block;
  };
  std::vector<CheckWorkspace> workspaces(jobs);  // one per worker, kept for the whole stream
  BatchSizer sizer;                              // read and written on this thread only
  RunOrdered<Batch>(
      jobs,
      [&](Batch& batch) {
        batch.block.clear();
        batch.count = stream.NextBatch(batch.lines, sizer.NextBatchLines());
        return batch.count > 0;
      },
      [&](Batch& batch, std::size_t worker) {
        for (std::size_t k = 0; k < batch.count; ++k) {
          CheckLine(checker, output, batch.lines[k], batch.block, workspaces[worker]);
        }
      },
      [&](Batch& batch) {
        sizer.Written(batch.count, batch.block.out.size());
        output.Write(batch.block);
        return !output.OutputFailed();
      });
}

}  // namespace

void CheckStream(ProfileStream& stream, const ProfileChecker& checker, CheckNdjsonOutput& output,
                 std::size_t jobs) {
  if (jobs <= 1) {
    if (!CheckInOrder(stream, checker, output)) return;
  } else {
    CheckInBatches(stream, checker, output, jobs);
  }
  if (stream.ReadFailed()) {
    output.Error("-", 0,
                 {Diagnostic{Severity::kError, "E050", "cannot read the profile: read error", "-",
                             std::nullopt}},
                 0);
  }
}

}  // namespace imgvisa

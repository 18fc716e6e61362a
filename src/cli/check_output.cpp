#include "cli/check_output.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "imgvisa/cli/exit_code.h"

namespace imgvisa {

std::string CheckOutput::ErrorLines(const std::string& input, std::size_t line,
                                    const std::vector<Diagnostic>& diagnostics,
                                    std::size_t omitted_errors) {
  std::string text;
  for (const Diagnostic& d : diagnostics) {
    text += FormatDiagnosticLine(d);
    text += '\n';
  }
  if (omitted_errors > 0) {
    text +=
        FormatOmittedErrors(line == 0 ? input : fmt::format("{}:{}", input, line), omitted_errors);
    text += '\n';
  }
  return text;
}

std::string CheckOutput::WarningLines(const ProfileEvaluation& evaluation) {
  std::string text;
  for (const auto* conflicts : {&evaluation.conflicts, &evaluation.what_if_conflicts}) {
    for (const FactConflict& c : *conflicts) {
      text += FormatDiagnosticLine(c.warning);
      text += '\n';
    }
  }
  return text;
}

void CheckOutput::Flush() {
  out_.flush();
  NoteWriteFailure();
}

int CheckOutput::Close() {
  if (!out_) {
    if (write_errno_ == EPIPE) return ExitStatus();
    err_ << "imgvisa check: cannot write the output: "
         << (write_errno_ != 0 ? std::strerror(write_errno_) : "write error") << "\n";
    return kExitUsage;
  }
  return ExitStatus();
}

void CheckOutput::NoteWriteFailure() {
  if (!out_ && !write_failed_) {
    write_failed_ = true;
    write_errno_ = errno;
  }
}

int CheckOutput::ExitStatus() const {
  if (failed_) return kExitUsage;
  return any_open_ ? kExitOk : kExitNoneOpen;
}

}  // namespace imgvisa

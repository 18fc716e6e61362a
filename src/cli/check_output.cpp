#include "cli/check_output.h"

#include <cerrno>
#include <cstring>

#include "imgvisa/cli/exit_code.h"

namespace imgvisa {

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

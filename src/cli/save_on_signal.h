#pragma once

#include <csignal>
#include <cstddef>
#include <iterator>
#include <string>

#include "cli/profile_target.h"

namespace imgvisa {

/// While it lives, SIGINT, SIGTERM and SIGHUP save the profile last published (to the target,
/// or standard output) and exit 128 + the signal number (130 for Ctrl-C); before the first
/// Publish they only exit. A signal ignored on entry (a background job) stays ignored. The
/// previous handlers come back when it goes. The handlers are process-wide: only main asks for
/// them (AskOptions::save_on_signal).
class SaveOnSignal {
 public:
  explicit SaveOnSignal(const ProfileTarget& target);
  ~SaveOnSignal();
  SaveOnSignal(const SaveOnSignal&) = delete;
  SaveOnSignal& operator=(const SaveOnSignal&) = delete;

  /// What a signal saves from now on: the profile's text and how many answers it holds. All of
  /// it is prepared here, so the handler only copies bytes.
  void Publish(const std::string& profile_text, std::size_t answered);

  /// From here on the program saves by itself; a signal waits until this is gone.
  void Block();

 private:
  static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

  ProfileTarget target_;
  struct sigaction previous_[std::size(kSignals)]{};
  sigset_t old_mask_{};
  bool blocked_ = false;
};

}  // namespace imgvisa

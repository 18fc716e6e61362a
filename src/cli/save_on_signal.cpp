#include "cli/save_on_signal.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <memory>

namespace imgvisa {
namespace {

// What the handler writes.
struct Snapshot {
  ProfileTarget target;
  bool write = false;  // false: nothing answered yet, nothing to save
  std::string bytes;
  std::string saved;   // said on standard error once the profile is safe
  std::string failed;  // said when the file cannot be written (the profile then goes to stdout)
};

std::atomic<const Snapshot*> g_snapshot{nullptr};
static_assert(std::atomic<const Snapshot*>::is_always_lock_free);

void SaveAndExit(int signal) {
  if (const Snapshot* s = g_snapshot.load()) {
    if (!s->write) {
      WriteAll(2, s->saved);
    } else if (s->target.path.empty()) {
      WriteAll(1, s->bytes);
      WriteAll(2, s->saved);
    } else if (WriteProfile(s->target, s->bytes.data(), s->bytes.size()) == 0) {
      WriteAll(2, s->saved);
    } else {
      WriteAll(2, s->failed);
      WriteAll(1, s->bytes);
    }
  }
  ::_exit(128 + signal);
}

}  // namespace

SaveOnSignal::SaveOnSignal(const ProfileTarget& target) : target_(target) {
  struct sigaction action {};
  action.sa_handler = SaveAndExit;
  sigemptyset(&action.sa_mask);
  for (int s : kSignals) sigaddset(&action.sa_mask, s);
  for (std::size_t i = 0; i < std::size(kSignals); ++i) {
    sigaction(kSignals[i], nullptr, &previous_[i]);
    if (previous_[i].sa_handler != SIG_IGN) sigaction(kSignals[i], &action, nullptr);
  }
}

SaveOnSignal::~SaveOnSignal() {
  for (std::size_t i = 0; i < std::size(kSignals); ++i) {
    sigaction(kSignals[i], &previous_[i], nullptr);
  }
  if (blocked_) sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
  delete g_snapshot.exchange(nullptr);
}

void SaveOnSignal::Publish(const std::string& profile_text, std::size_t answered) {
  auto s = std::make_unique<Snapshot>();
  s->target = target_;
  s->write = answered > 0;
  s->bytes = profile_text + "\n";
  if (answered == 0 && target_.path.empty()) {
    s->saved = "\ninterrupted: nothing answered\n";
  } else {
    s->saved = fmt::format("\ninterrupted: {}\n", SavedMessage(target_, answered));
  }
  if (!target_.path.empty()) {
    s->failed = fmt::format(
        "\ninterrupted: cannot write {}; the profile follows on standard output\n", target_.shown);
  }
  // The handler runs on this thread: once the exchange is done it can only see the new one.
  delete g_snapshot.exchange(s.release());
}

void SaveOnSignal::Block() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : kSignals) sigaddset(&set, s);
  blocked_ = sigprocmask(SIG_BLOCK, &set, &old_mask_) == 0;
}

}  // namespace imgvisa

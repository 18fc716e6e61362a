#include "cli/profile_target.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "imgvisa/base/diagnostic.h"

namespace imgvisa {
namespace {

// A hidden file next to the target, so the rename never crosses file systems.
std::string TempPathFor(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  return fmt::format("{}.{}.imgvisa-{}.tmp", dir, base, static_cast<long>(::getpid()));
}

std::string Plural(std::size_t n, const char* word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

}  // namespace

ProfileTarget ProfileTargetFor(const std::string& path, bool force) {
  // A device or a FIFO is written in place: a rename would replace it rather than write to it.
  struct stat st {};
  const bool in_place = !path.empty() && ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) &&
                        !S_ISDIR(st.st_mode);
  return ProfileTarget{path, EscapeForDisplay(path, 400),
                       path.empty() || in_place ? "" : TempPathFor(path), force};
}

std::string ProfileTargetProblem(const ProfileTarget& target) {
  if (target.path.empty()) return "";
  struct stat st {};
  if (::stat(target.path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return fmt::format("{} is a directory", target.shown);
    if (!target.replace) {
      return fmt::format("{} already exists; use --force to overwrite it", target.shown);
    }
  }
  if (target.temp.empty()) {  // a device or FIFO, written in place
    if (::access(target.path.c_str(), W_OK) == 0) return "";
    return fmt::format("cannot write {}: {}", target.shown, std::strerror(errno));
  }
  const int fd = ::open(target.temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return fmt::format("cannot write {}: {}", target.shown, std::strerror(errno));
  ::close(fd);
  ::unlink(target.temp.c_str());
  return "";
}

std::string SavedMessage(const ProfileTarget& target, std::size_t answered) {
  if (target.path.empty()) {
    return fmt::format("printed {} to standard output", Plural(answered, "answer"));
  }
  if (answered == 0) return fmt::format("nothing answered; {} not written", target.shown);
  return fmt::format("saved {} to {}", Plural(answered, "answer"), target.shown);
}

int WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return 0;
}

int WriteAll(int fd, const std::string& text) { return WriteAll(fd, text.data(), text.size()); }

int WriteProfile(const ProfileTarget& target, const char* data, std::size_t size) {
  const char* path = target.path.c_str();
  const char* temp = target.temp.c_str();
  if (target.temp.empty()) {  // a device or FIFO (ProfileTargetFor)
    const int out = ::open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (out < 0) return errno;
    const int error = WriteAll(out, data, size);
    return ::close(out) != 0 && error == 0 ? errno : error;
  }
  const int fd = ::open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return errno;
  int error = WriteAll(fd, data, size);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0) {
    if (target.replace) {
      if (::rename(temp, path) != 0) error = errno;
    } else if (::renameat2(AT_FDCWD, temp, AT_FDCWD, path, RENAME_NOREPLACE) != 0) {
      error = errno;
      // Some file systems do not know RENAME_NOREPLACE; the check at the start still holds.
      if (error == EINVAL || error == ENOSYS) error = ::rename(temp, path) != 0 ? errno : 0;
    }
  }
  if (error != 0) ::unlink(temp);
  return error;
}

}  // namespace imgvisa

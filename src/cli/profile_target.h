#pragma once

#include <cstddef>
#include <string>

namespace imgvisa {

/// Where `imgvisa ask` writes the profile. Writing goes through a temporary file next to the
/// target and a rename, so the target is either untouched or complete.
struct ProfileTarget {
  std::string path;      ///< empty: standard output
  std::string shown;     ///< `path` as messages show it
  std::string temp;      ///< the file written and then renamed to `path`
  bool replace = false;  ///< an existing `path` may be overwritten (--force)
};

ProfileTarget ProfileTargetFor(const std::string& path, bool force);

/// Why the profile could not be written to `target`, or empty when it can: a directory, a file
/// that exists without `replace`, a place where no file can be made. Checked before the first
/// question.
std::string ProfileTargetProblem(const ProfileTarget& target);

/// What became of the answers once the profile is saved to `target`: "saved 3 answers to
/// p.json", "printed 3 answers to standard output", "nothing answered; p.json not written".
std::string SavedMessage(const ProfileTarget& target, std::size_t answered);

// The writing is async-signal-safe (open, write, fsync, close, rename, unlink), because a
// signal handler saves the answers with the same code as the normal end.

/// Writes all of `data` to `fd`. Returns 0 or the errno of the write that failed.
int WriteAll(int fd, const char* data, std::size_t size);
int WriteAll(int fd, const std::string& text);

/// Writes `data` to `target.temp` and renames it to `target.path`. Without `target.replace`, an
/// existing file is never overwritten, even one that appeared since the start. Returns 0 or
/// the errno of the step that failed.
int WriteProfile(const ProfileTarget& target, const char* data, std::size_t size);

}  // namespace imgvisa

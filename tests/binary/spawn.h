#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace imgvisa::testing {

/// How to start a child process: its argv (argv[0] is looked up in PATH when it has no slash),
/// where its standard streams come from and go, and extra environment entries.
struct SpawnOptions {
  std::vector<std::string> argv;
  std::string stdin_path = "/dev/null";  ///< opened for reading
  std::string stdin_text;                ///< if set, written to a temporary file used as stdin
  bool use_stdin_text = false;
  std::string stdout_path;  ///< opened for writing; empty: a temporary file read back into `out`
  int stdout_fd = -1;       ///< if >= 0, used as stdout instead (e.g. a pipe's write end)
  std::vector<std::string> env;
  /// If not 0, the child's address space is limited to this many bytes (RLIMIT_AS), so that a
  /// run needing more memory fails there instead of slowing the machine.
  std::size_t address_space_bytes = 0;
  /// If not 0, the child is killed (SIGKILL) after this many seconds: a hang fails the test
  /// rather than blocking the run. Generous: it catches a hang, not a slow machine.
  double timeout_seconds = 0;
};

struct Spawned {
  bool exited = false;     ///< false: killed by a signal
  int status = -1;         ///< exit status, or the signal number when !exited
  bool timed_out = false;  ///< killed at SpawnOptions::timeout_seconds
  double seconds = 0;      ///< wall-clock time from start to exit
  std::string out;
  std::string err;
};

/// Runs the process to completion. Standard streams go through files, not pipes, so a child that
/// stops reading or writes a lot can never block the test.
Spawned Spawn(const SpawnOptions& options);

/// The imgvisa binary under test.
std::string ImgvisaBinary();

/// A fresh path under /tmp for this test process; `suffix` ends it.
std::string TempPath(const std::string& suffix);

}  // namespace imgvisa::testing

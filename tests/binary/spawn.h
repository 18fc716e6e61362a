#pragma once

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
};

struct Spawned {
  bool exited = false;  ///< false: killed by a signal
  int status = -1;      ///< exit status, or the signal number when !exited
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

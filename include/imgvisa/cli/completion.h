#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "imgvisa/cli/command_line.h"

namespace imgvisa {

/// A bash completion script for `line`, using nothing but bash's own builtins: command names,
/// each command's options, the values of options and arguments with a fixed set of choices,
/// `pathways` where a PATHWAY is asked for, and file names for paths and profiles. It completes
/// `--option=value` as well as `--option value`.
void WriteBashCompletion(std::ostream& out, const CommandLine& line,
                         const std::vector<std::string>& pathways);

/// `imgvisa completion bash`: the script, with the embedded rule set's pathway ids. Returns 0,
/// 2 for a shell it has no script for, 3 when the embedded rules do not load.
int RunCompletion(const CommandLine& line, const std::string& shell, std::ostream& out,
                  std::ostream& err);

}  // namespace imgvisa

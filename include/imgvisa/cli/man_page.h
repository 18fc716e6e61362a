#pragma once

#include <ostream>
#include <string_view>
#include <vector>

#include "imgvisa/cli/command_line.h"

namespace imgvisa {

/// One exit status of a command and what it means (the tables of docs/cli.md).
struct ExitStatus {
  int status;
  std::string_view meaning;
};

/// The exit statuses of `command` ("" for the program itself: --version, --help), or none for a
/// command this table does not know: a test holds every command of the binary to having them.
std::vector<ExitStatus> ExitStatusesOf(std::string_view command);

/// The manual page imgvisa(1) in roff with the man(7) macros, generated from the command line
/// the binary parses: every command with its synopsis, options and arguments, every exit status,
/// the environment and where the full documentation is.
void WriteManPage(std::ostream& out, const CommandLine& line, std::string_view version);

}  // namespace imgvisa

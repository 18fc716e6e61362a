#pragma once

// Usage errors in imgvisa's own words: one line saying what is wrong, with a "did you mean" for
// a mistyped command, option or choice, and one line saying where to look.

#include <optional>
#include <string>
#include <vector>

#include "imgvisa/cli/command_line.h"

namespace imgvisa {

struct UsageError {
  std::string command;  ///< the command it concerns, or empty for the program itself
  std::string message;  ///< `unknown command "chek" (did you mean "check"?)`
  std::string hint;     ///< `Run 'imgvisa --help' for the commands.`
};

/// The first usage error in `args` (the arguments after the program name), or none: unknown
/// commands and options, options without their value, values outside their choices, arguments
/// too many or missing. With -h/--help in them, only unknown commands and options are errors.
/// What it cannot see (a number out of range) is left to the parser.
std::optional<UsageError> FindUsageError(const CommandLine& line,
                                         const std::vector<std::string>& args);

/// A usage error about `command` (empty: the program) that only the parser saw, with the hint
/// that goes with it.
UsageError ParserUsageError(const CommandLine& line, const std::string& command,
                            std::string message);

/// The two lines on standard error: "imgvisa check: MESSAGE\nHINT\n".
std::string FormatUsageError(const CommandLine& line, const UsageError& error);

}  // namespace imgvisa

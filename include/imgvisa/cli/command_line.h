#pragma once

// The command line as data: what main declares to its parser (CLI11), described for all that is
// generated from it — usage errors with suggestions, `imgvisa help`, the man page and shell
// completion — so that none of them can drift from the options the binary takes.

#include <string>
#include <string_view>
#include <vector>

namespace imgvisa {

/// One option of a command, or of the program before any command.
struct OptionSpec {
  std::vector<std::string> names;    ///< "--format", "-j": as typed, long names first
  std::string value;                 ///< what it takes ("FORMAT", "DATE"); empty: a flag
  std::vector<std::string> choices;  ///< the values allowed, when they are a fixed set
  std::string help;
  bool required = false;
  bool repeatable = false;
};

/// One positional argument of a command.
struct ArgumentSpec {
  std::string name;  ///< as shown: "PROFILE"
  std::string help;
  std::vector<std::string> choices;  ///< the values allowed, when they are a fixed set
  bool required = false;
  bool many = false;  ///< takes any number of values
};

struct CommandSpec {
  std::string name;
  std::string summary;
  std::vector<OptionSpec> options;  ///< -h/--help included
  std::vector<ArgumentSpec> arguments;

  /// The option one of whose names is `name`, or null.
  const OptionSpec* FindOption(std::string_view name) const;
};

struct CommandLine {
  std::string program = "imgvisa";
  std::string summary;
  std::vector<OptionSpec> options;  ///< before any command: -h/--help, --version
  std::vector<CommandSpec> commands;

  const CommandSpec* FindCommand(std::string_view name) const;
  std::vector<std::string> CommandNames() const;
};

/// Every name of `options`, in order: what a mistyped option is compared with.
std::vector<std::string> OptionNames(const std::vector<OptionSpec>& options);

/// The one line of usage of a command: "imgvisa check [OPTIONS] PROFILE...".
std::string Synopsis(const CommandLine& line, const CommandSpec& command);

/// "a, b or c": choices as a sentence says them.
std::string ChoiceList(const std::vector<std::string>& choices);

}  // namespace imgvisa

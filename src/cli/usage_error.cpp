#include "imgvisa/cli/usage_error.h"

#include <fmt/format.h>

#include <algorithm>

#include "imgvisa/base/suggest.h"

namespace imgvisa {
namespace {

std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::optional<std::string> near = Suggest(word, candidates);
  return near ? fmt::format(" (did you mean \"{}\"?)", *near) : "";
}

bool IsHelp(const std::string& arg) { return arg == "-h" || arg == "--help"; }

// Reads the arguments of one command line, stopping at the first problem.
class ArgumentReader {
 public:
  ArgumentReader(const CommandLine& line, const std::vector<std::string>& args)
      : line_(line), args_(args) {}

  std::optional<UsageError> Read() {
    const bool help = std::any_of(args_.begin(), args_.end(), IsHelp);
    for (i_ = 0; i_ < args_.size(); ++i_) {
      const std::string& arg = args_[i_];
      std::optional<UsageError> error;
      if (arg == "--" && command_) {
        for (++i_; i_ < args_.size() && !error; ++i_) error = Argument(args_[i_]);
        return error ? error : Finished(help);
      }
      error = arg.size() > 1 && arg[0] == '-' ? Option(arg) : Argument(arg);
      if (error) return error;
    }
    return Finished(help);
  }

 private:
  UsageError Error(std::string message) const {
    return ParserUsageError(line_, command_ ? command_->name : "", std::move(message));
  }

  const std::vector<OptionSpec>& Options() const {
    return command_ ? command_->options : line_.options;
  }

  std::optional<UsageError> Option(const std::string& arg) {
    const bool long_name = arg.compare(0, 2, "--") == 0;
    const std::size_t equals = long_name ? arg.find('=') : std::string::npos;
    const std::string name = long_name ? arg.substr(0, equals) : arg.substr(0, 2);
    const OptionSpec* option = nullptr;
    for (const OptionSpec& o : Options()) {
      if (std::find(o.names.begin(), o.names.end(), name) != o.names.end()) option = &o;
    }
    if (!option) return UnknownOption(name);
    if (option->value.empty()) return std::nullopt;  // a flag (bundled short flags: the parser)
    seen_.push_back(option);
    std::optional<std::string> value;
    if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (!long_name && arg.size() > 2) {
      value = arg.substr(2);
    } else if (i_ + 1 < args_.size() && !LooksLikeOption(args_[i_ + 1])) {
      value = args_[++i_];
    }
    if (!value) {
      return Error(fmt::format("{} needs a value ({}{})", name, option->value,
                               option->choices.empty() ? "" : ": " + ChoiceList(option->choices)));
    }
    return Choice(name, *value, option->choices);
  }

  std::optional<UsageError> UnknownOption(const std::string& name) const {
    // Any one-letter option is one edit from any other: a suggestion only for long names.
    const bool long_name = name.compare(0, 2, "--") == 0;
    UsageError error =
        Error(fmt::format("unknown option \"{}\"{}", name,
                          long_name ? DidYouMean(name, OptionNames(Options())) : ""));
    if (!command_) {
      // An option of a command given before it: say where it goes.
      for (const CommandSpec& c : line_.commands) {
        if (c.FindOption(name)) {
          error.hint = fmt::format("Options of a command go after it: '{} {} {} ...'.",
                                   line_.program, c.name, name);
          break;
        }
      }
    }
    return error;
  }

  // A value given where an option was expected to have one: "--allow --strict".
  bool LooksLikeOption(const std::string& arg) const {
    if (arg.compare(0, 2, "--") == 0) return true;
    const std::vector<std::string> names = OptionNames(Options());
    return arg.size() >= 2 && arg[0] == '-' &&
           std::find(names.begin(), names.end(), arg.substr(0, 2)) != names.end();
  }

  std::optional<UsageError> Choice(const std::string& what, const std::string& value,
                                   const std::vector<std::string>& choices) const {
    if (choices.empty() || std::find(choices.begin(), choices.end(), value) != choices.end())
      return std::nullopt;
    return Error(fmt::format("{} takes {}, not \"{}\"{}", what, ChoiceList(choices), value,
                             DidYouMean(value, choices)));
  }

  std::optional<UsageError> Argument(const std::string& arg) {
    if (!command_) {
      command_ = line_.FindCommand(arg);
      if (command_) return std::nullopt;
      UsageError error = Error(
          fmt::format("unknown command \"{}\"{}", arg, DidYouMean(arg, line_.CommandNames())));
      if (arg.size() > 5 && arg.compare(arg.size() - 5, 5, ".json") == 0) {
        error.hint = fmt::format("To check a profile: '{} check {}'.", line_.program, arg);
      }
      return error;
    }
    const std::vector<ArgumentSpec>& specs = command_->arguments;
    const bool more = !specs.empty() && specs.back().many;
    if (arguments_ >= specs.size() && !more) {
      return Error(fmt::format("unexpected argument \"{}\"", arg));
    }
    const ArgumentSpec& spec = specs[std::min(arguments_, specs.size() - 1)];
    ++arguments_;
    // `help CMD` names a command: the same words as for a mistyped command.
    if (command_->name == "help" && !line_.FindCommand(arg)) {
      return ParserUsageError(
          line_, "",
          fmt::format("unknown command \"{}\"{}", arg, DidYouMean(arg, line_.CommandNames())));
    }
    return Choice(spec.name, arg, spec.choices);
  }

  // What is missing once every argument is read; nothing is, when help was asked for.
  std::optional<UsageError> Finished(bool help) const {
    if (!command_ || help) return std::nullopt;
    std::size_t required = 0;
    for (const ArgumentSpec& a : command_->arguments) required += a.required ? 1 : 0;
    if (arguments_ < required) {
      const ArgumentSpec& missing = command_->arguments[arguments_];
      return Error(
          fmt::format("missing {}{}", missing.name,
                      missing.choices.empty() ? "" : " (" + ChoiceList(missing.choices) + ")"));
    }
    for (const OptionSpec& o : command_->options) {
      if (o.required && std::find(seen_.begin(), seen_.end(), &o) == seen_.end()) {
        return Error(fmt::format("missing {} {}", o.names.front(), o.value));
      }
    }
    return std::nullopt;
  }

  const CommandLine& line_;
  const std::vector<std::string>& args_;
  std::size_t i_ = 0;
  const CommandSpec* command_ = nullptr;
  std::size_t arguments_ = 0;            // positional arguments of the command so far
  std::vector<const OptionSpec*> seen_;  // options given with a value
};

}  // namespace

std::optional<UsageError> FindUsageError(const CommandLine& line,
                                         const std::vector<std::string>& args) {
  return ArgumentReader(line, args).Read();
}

UsageError ParserUsageError(const CommandLine& line, const std::string& command,
                            std::string message) {
  UsageError error{command, std::move(message), {}};
  error.hint = command.empty()
                   ? fmt::format("Run '{} --help' for the commands.", line.program)
                   : fmt::format("Run '{} help {}' for its options.", line.program, command);
  return error;
}

std::string FormatUsageError(const CommandLine& line, const UsageError& error) {
  return fmt::format("{}{}: {}\n{}\n", line.program,
                     error.command.empty() ? "" : " " + error.command, error.message, error.hint);
}

}  // namespace imgvisa

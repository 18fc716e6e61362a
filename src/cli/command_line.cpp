#include "imgvisa/cli/command_line.h"

#include <algorithm>

namespace imgvisa {

const OptionSpec* CommandSpec::FindOption(std::string_view name) const {
  for (const OptionSpec& o : options) {
    if (std::find(o.names.begin(), o.names.end(), name) != o.names.end()) return &o;
  }
  return nullptr;
}

const CommandSpec* CommandLine::FindCommand(std::string_view name) const {
  for (const CommandSpec& c : commands) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::vector<std::string> CommandLine::CommandNames() const {
  std::vector<std::string> names;
  for (const CommandSpec& c : commands) names.push_back(c.name);
  return names;
}

std::vector<std::string> OptionNames(const std::vector<OptionSpec>& options) {
  std::vector<std::string> names;
  for (const OptionSpec& o : options) names.insert(names.end(), o.names.begin(), o.names.end());
  return names;
}

std::string Synopsis(const CommandLine& line, const CommandSpec& command) {
  std::string out = line.program + " " + command.name;
  for (const OptionSpec& o : command.options) {
    if (o.required) out += " " + o.names.front() + " " + o.value;
  }
  if (command.options.size() > 1) out += " [OPTIONS]";
  for (const ArgumentSpec& a : command.arguments) {
    const std::string name = a.name + (a.many ? "..." : "");
    out += " " + (a.required ? name : "[" + name + "]");
  }
  return out;
}

std::string ChoiceList(const std::vector<std::string>& choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) out += i + 1 == choices.size() ? " or " : ", ";
    out += choices[i];
  }
  return out;
}

}  // namespace imgvisa

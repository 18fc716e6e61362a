#pragma once

#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "imgvisa/base/id_set.h"
#include "imgvisa/base/source.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa::testing {

/// The ids of a set in order, as a vector: what a failed comparison prints readably.
inline std::vector<std::uint16_t> Ids(const IdSet& set) { return {set.begin(), set.end()}; }

/// Absolute path of a file in the source tree.
std::string SourcePath(const std::string& relative);
std::string ReadText(const std::string& path);
void WriteText(const std::string& path, const std::string& text);

/// Compiles a rule set from in-memory files; fails the test with the diagnostics if it does not
/// load.
RuleSet MustLoad(std::vector<SourceFile> files);

/// A minimal rule set: a manifest, the given facts and one pathway file text.
std::vector<SourceFile> TinyRuleSet(const std::string& facts_json, const std::string& pathway_json);

struct Process {
  int status = -1;
  std::string out;
  std::string err;
};
/// Runs the real imgvisa binary with `args`, feeding `input` on stdin.
Process RunImgvisa(const std::vector<std::string>& args, const std::string& input = "",
                   const std::vector<std::string>& env = {});

/// What a command function wrote and returned.
struct CommandResult {
  int status = 0;
  std::string out;
  std::string err;
};

/// Runs a command function `int Run(const Options&, std::istream&, std::ostream&, std::ostream&)`
/// in process, with `input` as its standard input.
template <typename Options, typename Run>
CommandResult RunCommand(Run run, const Options& options, const std::string& input = "") {
  std::istringstream in(input);
  std::ostringstream out, err;
  const int status = run(options, in, out, err);
  return {status, out.str(), err.str()};
}

/// Every profile of examples/profiles as one line of NDJSON, in file-name order.
std::vector<std::string> ExampleProfileLines();

/// Each line of NDJSON output, parsed.
std::vector<nlohmann::json> JsonLines(const std::string& text);

/// Compares `actual` with the golden file, or rewrites it when IMGVISA_UPDATE_GOLDEN=1.
void CheckGolden(const std::string& relative, const std::string& actual);

}  // namespace imgvisa::testing

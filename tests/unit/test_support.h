#pragma once

#include <string>
#include <vector>

#include "imgvisa/ruleset.h"
#include "imgvisa/source.h"

namespace imgvisa::testing {

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

/// Compares `actual` with the golden file, or rewrites it when IMGVISA_UPDATE_GOLDEN=1.
void CheckGolden(const std::string& relative, const std::string& actual);

}  // namespace imgvisa::testing

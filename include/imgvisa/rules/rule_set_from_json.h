#pragma once

#include <optional>
#include <vector>

#include "imgvisa/base/diagnostic.h"
#include "imgvisa/base/source.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// A loaded rule set and every problem found on the way. `rules` is present only when no
/// diagnostic is an error.
struct RuleSetLoad {
  std::optional<RuleSet> rules;
  std::vector<Diagnostic> diagnostics;
  bool ok() const { return rules.has_value(); }
};

/// Compiles the files of a rule set (see docs/rule-language.md). Reports every structural
/// problem at once, each located in its file; nothing is thrown.
/// `root` is the prefix of the file names that the content hash leaves out. Without
/// `positions` the elements of a set that loads carry no byte offsets (evaluation needs none and
/// the load is faster); a set with problems is always reported with file:line:column.
RuleSetLoad RuleSetFromFiles(std::vector<SourceFile> files, std::string_view root = "",
                             bool positions = true);

}  // namespace imgvisa

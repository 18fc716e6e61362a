#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// A compiled RuleSet in binary form. The build compiles the embedded rules once
/// (src/tools/compile_rules.cpp) and links the image into the binary, so a run with the
/// embedded rules restores the set without parsing a byte of JSON (docs/performance.md).
///
/// The format is private to one build: the same code writes and reads it, so there is no
/// compatibility to keep, only a magic tag that turns a truncated or foreign image into
/// nullopt. The image keeps the names of the rule files and the set's content hash, not their
/// text: diagnostics about rules come from `lint` and `--rules`, which read JSON.
std::string RuleSetImage(const RuleSet& rules);
std::optional<RuleSet> RuleSetFromImage(std::string_view image);

/// The image linked into this binary, or empty when there is none: the embedded rules did not
/// compile at build time (the JSON path then reports why, at run time), or this is the build
/// tool itself.
std::string_view EmbeddedRuleSetImage();

}  // namespace imgvisa

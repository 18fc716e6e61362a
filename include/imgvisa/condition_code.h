#pragma once

#include <string>
#include <string_view>

#include "imgvisa/ruleset.h"

namespace imgvisa {

/// The conditions of `rules` as a C++ source that defines EmbeddedCompiledConditions(): one
/// function per condition the evaluator has a specialised step for (all, any, not, ref, some,
/// every, a fact or field compared with a literal, a value in a set of literals, a fact known),
/// with its operands and literals written in and its children called directly; the others run
/// through the evaluator's steps. Each function does what the step it replaces does, in the
/// same order, falling back to the tree walk where the step does (src/evaluator_pass.h), so
/// the outcomes and the reasons for unknown ones are the same. `sha256` is the set's content
/// hash, which the code carries so that it is linked only to the set it came from.
///
/// Written at build time for the embedded rules by imgvisa-compile-rules.
std::string ConditionCode(const RuleSet& rules, std::string_view sha256);

}  // namespace imgvisa

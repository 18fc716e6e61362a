#pragma once

#include <string>
#include <string_view>

#include "imgvisa/ruleset.h"

namespace imgvisa {

/// The conditions of `rules` as a C++ source that defines EmbeddedCompiledConditions(): one
/// function per expression and per condition (all, any, not, ref, some, every, comparisons, a
/// fact or field in a set of literals, a fact known, references to verdicts, items and
/// unsettled points), with its operands, literals and operators written in and its children
/// called directly; `overlaps`, `within` and the set tests the steps do not specialise run
/// through the evaluator's steps. Each function does what the step or walk it replaces does,
/// in the same order, through the same code wherever more than dispatch is involved
/// (src/evaluator_pass.h), so the outcomes and the reasons for unknown ones are the same. `sha256`
/// is the set's content hash, which the code carries so that it is linked only to the set it came
/// from.
///
/// Written at build time for the embedded rules by imgvisa-compile-rules.
std::string ConditionCode(const RuleSet& rules, std::string_view sha256);

}  // namespace imgvisa

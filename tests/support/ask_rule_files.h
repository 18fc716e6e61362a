#pragma once

#include <string>
#include <vector>

#include "imgvisa/base/source.h"

namespace imgvisa::testing {

/// The date the ask rule set is evaluated on in the tests.
inline constexpr const char* kAskAsOf = "2026-11-21";

/// Three pathways behind one gate. alpha and beta share the exam; alpha also needs a score and
/// has a pending decision and a note; beta is blocked for graduates before 2020; gamma counts
/// J-1 months in a list of records, an open period running to the evaluation date.
std::vector<SourceFile> AskRuleFiles();

}  // namespace imgvisa::testing

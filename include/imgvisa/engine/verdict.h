#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "imgvisa/base/outcome.h"

namespace imgvisa {

/// The verdict words, a contract scripts rely on (docs/cli.md). Order is the index of
/// VerdictKind and of the bits of a {"pathway": ..., "is": [...]} reference.
inline constexpr const char* kVerdictNames[] = {"eligible",   "conditional",  "blocked",
                                                "ineligible", "undetermined", "not-applicable"};

enum class VerdictKind : std::uint8_t {
  kEligible,
  kConditional,
  kBlocked,
  kIneligible,
  kUndetermined,
  kNotApplicable
};

std::string_view VerdictName(VerdictKind kind);
/// Eligible and conditional are the verdicts that leave a way open (exit status 0).
bool IsOpen(VerdictKind kind);

/// One item of a pathway as evaluated for one profile.
struct ItemResult {
  std::size_t item = 0;  ///< index into Pathway::items
  Outcome status = Outcome::kUnknown;
  Missing missing;  ///< what the item lacks when its status is unknown; empty otherwise
  std::string text;
  /// Notes and consequences whose condition is unmet are kept for references and coverage
  /// but not shown.
  bool shown = true;
};

struct Verdict {
  std::size_t pathway = 0;  ///< index into RuleSet::pathways
  VerdictKind kind = VerdictKind::kUndetermined;
  std::vector<ItemResult> items;      ///< items in force on the evaluation date, in rule order
  std::vector<std::size_t> decisive;  ///< indexes into `items` that decided the verdict
  Missing missing;                    ///< what would settle the undecided deciding items
  bool in_force = true;
};

}  // namespace imgvisa

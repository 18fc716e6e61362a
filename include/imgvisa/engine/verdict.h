#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "imgvisa/base/outcome.h"
#include "imgvisa/rules/rule_set.h"

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

/// A set of verdict kinds, one bit per VerdictKind (the bit of `kind` is 1 << kind).
using VerdictKinds = std::uint8_t;
constexpr VerdictKinds KindBit(VerdictKind kind) {
  return static_cast<VerdictKinds>(1u << static_cast<int>(kind));
}

/// Which (kind, status) pairs occur among a pathway's deciding items: the bit of a pair is
/// StatusBit(kind, status).
using ItemStatuses = std::uint32_t;
constexpr ItemStatuses StatusBit(ItemKind kind, Outcome status) {
  return ItemStatuses{1} << (static_cast<int>(kind) * 3 + static_cast<int>(status));
}

/// The verdict the items' statuses give (docs/rule-language.md, "Verdicts and their
/// precedence").
struct Decision {
  VerdictKind kind = VerdictKind::kEligible;
  /// The verdicts the pathway could have once every unknown item is settled, each unknown item
  /// taken as free to come out either way. A verdict is closed (ineligible, blocked or
  /// not-applicable) whichever way the unknowns fall exactly when `possible` holds no open kind.
  VerdictKinds possible = 0;
  /// The (kind, status) pairs of the items that decided it: StatusBit pairs.
  ItemStatuses decisive = 0;
  /// The pairs of the unknown deciding items that cannot change a closed verdict: the
  /// "whichever way" items.
  ItemStatuses whichever = 0;
};
Decision Decide(ItemStatuses present);

/// Whether the pathway is closed to the person (ineligible, blocked, not-applicable).
bool IsClosed(VerdictKind kind);

struct Verdict {
  std::size_t pathway = 0;  ///< index into RuleSet::pathways
  VerdictKind kind = VerdictKind::kUndetermined;
  VerdictKinds possible = 0;          ///< Decision::possible
  std::vector<ItemResult> items;      ///< items in force on the evaluation date, in rule order
  std::vector<std::size_t> decisive;  ///< indexes into `items` that decided the verdict
  /// Indexes into `items` of the unknown deciding items of a closed verdict: however they are
  /// settled, the pathway stays closed.
  std::vector<std::size_t> whichever;
  /// What would settle the undecided deciding items (of a closed verdict too: it cannot open
  /// the pathway, but it tells which closed verdict it is, and what a curable one will need).
  Missing missing;
  /// The alternative (FactDictionary::alternatives: an offer) the verdict is for, when the
  /// profile gives several and the pathway reads them: an index into Facts::alternatives, the
  /// best verdict among them. -1 otherwise.
  int alternative = -1;
  std::string alternative_name;  ///< its "name" fact, if the profile gives one
  /// Every alternative gets this verdict: the reasons are those of the first, and hold for all.
  bool alternatives_agree = false;
  bool in_force = true;
  /// A closed verdict (ineligible, blocked) that is a step still to take rather than final: the
  /// next-step planner (next_steps.h) found changes the person can make that leave nothing of it
  /// unmet. Set by whoever plans; the evaluator leaves it false.
  bool curable = false;
};

/// Whether verdict `a` is better for the person than `b`: eligible, conditional, undetermined,
/// blocked, ineligible, not-applicable.
bool Better(VerdictKind a, VerdictKind b);

}  // namespace imgvisa

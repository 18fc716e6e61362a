#include "imgvisa/engine/verdict.h"

namespace imgvisa {

std::string_view VerdictName(VerdictKind kind) { return kVerdictNames[static_cast<int>(kind)]; }

bool IsOpen(VerdictKind kind) {
  return kind == VerdictKind::kEligible || kind == VerdictKind::kConditional;
}

bool IsClosed(VerdictKind kind) {
  return kind == VerdictKind::kIneligible || kind == VerdictKind::kBlocked ||
         kind == VerdictKind::kNotApplicable;
}

bool Better(VerdictKind a, VerdictKind b) {
  static constexpr int kRank[] = {0, 1, 3, 4, 2, 5};  // by VerdictKind
  return kRank[static_cast<int>(a)] < kRank[static_cast<int>(b)];
}

namespace {

ItemStatuses Pair(ItemKind kind, Outcome status) { return StatusBit(kind, status); }

}  // namespace

// Each unknown item may come out met or unmet. A definite unmet gate shuts the pathway; a
// definite unmet requirement or restriction closes it whatever the unknowns are, since the
// most they can do is make it not concern the person or close it for another reason first.
// Only when nothing is definitely unmet can the unknowns decide between open and closed.
Decision Decide(ItemStatuses present) {
  using K = ItemKind;
  using O = Outcome;
  const auto has = [&](ItemStatuses bits) { return (present & bits) != 0; };
  const ItemStatuses gate_unknown = Pair(K::kGate, O::kUnknown);
  const ItemStatuses requirement_unknown = Pair(K::kRequirement, O::kUnknown);
  const ItemStatuses restriction_unknown = Pair(K::kRestriction, O::kUnknown);
  const ItemStatuses pending = Pair(K::kCondition, O::kUnmet) | Pair(K::kCondition, O::kUnknown);

  Decision d;
  if (has(Pair(K::kGate, O::kUnmet))) {
    d.kind = VerdictKind::kNotApplicable;
    d.possible = KindBit(d.kind);
    d.decisive = Pair(K::kGate, O::kUnmet);
    return d;
  }
  if (has(gate_unknown)) d.possible |= KindBit(VerdictKind::kNotApplicable);
  if (has(Pair(K::kRequirement, O::kUnmet))) {
    d.kind = VerdictKind::kIneligible;
    d.possible |= KindBit(d.kind);
    d.decisive = Pair(K::kRequirement, O::kUnmet);
    d.whichever = present & (gate_unknown | requirement_unknown | restriction_unknown);
    return d;
  }
  if (has(requirement_unknown)) d.possible |= KindBit(VerdictKind::kIneligible);
  if (has(Pair(K::kRestriction, O::kUnmet))) {
    d.kind = VerdictKind::kBlocked;
    d.possible |= KindBit(d.kind);
    d.decisive = Pair(K::kRestriction, O::kUnmet);
    d.whichever = present & (gate_unknown | requirement_unknown | restriction_unknown);
    return d;
  }
  if (has(restriction_unknown)) d.possible |= KindBit(VerdictKind::kBlocked);
  d.possible |= KindBit(has(pending) ? VerdictKind::kConditional : VerdictKind::kEligible);
  if (has(gate_unknown)) {
    d.kind = VerdictKind::kUndetermined;
    d.decisive = gate_unknown;
  } else if (has(requirement_unknown | restriction_unknown)) {
    d.kind = VerdictKind::kUndetermined;
    d.decisive = present & (requirement_unknown | restriction_unknown);
  } else if (has(pending)) {
    d.kind = VerdictKind::kConditional;
    d.decisive = present & pending;
  } else {
    d.kind = VerdictKind::kEligible;
  }
  return d;
}

}  // namespace imgvisa

#include "imgvisa/engine/verdict.h"

#include <catch2/catch.hpp>
#include <set>

using imgvisa::Decide;
using imgvisa::ItemKind;
using imgvisa::ItemStatuses;
using imgvisa::KindBit;
using imgvisa::Outcome;
using imgvisa::StatusBit;
using imgvisa::VerdictKind;
using imgvisa::VerdictKinds;

namespace {

constexpr ItemKind kDeciding[] = {ItemKind::kGate, ItemKind::kRequirement, ItemKind::kRestriction,
                                  ItemKind::kCondition};

// The verdict of items none of which is unknown (conditions aside: a pending decision is
// conditional whether it is unmet or unknown), by the plain precedence.
VerdictKind Settled(ItemStatuses s) {
  const auto has = [&](ItemKind k, Outcome o) { return (s & StatusBit(k, o)) != 0; };
  if (has(ItemKind::kGate, Outcome::kUnmet)) return VerdictKind::kNotApplicable;
  if (has(ItemKind::kRequirement, Outcome::kUnmet)) return VerdictKind::kIneligible;
  if (has(ItemKind::kRestriction, Outcome::kUnmet)) return VerdictKind::kBlocked;
  if (has(ItemKind::kCondition, Outcome::kUnmet) || has(ItemKind::kCondition, Outcome::kUnknown))
    return VerdictKind::kConditional;
  return VerdictKind::kEligible;
}

// Every way the unknown gates, requirements and restrictions of `present` can be settled: the
// unknown items of one kind may all come out met, all unmet, or some each way.
void Completions(ItemStatuses present, std::size_t k, ItemStatuses so_far,
                 std::set<ItemStatuses>& out) {
  if (k == 3) {
    out.insert(so_far | (present & (StatusBit(ItemKind::kCondition, Outcome::kMet) |
                                    StatusBit(ItemKind::kCondition, Outcome::kUnmet) |
                                    StatusBit(ItemKind::kCondition, Outcome::kUnknown))));
    return;
  }
  const ItemKind kind = kDeciding[k];
  ItemStatuses known =
      present & (StatusBit(kind, Outcome::kMet) | StatusBit(kind, Outcome::kUnmet));
  if (!(present & StatusBit(kind, Outcome::kUnknown))) {
    Completions(present, k + 1, so_far | known, out);
    return;
  }
  for (ItemStatuses fall : {StatusBit(kind, Outcome::kMet), StatusBit(kind, Outcome::kUnmet),
                            StatusBit(kind, Outcome::kMet) | StatusBit(kind, Outcome::kUnmet)}) {
    Completions(present, k + 1, so_far | known | fall, out);
  }
}

bool Open(VerdictKind k) { return k == VerdictKind::kEligible || k == VerdictKind::kConditional; }

}  // namespace

// The whole lattice: every combination of (kind, status) pairs among a pathway's deciding
// items, against the verdicts of every way its unknowns could be settled.
TEST_CASE(
    "Decide: closed whichever way the unknowns fall is ineligible or blocked, by brute force") {
  for (ItemStatuses present = 0; present < (ItemStatuses{1} << 12); ++present) {
    INFO("present " << present);
    std::set<ItemStatuses> completions;
    Completions(present, 0, 0, completions);
    VerdictKinds possible = 0;
    for (ItemStatuses c : completions) possible |= KindBit(Settled(c));
    const imgvisa::Decision d = Decide(present);
    CHECK(d.possible == possible);
    bool any_open = false, any_closed = false;
    for (ItemStatuses c : completions) (Open(Settled(c)) ? any_open : any_closed) = true;
    if (!any_open) {
      // Closed every way: the definite unmet item says which, by precedence.
      CHECK(d.kind == Settled(present & ~(StatusBit(ItemKind::kGate, Outcome::kUnknown) |
                                          StatusBit(ItemKind::kRequirement, Outcome::kUnknown) |
                                          StatusBit(ItemKind::kRestriction, Outcome::kUnknown))));
      CHECK(d.kind != VerdictKind::kUndetermined);
    } else if (any_closed) {
      CHECK(d.kind == VerdictKind::kUndetermined);
      CHECK(d.whichever == 0);
    } else {
      CHECK(Open(d.kind));
      CHECK(d.kind == Settled(present));
    }
    // Whichever-way items are exactly the unknown gates, requirements and restrictions of a
    // verdict closed by a requirement or a restriction.
    const ItemStatuses unknown = present & (StatusBit(ItemKind::kGate, Outcome::kUnknown) |
                                            StatusBit(ItemKind::kRequirement, Outcome::kUnknown) |
                                            StatusBit(ItemKind::kRestriction, Outcome::kUnknown));
    if (d.kind == VerdictKind::kIneligible || d.kind == VerdictKind::kBlocked) {
      CHECK(d.whichever == unknown);
    } else {
      CHECK(d.whichever == 0);
    }
    CHECK((d.decisive & ~present) == 0);
    if (d.kind != VerdictKind::kEligible) CHECK(d.decisive != 0);
  }
}

TEST_CASE("Decide: the precedence, case by case") {
  const auto bit = [](ItemKind k, Outcome o) { return StatusBit(k, o); };
  CHECK(Decide(0).kind == VerdictKind::kEligible);
  CHECK(
      Decide(bit(ItemKind::kGate, Outcome::kUnmet) | bit(ItemKind::kRequirement, Outcome::kUnknown))
          .kind == VerdictKind::kNotApplicable);
  CHECK(
      Decide(bit(ItemKind::kGate, Outcome::kUnknown) | bit(ItemKind::kRequirement, Outcome::kUnmet))
          .kind == VerdictKind::kIneligible);
  CHECK(Decide(bit(ItemKind::kRequirement, Outcome::kUnknown) |
               bit(ItemKind::kRestriction, Outcome::kUnmet))
            .kind == VerdictKind::kBlocked);
  CHECK(Decide(bit(ItemKind::kRequirement, Outcome::kUnknown)).kind == VerdictKind::kUndetermined);
  CHECK(Decide(bit(ItemKind::kCondition, Outcome::kUnknown)).kind == VerdictKind::kConditional);
  CHECK(Decide(bit(ItemKind::kCondition, Outcome::kUnmet) |
               bit(ItemKind::kRequirement, Outcome::kUnknown))
            .kind == VerdictKind::kUndetermined);
}

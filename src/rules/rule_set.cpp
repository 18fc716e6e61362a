#include "imgvisa/rules/rule_set.h"

#include "base/sha256.h"

namespace imgvisa {

std::string_view ItemKindName(ItemKind kind) {
  switch (kind) {
    case ItemKind::kGate:
      return "gate";
    case ItemKind::kRequirement:
      return "requirement";
    case ItemKind::kRestriction:
      return "restriction";
    case ItemKind::kCondition:
      return "condition";
    case ItemKind::kNote:
      return "note";
    case ItemKind::kConsequence:
      return "consequence";
  }
  return "requirement";
}

bool Decides(ItemKind kind) { return kind != ItemKind::kNote && kind != ItemKind::kConsequence; }

bool Effective::Overlaps(const Effective& o) const {
  const bool this_ends_before = until && o.from && *until <= *o.from;
  const bool other_ends_before = o.until && from && *o.until <= *from;
  return !this_ends_before && !other_ends_before;
}

const std::string& RuleSet::Sha256() const {
  if (sha256_.empty()) sha256_ = RuleSetHash(files, root);
  return sha256_;
}

std::optional<std::size_t> RuleSet::FindPathway(std::string_view id) const {
  for (std::size_t i = 0; i < pathways.size(); ++i) {
    if (pathways[i].id == id) return i;
  }
  return std::nullopt;
}

}  // namespace imgvisa

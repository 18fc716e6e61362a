#include "imgvisa/rules/rule_set.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using imgvisa::Effective;
using imgvisa::ItemKind;
using imgvisa::ParseIsoDate;

TEST_CASE("item kinds: their names, and which decide a verdict") {
  CHECK(imgvisa::ItemKindName(ItemKind::kGate) == "gate");
  CHECK(imgvisa::ItemKindName(ItemKind::kRequirement) == "requirement");
  CHECK(imgvisa::ItemKindName(ItemKind::kRestriction) == "restriction");
  CHECK(imgvisa::ItemKindName(ItemKind::kCondition) == "condition");
  CHECK(imgvisa::ItemKindName(ItemKind::kNote) == "note");
  CHECK(imgvisa::ItemKindName(ItemKind::kConsequence) == "consequence");
  for (ItemKind k :
       {ItemKind::kGate, ItemKind::kRequirement, ItemKind::kRestriction, ItemKind::kCondition}) {
    CHECK(imgvisa::Decides(k));
  }
  CHECK_FALSE(imgvisa::Decides(ItemKind::kNote));
  CHECK_FALSE(imgvisa::Decides(ItemKind::kConsequence));
}

TEST_CASE("effective ranges overlap unless one ends on or before the other starts") {
  const auto d = [](const char* iso) { return *ParseIsoDate(iso); };
  const Effective open;
  const Effective y2024{d("2024-01-01"), d("2025-01-01")};
  const Effective y2025{d("2025-01-01"), d("2026-01-01")};
  const Effective from_mid_2024{d("2024-07-01"), std::nullopt};
  const Effective until_2024{std::nullopt, d("2024-01-01")};
  CHECK(open.Overlaps(open));
  CHECK(open.Overlaps(y2024));
  CHECK(y2024.Overlaps(open));
  CHECK_FALSE(y2024.Overlaps(y2025));  // `until` is exclusive: they only touch
  CHECK_FALSE(y2025.Overlaps(y2024));
  CHECK(y2024.Overlaps(from_mid_2024));
  CHECK(y2025.Overlaps(from_mid_2024));
  CHECK_FALSE(until_2024.Overlaps(y2024));
  CHECK_FALSE(y2024.Overlaps(until_2024));
  CHECK(until_2024.Overlaps(open));
}

TEST_CASE("FindPathway finds a pathway by id") {
  const imgvisa::RuleSet rules = imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(
      R"({"ok": {"type": "bool", "description": "d", "question": "OK?"}})",
      R"({"pathway": {"id": "only", "title": "T", "summary": "S", "sponsor": "X", "items": [
          {"id": "i", "kind": "requirement", "title": "t", "condition": {"eq": [{"fact": "ok"}, true]},
           "text": {"met": "m", "unmet": "u"},
           "sources": [{"instrument": "Act", "verified": "2026-01-01"}]}]}})"));
  CHECK(rules.FindPathway("only") == std::optional<std::size_t>(0));
  CHECK_FALSE(rules.FindPathway("other").has_value());
  CHECK_FALSE(rules.FindPathway("").has_value());
}

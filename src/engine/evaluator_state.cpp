#include "engine/evaluator_state.h"

#include <algorithm>

namespace imgvisa {
namespace {

using State = Evaluator::State;

// For each condition that definitions are referred to by (the child of a `ref`): its slot in
// the evaluator's memo, else -1.
std::vector<int> MemoSlots(const RuleSet& rules) {
  std::vector<int> slots(rules.conditions.size(), -1);
  int next = 0;
  for (const CondNode& c : rules.conditions) {
    if (c.op != CondOp::kRef) continue;
    int& slot = slots[static_cast<std::size_t>(c.children[0])];
    if (slot < 0) slot = next++;
  }
  return slots;
}

// The key of the item an {"item": …} condition names: the index of the first item of its
// pathway with that id, or -1 when there is none.
int ItemKey(const RuleSet& rules, const CondNode& item_condition) {
  const auto& items = rules.pathways[static_cast<std::size_t>(item_condition.target)].items;
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (items[k].id == item_condition.item_id) return static_cast<int>(k);
  }
  return -1;
}

}  // namespace

State::State(const RuleSet& rules, Dispatch dispatch)
    : rules_(rules),
      item_key_(rules.conditions.size(), -1),
      item_keys_(rules.pathways.size()),
      spare_items_(rules.pathways.size()) {
  // Items of one pathway may share an id across periods of time, so an item is known by the
  // index of the first item with its id.
  for (std::size_t p = 0; p < rules.pathways.size(); ++p) {
    const auto& items = rules.pathways[p].items;
    for (std::size_t k = 0; k < items.size(); ++k) {
      std::size_t first = 0;
      while (items[first].id != items[k].id) ++first;
      item_keys_[p].push_back(static_cast<int>(first));
    }
  }
  referenced_.resize(rules.pathways.size());
  for (std::size_t p = 0; p < rules.pathways.size(); ++p) {
    referenced_[p].assign(rules.pathways[p].items.size(), 0);
  }
  memo_slot_ = MemoSlots(rules);
  const int slots = static_cast<int>(
      std::count_if(memo_slot_.begin(), memo_slot_.end(), [](int slot) { return slot >= 0; }));
  for (std::size_t i = 0; i < rules.conditions.size(); ++i) {
    const CondNode& c = rules.conditions[i];
    if (c.op == CondOp::kItem) {
      item_key_[i] = ItemKey(rules, c);
      const auto& items = rules.pathways[static_cast<std::size_t>(c.target)].items;
      for (std::size_t k = 0; k < items.size(); ++k) {
        if (items[k].id == c.item_id) referenced_[static_cast<std::size_t>(c.target)][k] = 1;
      }
    }
  }
  for (std::size_t f = 0; f < rules.dictionary.facts().size(); ++f) {
    if (rules.dictionary.facts()[f].dated) dated_.push_back(static_cast<FactId>(f));
  }
  reads_alternatives_ = ReadsAlternatives(rules);
  memo_.resize(static_cast<std::size_t>(slots));
  memo_missing_.resize(static_cast<std::size_t>(slots));
  Prepare(dispatch);
}

void State::InForceOn(Date date) {
  if (active_date_ == date) return;
  active_date_ = date;
  in_force_.assign(rules_.pathways.size(), 0);
  active_.assign(rules_.pathways.size(), {});
  deciding_.assign(rules_.pathways.size(), {});
  gates_.assign(rules_.pathways.size(), {});
  shut_.assign(rules_.pathways.size(), {});
  for (std::size_t p = 0; p < rules_.pathways.size(); ++p) {
    const Pathway& pathway = rules_.pathways[p];
    in_force_[p] = pathway.effective.Contains(date);
    for (std::size_t i = 0; i < pathway.items.size(); ++i) {
      const Item& item = pathway.items[i];
      if (!item.effective.Contains(date)) continue;
      ActiveItem active{
          i, item.condition, item.kind, Decides(item.kind), item.unknown_text.present, item.at};
      active_[p].push_back(active);
      active.keeps_missing = referenced_[p][i];
      if (active.decides || referenced_[p][i]) deciding_[p].push_back(active);
      if (active.kind == ItemKind::kGate) gates_[p].push_back(active);
      if (active.kind == ItemKind::kGate || referenced_[p][i]) shut_[p].push_back(active);
    }
  }
}

void State::NextRound() {
  // After 2^32 evaluations the counter would meet the rounds stored long ago.
  if (++round_ == 0) {
    for (Memo& memo : memo_) memo.round = 0;
    round_ = 1;
  }
}

// Out of line, so that Push inlines.
void State::ReasonStack::Grow() { storage_.resize(storage_.empty() ? 64 : 2 * storage_.size()); }

}  // namespace imgvisa

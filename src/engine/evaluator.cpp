#include "imgvisa/engine/evaluator.h"

#include <algorithm>

#include "engine/evaluator_state.h"
#include "imgvisa/rules/rule_reads.h"

namespace imgvisa {

std::string_view VerdictName(VerdictKind kind) { return kVerdictNames[static_cast<int>(kind)]; }
bool IsOpen(VerdictKind kind) {
  return kind == VerdictKind::kEligible || kind == VerdictKind::kConditional;
}

namespace evaluation {

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

const FactDecl* OperandFact(const RuleSet& rules, const CondNode& c) {
  if (c.lhs < 0) return nullptr;
  const ExprNode& lhs = rules.expressions[static_cast<std::size_t>(c.lhs)];
  if (lhs.op != ExprOp::kFact && lhs.op != ExprOp::kField) return nullptr;
  return &rules.dictionary.at(lhs.fact);
}

std::optional<LiteralComparison> AsLiteralComparison(const RuleSet& rules, const CondNode& c) {
  const FactDecl* fact = OperandFact(rules, c);
  if (fact == nullptr || c.rhs < 0) return std::nullopt;
  const ExprNode& rhs = rules.expressions[static_cast<std::size_t>(c.rhs)];
  if (rhs.op != ExprOp::kLiteral) return std::nullopt;
  const std::optional<Value::Kind> kind = IntegerLikeKind(fact->type);
  if (!kind) return std::nullopt;
  const bool boolean = *kind == Value::Kind::kBool;
  if (boolean ? rhs.literal.kind != Value::Kind::kBool : !IsIntegerLike(rhs.literal.kind)) {
    return std::nullopt;
  }
  return LiteralComparison{
      *kind, boolean ? static_cast<std::int64_t>(rhs.literal.boolean) : rhs.literal.integer};
}

std::optional<LiteralSet> AsLiteralSet(const CondNode& c, ValueType element) {
  LiteralSet set;
  if (element == ValueType::kString) {
    for (const Value& v : c.set) {
      const std::optional<std::uint64_t> key =
          v.kind == Value::Kind::kString ? ShortKey(v.string) : std::nullopt;
      if (!key) return std::nullopt;
      set.keys.push_back(*key);
    }
    return set;
  }
  const std::optional<Value::Kind> kind = IntegerLikeKind(element);
  if (!kind || *kind == Value::Kind::kBool) return std::nullopt;
  set.kind = *kind;
  for (const Value& v : c.set) {
    if (!IsIntegerLike(v.kind) || v.integer < 0 || v.integer >= 64) return std::nullopt;
    set.members |= std::uint64_t{1} << v.integer;
  }
  return set;
}

int ItemKey(const RuleSet& rules, const CondNode& item_condition) {
  const auto& items = rules.pathways[static_cast<std::size_t>(item_condition.target)].items;
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (items[k].id == item_condition.item_id) return static_cast<int>(k);
  }
  return -1;
}

}  // namespace evaluation

Evaluator::Evaluator(const RuleSet& rules, Dispatch dispatch)
    : state_(std::make_unique<State>(rules, dispatch)) {}
Evaluator::~Evaluator() = default;

void Evaluator::Evaluate(const Facts& facts, Date as_of, const EvaluateOptions& options,
                         std::vector<Verdict>& verdicts) {
  state_->Evaluate(facts, as_of, options, verdicts);
}

Truth Evaluator::Condition(int condition, const Facts& facts, Date as_of) {
  return state_->Condition(condition, facts, as_of);
}

using State = Evaluator::State;

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
  memo_.resize(static_cast<std::size_t>(slots));
  memo_missing_.resize(static_cast<std::size_t>(slots));
  Prepare(dispatch);
}

void State::Prepare(Dispatch dispatch) {
  steps_.assign(rules_.conditions.size(), {});
  string_keys_.clear();
  for (std::size_t i = 0; i < rules_.conditions.size(); ++i) {
    const CondNode& c = rules_.conditions[i];
    Step& s = steps_[i];
    s.condition = static_cast<int>(i);
    s.children = c.children;
    if (c.op == CondOp::kRef) {
      s.slot = static_cast<std::uint32_t>(memo_slot_[static_cast<std::size_t>(c.children[0])]);
    }
    s.run = &Pass::RunTree;
    if (dispatch == Dispatch::kTree) continue;
    const ExprNode* lhs =
        c.lhs >= 0 ? &rules_.expressions[static_cast<std::size_t>(c.lhs)] : nullptr;
    const FactDecl* fact = OperandFact(rules_, c);
    switch (c.op) {
      case CondOp::kAll:
        s.run = &Pass::RunAll;
        break;
      case CondOp::kAny:
        s.run = &Pass::RunAny;
        break;
      case CondOp::kNot:
        s.run = &Pass::RunNot;
        break;
      case CondOp::kRef:
        s.run = &Pass::RunRef;
        break;
      case CondOp::kExists:
        if (lhs != nullptr && lhs->op == ExprOp::kFact) {
          s.fact = lhs->fact;
          s.run = &Pass::RunFactKnown;
        }
        break;
      case CondOp::kIn:
        if (fact == nullptr || fact->type == ValueType::kList || !PrepareSet(s, c, fact->type)) {
          break;
        }
        s.fact = lhs->fact;
        s.field = fact->field_index;
        s.on_field = lhs->op == ExprOp::kField;
        s.run = &Pass::RunIn;
        break;
      case CondOp::kOverlaps:
      case CondOp::kWithin:
        if (fact == nullptr || lhs->op != ExprOp::kFact || !fact->item_type ||
            !PrepareSet(s, c, *fact->item_type)) {
          break;
        }
        s.fact = lhs->fact;
        s.run = c.op == CondOp::kOverlaps ? &Pass::RunListInSet<Outcome::kMet>
                                          : &Pass::RunListInSet<Outcome::kUnmet>;
        break;
      case CondOp::kSome:
      case CondOp::kEvery:
        s.fact = c.list;
        s.run = c.op == CondOp::kSome ? &Pass::RunSome : &Pass::RunEvery;
        break;
      case CondOp::kCompare: {
        s.lhs = c.lhs;
        s.rhs = c.rhs;
        s.compare = c.compare;
        s.run = &Pass::RunCompare;
        const std::optional<LiteralComparison> literal = AsLiteralComparison(rules_, c);
        if (!literal) break;
        s.fact = lhs->fact;
        s.field = fact->field_index;
        s.on_field = lhs->op == ExprOp::kField;
        s.kind = literal->kind;
        s.literal = literal->literal;
        s.run = Pass::LiteralCompare(c.compare);
        break;
      }
      default:
        break;
    }
  }
}

bool State::PrepareSet(Step& s, const CondNode& c, ValueType element) {
  const std::optional<LiteralSet> set = AsLiteralSet(c, element);
  if (!set) return false;
  s.kind = set->kind;
  s.members = set->members;
  s.keys_begin = static_cast<std::uint32_t>(string_keys_.size());
  string_keys_.insert(string_keys_.end(), set->keys.begin(), set->keys.end());
  s.keys_end = static_cast<std::uint32_t>(string_keys_.size());
  return true;
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
      ActiveItem active{i, item.condition, item.kind, Decides(item.kind),
                        item.unknown_text.present};
      active_[p].push_back(active);
      active.keeps_missing = referenced_[p][i];
      if (active.decides || referenced_[p][i]) deciding_[p].push_back(active);
      if (active.kind == ItemKind::kGate) gates_[p].push_back(active);
      if (active.kind == ItemKind::kGate || referenced_[p][i]) shut_[p].push_back(active);
    }
  }
}

void State::Evaluate(const Facts& facts, Date as_of, const EvaluateOptions& options,
                     std::vector<Verdict>& verdicts) {
  InForceOn(as_of);
  verdicts.resize(rules_.pathways.size());
  for (std::size_t p = 0; p < verdicts.size(); ++p) {
    Verdict& v = verdicts[p];
    v.pathway = p;
    v.kind = VerdictKind::kUndetermined;
    // v.items is kept for EvaluatePathway to overwrite; Run clears those it does not reach.
    v.decisive.clear();
    v.missing.facts.clear();
    v.missing.unsettled.clear();
    v.in_force = true;
  }
  Pass(*this, facts, as_of, options, verdicts).Run();
}

// Out of line, so that Push inlines.
void State::ReasonStack::Grow() { storage_.resize(storage_.empty() ? 64 : 2 * storage_.size()); }

void State::NextRound() {
  // After 2^32 evaluations the counter would meet the rounds stored long ago.
  if (++round_ == 0) {
    for (Memo& memo : memo_) memo.round = 0;
    round_ = 1;
  }
}

Truth State::Condition(int condition, const Facts& facts, Date as_of) {
  std::vector<Verdict> verdicts(rules_.pathways.size());
  const EvaluateOptions options;
  Pass pass(*this, facts, as_of, options, verdicts);
  Truth truth{pass.Eval(condition, nullptr), {}};
  if (truth.outcome == Outcome::kUnknown) pass.MissingFrom(0, truth.missing);
  return truth;
}

std::vector<Verdict> Evaluate(const RuleSet& rules, const Facts& facts, Date as_of,
                              const EvaluateOptions& options) {
  std::vector<Verdict> verdicts;
  Evaluator(rules).Evaluate(facts, as_of, options, verdicts);
  return verdicts;
}

std::vector<char> PathwaysNeededBy(const RuleSet& rules, std::size_t pathway) {
  return PathwaysNeededByEach(rules)[pathway];
}

std::vector<std::vector<char>> PathwaysNeededByEach(const RuleSet& rules) {
  const std::size_t n = rules.pathways.size();
  // The pathways each one's items refer to directly...
  std::vector<Reads> direct(n);
  RuleReads reads(rules);
  for (std::size_t p = 0; p < n; ++p) {
    for (const Item& item : rules.pathways[p].items) {
      if (item.condition >= 0) reads.AddCondition(item.condition, direct[p]);
      for (const auto& let : item.lets) reads.AddExpression(let.second, direct[p]);
    }
  }
  // ...then what each reaches through them.
  std::vector<std::vector<char>> needed(n);
  for (std::size_t p = 0; p < n; ++p) {
    needed[p].assign(n, 0);
    needed[p][p] = 1;
    std::vector<std::size_t> pending = {p};
    while (!pending.empty()) {
      const std::size_t q = pending.back();
      pending.pop_back();
      for (std::size_t r : direct[q].pathways) {
        if (!needed[p][r]) {
          needed[p][r] = 1;
          pending.push_back(r);
        }
      }
    }
  }
  return needed;
}

Truth EvaluateCondition(const RuleSet& rules, int condition, const Facts& facts, Date as_of) {
  return Evaluator(rules).Condition(condition, facts, as_of);
}

}  // namespace imgvisa

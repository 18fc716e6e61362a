// The steps: a function chosen for each condition once, when the evaluator is made, for its
// operator and the shape of its operands (Evaluator::Dispatch). Each fast path takes only the
// values it expects (a known value of the kind the fact declares, or an unknown operand
// compared with a literal, which is unknown for want of that fact) and leaves everything else
// to Pass::Cond, which decides as the general walk always has.

#include <algorithm>
#include <optional>

#include "engine/pass.h"

namespace imgvisa {
namespace {

using State = Evaluator::State;
using Pass = State::Pass;
using Step = State::Step;
using Record = Pass::Record;

// The kind of value a fact of `type` holds when it is known, if the evaluator compares it as an
// integer (the general walk's default) or, for booleans, by Value::boolean.
std::optional<Value::Kind> IntegerLikeKind(ValueType type) {
  switch (type) {
    case ValueType::kBool:
      return Value::Kind::kBool;
    case ValueType::kInteger:
      return Value::Kind::kInteger;
    case ValueType::kEnum:
      return Value::Kind::kEnum;
    case ValueType::kDate:
      return Value::Kind::kDate;
    default:
      return std::nullopt;
  }
}

bool IsIntegerLike(Value::Kind kind) {
  return kind == Value::Kind::kInteger || kind == Value::Kind::kEnum || kind == Value::Kind::kDate;
}

// A string of at most 7 bytes as one integer, its bytes and its length, so that a set of short
// strings (country codes) is searched without comparing strings; nothing for a longer one.
std::optional<std::uint64_t> ShortKey(std::string_view s) {
  if (s.size() > 7) return std::nullopt;
  std::uint64_t key = std::uint64_t{s.size()} << 56;
  for (std::size_t i = 0; i < s.size(); ++i) {
    key |= std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
  }
  return key;
}

// The fact or record field a condition's left operand is, if it is one.
const FactDecl* OperandFact(const RuleSet& rules, const CondNode& c) {
  if (c.lhs < 0) return nullptr;
  const ExprNode& lhs = rules.expressions[static_cast<std::size_t>(c.lhs)];
  if (lhs.op != ExprOp::kFact && lhs.op != ExprOp::kField) return nullptr;
  return &rules.dictionary.at(lhs.fact);
}

// A fact or record field compared with a literal of its kind, compared as integers (booleans as
// 0 and 1): the shape the steps take without the general walk.
struct LiteralComparison {
  Value::Kind kind;  ///< the kind a known operand holds
  std::int64_t literal;
};
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

// The literals of an in/overlaps/within over values of type `element`, as the fast paths test
// them: strings of up to 7 bytes as ShortKeys, or integers in [0, 64) as bits of a mask.
struct LiteralSet {
  Value::Kind kind = Value::Kind::kString;
  std::vector<std::uint64_t> keys;  ///< kString
  std::uint64_t members = 0;        ///< integer-like kinds
};
std::optional<LiteralSet> AsLiteralSet(const CondNode& c, ValueType element) {
  LiteralSet set;
  if (HoldsString(element)) {
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

// Whether `v` is in the set of step `s` (an `in`, `overlaps` or `within`): 1 or 0, or -1 when
// the fast path does not take `v`.
int InStepSet(const Step& s, const Pass& p, const Value& v) {
  if (v.kind != s.kind) return -1;
  if (v.kind == Value::Kind::kString) {
    const std::optional<std::uint64_t> key = ShortKey(v.string);
    if (!key) return 0;  // longer than every member
    const std::uint64_t* keys = p.self.string_keys_.data();
    return std::find(keys + s.keys_begin, keys + s.keys_end, *key) != keys + s.keys_end;
  }
  if (v.integer < 0 || v.integer >= 64) return -1;
  return static_cast<int>((s.members >> v.integer) & 1);
}

// The fact or record field a step reads; null for a field outside a record.
const Value* StepOperand(const Step& s, const Pass& p, const Record* r) {
  return !s.on_field ? &p.facts.values[s.fact] : r ? &(*r)[s.field] : nullptr;
}

// A step whose operand is unknown, as the tree walk has it when the other side is a literal:
// unknown, for want of that fact.
Outcome UnknownOperand(const Step& s, Pass& p) {
  p.PushFact(s.fact);
  return Outcome::kUnknown;
}

Outcome RunTree(const Step& s, Pass& p, const Record* r) { return p.Cond(s.condition, r); }
Outcome RunAll(const Step& s, Pass& p, const Record* r) {
  return p.AllOrAny(Outcome::kUnmet, s.children, r);
}
Outcome RunAny(const Step& s, Pass& p, const Record* r) {
  return p.AllOrAny(Outcome::kMet, s.children, r);
}
Outcome RunNot(const Step& s, Pass& p, const Record* r) { return p.Not(s.children[0], r); }
Outcome RunRef(const Step& s, Pass& p, const Record* r) { return p.Ref(s.children[0], s.slot, r); }
Outcome RunCompare(const Step& s, Pass& p, const Record* r) {
  return p.CompareOperands(s.lhs, s.rhs, s.compare, r);
}
Outcome RunSome(const Step& s, Pass& p, const Record*) {
  return p.OverRecords(Outcome::kMet, s.fact, s.children[0]);
}
Outcome RunEvery(const Step& s, Pass& p, const Record*) {
  return p.OverRecords(Outcome::kUnmet, s.fact, s.children[0]);
}
Outcome RunFactKnown(const Step& s, Pass& p, const Record*) {
  return Pass::FromBool(p.facts.values[s.fact].known());
}

Outcome RunIn(const Step& s, Pass& p, const Record* r) {
  const Value* v = StepOperand(s, p, r);
  if (v == nullptr || !v->known()) return UnknownOperand(s, p);
  const int in = InStepSet(s, p, *v);
  return in >= 0 ? Pass::FromBool(in == 1) : p.Cond(s.condition, r);
}

// `overlaps` (decides met: some element is in the set) or `within` (decides unmet: some
// element is not) over a list fact.
template <Outcome decides>
Outcome RunListInSet(const Step& s, Pass& p, const Record* r) {
  const Value& list = p.facts.values[s.fact];
  if (!list.known()) return UnknownOperand(s, p);
  if (list.kind != Value::Kind::kList) return p.Cond(s.condition, r);
  // An empty list is within nothing.
  if (decides == Outcome::kUnmet && list.list->empty()) return Outcome::kUnmet;
  for (const Value& element : *list.list) {
    const int in = InStepSet(s, p, element);
    if (in < 0) return p.Cond(s.condition, r);
    if ((in == 1) == (decides == Outcome::kMet)) return decides;
  }
  return decides == Outcome::kMet ? Outcome::kUnmet : Outcome::kMet;
}

template <CompareOp op>
bool HoldsFor(std::int64_t a, std::int64_t b) {
  if constexpr (op == CompareOp::kEq) return a == b;
  if constexpr (op == CompareOp::kNe) return a != b;
  if constexpr (op == CompareOp::kLt) return a < b;
  if constexpr (op == CompareOp::kLe) return a <= b;
  if constexpr (op == CompareOp::kGt) return a > b;
  return a >= b;
}

// A fact, or a field of the record at hand, compared with a literal: booleans by
// Value::boolean, the rest by Value::integer. One function per operator, so that the operator
// is not looked at again at every run.
template <CompareOp op>
Outcome RunLiteralCompare(const Step& s, Pass& p, const Record* r) {
  const Value* v = StepOperand(s, p, r);
  if (v == nullptr || !v->known()) return UnknownOperand(s, p);
  if (v->kind == s.kind) {
    const std::int64_t value = s.kind == Value::Kind::kBool ? v->boolean : v->integer;
    return Pass::FromBool(HoldsFor<op>(value, s.literal));
  }
  return p.Cond(s.condition, r);
}

using StepFunction = Outcome (*)(const Step&, Pass&, const Record*);

StepFunction LiteralCompare(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return &RunLiteralCompare<CompareOp::kEq>;
    case CompareOp::kNe:
      return &RunLiteralCompare<CompareOp::kNe>;
    case CompareOp::kLt:
      return &RunLiteralCompare<CompareOp::kLt>;
    case CompareOp::kLe:
      return &RunLiteralCompare<CompareOp::kLe>;
    case CompareOp::kGt:
      return &RunLiteralCompare<CompareOp::kGt>;
    case CompareOp::kGe:
      break;
  }
  return &RunLiteralCompare<CompareOp::kGe>;
}

}  // namespace

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
    s.run = &RunTree;
    if (dispatch == Dispatch::kTree) continue;
    const ExprNode* lhs =
        c.lhs >= 0 ? &rules_.expressions[static_cast<std::size_t>(c.lhs)] : nullptr;
    const FactDecl* fact = OperandFact(rules_, c);
    switch (c.op) {
      case CondOp::kAll:
        s.run = &RunAll;
        break;
      case CondOp::kAny:
        s.run = &RunAny;
        break;
      case CondOp::kNot:
        s.run = &RunNot;
        break;
      case CondOp::kRef:
        s.run = &RunRef;
        break;
      case CondOp::kExists:
        if (lhs != nullptr && lhs->op == ExprOp::kFact) {
          s.fact = lhs->fact;
          s.run = &RunFactKnown;
        }
        break;
      case CondOp::kIn:
        if (fact == nullptr || fact->type == ValueType::kList || !PrepareSet(s, c, fact->type)) {
          break;
        }
        s.fact = lhs->fact;
        s.field = fact->field_index;
        s.on_field = lhs->op == ExprOp::kField;
        s.run = &RunIn;
        break;
      case CondOp::kOverlaps:
      case CondOp::kWithin:
        if (fact == nullptr || lhs->op != ExprOp::kFact || !fact->item_type ||
            !PrepareSet(s, c, *fact->item_type)) {
          break;
        }
        s.fact = lhs->fact;
        s.run = c.op == CondOp::kOverlaps ? &RunListInSet<Outcome::kMet>
                                          : &RunListInSet<Outcome::kUnmet>;
        break;
      case CondOp::kSome:
      case CondOp::kEvery:
        s.fact = c.list;
        s.run = c.op == CondOp::kSome ? &RunSome : &RunEvery;
        break;
      case CondOp::kCompare: {
        s.lhs = c.lhs;
        s.rhs = c.rhs;
        s.compare = c.compare;
        s.run = &RunCompare;
        const std::optional<LiteralComparison> literal = AsLiteralComparison(rules_, c);
        if (!literal) break;
        s.fact = lhs->fact;
        s.field = fact->field_index;
        s.on_field = lhs->op == ExprOp::kField;
        s.kind = literal->kind;
        s.literal = literal->literal;
        s.run = LiteralCompare(c.compare);
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

}  // namespace imgvisa

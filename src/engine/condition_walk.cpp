// Conditions and expressions the general way: by operator, over the rule set's trees. The steps
// (condition_steps.cpp) fall back to this walk for whatever their fast paths do not take, and
// run some/every and comparisons through the functions here (all/any/not/ref through those
// defined in pass.h).

#include "engine/pass.h"

namespace imgvisa {
namespace {

using Pass = Evaluator::State::Pass;
using Operand = Pass::Operand;
using Record = Pass::Record;

int Compare(const Operand& a, const Operand& b) {
  if (a.kind == Value::Kind::kNumber || b.kind == Value::Kind::kNumber) {
    const double x = a.AsNumber(), y = b.AsNumber();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  switch (a.kind) {
    case Value::Kind::kString: {
      const int c = a.string().compare(b.string());
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case Value::Kind::kBool:
      return static_cast<int>(a.boolean) - static_cast<int>(b.boolean);
    default:
      return a.integer < b.integer ? -1 : a.integer > b.integer ? 1 : 0;
  }
}

bool Holds(CompareOp op, int c) {
  switch (op) {
    case CompareOp::kEq:
      return c == 0;
    case CompareOp::kNe:
      return c != 0;
    case CompareOp::kLt:
      return c < 0;
    case CompareOp::kLe:
      return c <= 0;
    case CompareOp::kGt:
      return c > 0;
    case CompareOp::kGe:
      return c >= 0;
  }
  return false;
}

bool InSet(const Operand& a, const std::vector<Value>& set) {
  for (const Value& v : set) {
    if (Compare(a, Operand::Of(v)) == 0) return true;
  }
  return false;
}

// The value of a binary expression (dates, sums, differences) of two known operands; absent
// for an operator that is not one.
Operand Combine(ExprOp op, ValueType type, const Operand& x, const Operand& y) {
  switch (op) {
    case ExprOp::kMonthsBetween:
      return Operand::Integer(MonthsBetween(x.date(), y.date()));
    case ExprOp::kDaysBetween:
      return Operand::Integer(static_cast<std::int64_t>(y.date().days()) - x.date().days());
    case ExprOp::kAddMonths:
      return Operand::OfDate(x.date().AddMonths(y.integer));
    case ExprOp::kAddDays:
      return Operand::OfDate(x.date().AddDays(y.integer));
    case ExprOp::kAdd:
    case ExprOp::kSub: {
      const bool add = op == ExprOp::kAdd;
      if (type == ValueType::kInteger) {
        return Operand::Integer(add ? x.integer + y.integer : x.integer - y.integer);
      }
      return Operand::Number(add ? x.AsNumber() + y.AsNumber() : x.AsNumber() - y.AsNumber());
    }
    default:
      return {};
  }
}

}  // namespace

void Pass::Push(const Missing& missing) {
  for (std::uint16_t f : missing.facts) reasons.Push(f);
  for (std::uint16_t u : missing.unsettled) reasons.Push(kUnsettledReason | u);
}

void Pass::MissingFrom(std::size_t mark, Missing& out) const {
  for (std::size_t i = mark; i < reasons.size(); ++i) {
    const std::uint32_t r = reasons[i];
    if (r & kMemoReason) {
      out.Merge(self.memo_missing_[r & ~kMemoReason]);
    } else if (r & kUnsettledReason) {
      out.AddUnsettled(static_cast<std::uint16_t>(r));
    } else {
      out.AddFact(static_cast<std::uint16_t>(r));
    }
  }
}

Outcome Pass::Cond(int index, const Record* record) {
  const CondNode& c = rules.conditions[static_cast<std::size_t>(index)];
  switch (c.op) {
    case CondOp::kAll:
      return AllOrAny(Outcome::kUnmet, c.children, record);
    case CondOp::kAny:
      return AllOrAny(Outcome::kMet, c.children, record);
    case CondOp::kNot:
      return Not(c.children[0], record);
    case CondOp::kRef: {
      const auto slot = self.memo_slot_[static_cast<std::size_t>(c.children[0])];
      return Ref(c.children[0], static_cast<std::uint32_t>(slot), record);
    }
    case CondOp::kCompare:
      return CompareOperands(c.lhs, c.rhs, c.compare, record);
    case CondOp::kIn: {
      const Operand a = Expr(c.lhs, record);
      if (!a.known()) return Outcome::kUnknown;
      return FromBool(InSet(a, c.set));
    }
    case CondOp::kInList: {
      // Both operands are read, so that an unknown one's facts are asked for either way.
      const Operand a = Expr(c.lhs, record);
      const Operand list = Expr(c.rhs, record);
      if (!a.known() || !list.known()) return Outcome::kUnknown;
      return FromBool(InSet(a, list.list()));
    }
    case CondOp::kOverlaps: {
      const Operand a = Expr(c.lhs, record);
      if (!a.known()) return Outcome::kUnknown;
      for (const Value& item : a.list()) {
        if (InSet(Operand::Of(item), c.set)) return Outcome::kMet;
      }
      return Outcome::kUnmet;
    }
    case CondOp::kWithin: {
      // Every element is one of the values; an empty list is not within anything.
      const Operand a = Expr(c.lhs, record);
      if (!a.known()) return Outcome::kUnknown;
      if (a.list().empty()) return Outcome::kUnmet;
      for (const Value& item : a.list()) {
        if (!InSet(Operand::Of(item), c.set)) return Outcome::kUnmet;
      }
      return Outcome::kMet;
    }
    case CondOp::kExists: {
      const std::size_t mark = reasons.size();
      const bool known = Expr(c.lhs, record).known();
      CutTo(mark);
      return FromBool(known);
    }
    case CondOp::kSome:
      return OverRecords(Outcome::kMet, c.list, c.children[0]);
    case CondOp::kEvery:
      return OverRecords(Outcome::kUnmet, c.list, c.children[0]);
    case CondOp::kPathway:
      return PathwayVerdict(static_cast<std::size_t>(c.target), c.accept);
    case CondOp::kItem:
      return ItemStatus(static_cast<std::size_t>(c.target),
                        self.item_key_[static_cast<std::size_t>(index)], c.accept);
    case CondOp::kUnsettled:
      return UnsettledPoint(static_cast<std::uint32_t>(c.target));
    case CondOp::kDisjoint:
      return Disjoint(c);
  }
  return Outcome::kUnknown;
}

Pass::Operand Pass::Expr(int index, const Record* record) {
  const ExprNode& e = rules.expressions[static_cast<std::size_t>(index)];
  switch (e.op) {
    case ExprOp::kLiteral:
      return Operand::Of(e.literal);
    case ExprOp::kFact: {
      const Value& v = facts.values[e.fact];
      if (v.known()) return Operand::Of(v);
      PushFact(e.fact);
      return {};
    }
    case ExprOp::kField: {
      const FactDecl& decl = rules.dictionary.at(e.fact);
      if (record != nullptr && (*record)[decl.field_index].known()) {
        return Operand::Of((*record)[decl.field_index]);
      }
      PushFact(e.fact);
      return {};
    }
    case ExprOp::kAsOf:
      return Operand::OfDate(as_of);
    case ExprOp::kCount:
    case ExprOp::kSum:
      return Aggregate(e);
    case ExprOp::kCoalesce: {
      const std::size_t mark = reasons.size();
      for (int a : e.args) {
        Operand v = Expr(a, record);
        if (v.known()) {
          CutTo(mark);
          return v;
        }
      }
      return {};
    }
    default:
      break;
  }
  const Operand x = Expr(e.args[0], record);
  const Operand y = Expr(e.args[1], record);
  if (!x.known() || !y.known()) return {};
  return Combine(e.op, e.type, x, y);
}

// count or sum over a list's records: unknown if the filter or a summed value is for any.
Pass::Operand Pass::Aggregate(const ExprNode& e) {
  const Value& list = facts.values[e.fact];
  if (!list.known()) {
    PushFact(e.fact);
    return {};
  }
  std::int64_t count = 0;
  std::int64_t int_sum = 0;
  double sum = 0;
  bool unknown = false;
  for (const Record& r : *list.records) {
    if (e.where >= 0) {
      const Outcome t = Eval(e.where, &r);
      if (t == Outcome::kUnmet) continue;
      if (t == Outcome::kUnknown) {
        unknown = true;
        continue;
      }
    }
    ++count;
    if (e.op == ExprOp::kSum) {
      const Operand v = Expr(e.of, &r);
      if (!v.known()) {
        unknown = true;
        continue;
      }
      int_sum += v.integer;
      sum += v.AsNumber();
    }
  }
  if (unknown) return {};
  if (e.op == ExprOp::kCount) return Operand::Integer(count);
  if (e.type == ValueType::kInteger) return Operand::Integer(int_sum);
  return Operand::Number(sum);
}

Outcome Pass::CompareOperands(int lhs, int rhs, CompareOp op, const Record* record) {
  const Operand a = Expr(lhs, record);
  const Operand b = Expr(rhs, record);
  if (!a.known() || !b.known()) return Outcome::kUnknown;
  return FromBool(Holds(op, Compare(a, b)));
}

// `some` (decides met, as any) or `every` (decides unmet, as all) over a list's records.
Outcome Pass::OverRecords(Outcome decides, FactId list_fact, int condition) {
  const Value& list = facts.values[list_fact];
  if (!list.known()) {
    PushFact(list_fact);
    return Outcome::kUnknown;
  }
  return Kleene(decides, *list.records, [&](const Record& r) { return Eval(condition, &r); });
}

// Whether no two counted records' periods overlap (docs/rule-language.md): unknown where a
// record's filter or dates are, as a sum would be, unless two known periods overlap anyway.
Outcome Pass::Disjoint(const CondNode& c) {
  const Value& list = facts.values[c.list];
  if (!list.known()) {
    PushFact(c.list);
    return Outcome::kUnknown;
  }
  std::vector<State::Period>& periods = self.periods_;
  const std::size_t first = periods.size();
  const std::size_t mark = reasons.size();
  bool unknown = false;
  for (const Record& r : *list.records) {
    if (!c.children.empty()) {
      const Outcome counted = Eval(c.children[0], &r);
      if (counted == Outcome::kUnmet) continue;
      if (counted == Outcome::kUnknown) {
        unknown = true;
        continue;
      }
    }
    const Operand from = Expr(c.lhs, &r);
    const Operand to = Expr(c.rhs, &r);
    if (!from.known() || !to.known()) {
      unknown = true;
      continue;
    }
    periods.push_back({from.integer, to.integer});
  }
  // Every pair, as the rule language defines it: sharing only a boundary day is no overlap.
  const auto overlap = [&] {
    for (std::size_t i = first; i < periods.size(); ++i) {
      for (std::size_t j = i + 1; j < periods.size(); ++j) {
        if (periods[i].from < periods[j].to && periods[j].from < periods[i].to) return true;
      }
    }
    return false;
  };
  const bool overlapping = overlap();
  periods.resize(first);
  if (overlapping) {
    CutTo(mark);
    return Outcome::kUnmet;
  }
  return unknown ? Outcome::kUnknown : Outcome::kMet;
}

// Whether an earlier pathway's verdict is one of those `accept` marks (by VerdictKind).
Outcome Pass::PathwayVerdict(std::size_t pathway, std::uint32_t accept) {
  const Verdict& v = verdicts[pathway];
  // "undetermined" in the list asks for that verdict itself; otherwise the question is which
  // verdict the pathway has or will have once its unknowns are settled.
  if (v.kind == VerdictKind::kUndetermined && (accept & KindBit(v.kind))) return Outcome::kMet;
  if ((v.possible & accept) == 0) return Outcome::kUnmet;
  if ((v.possible & ~accept) == 0) return Outcome::kMet;
  Push(v.missing);
  return Outcome::kUnknown;
}

// Whether the status of an item (known by `key`, see State::item_keys_) is one of those
// `accept` marks: met 0, unmet 1, unknown 2, not in force 3.
Outcome Pass::ItemStatus(std::size_t pathway, int key, std::uint32_t accept) {
  const ItemResult* found = FindItem(pathway, key);
  const int bit = found == nullptr                   ? 3
                  : found->status == Outcome::kMet   ? 0
                  : found->status == Outcome::kUnmet ? 1
                                                     : 2;
  if (accept & (1u << bit)) return Outcome::kMet;
  if (bit != 2) return Outcome::kUnmet;
  Push(found->missing);
  return Outcome::kUnknown;
}

Outcome Pass::UnsettledPoint(std::uint32_t unsettled) {
  reasons.Push(kUnsettledReason | unsettled);
  return Outcome::kUnknown;
}

// The result of the item of a pathway known by `key` (see State::item_keys_), or null when no
// item of that id is in force.
const ItemResult* Pass::FindItem(std::size_t pathway, int key) const {
  if (key < 0) return nullptr;
  const std::vector<int>& keys = self.item_keys_[pathway];
  for (const ItemResult& r : verdicts[pathway].items) {
    if (keys[r.item] == key) return &r;
  }
  return nullptr;
}

}  // namespace imgvisa

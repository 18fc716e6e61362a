#pragma once

// The evaluator's working parts, private to its sources: the state an Evaluator keeps between
// profiles, and Pass, one evaluation over it.

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <span>

#include "imgvisa/engine/evaluator.h"
#include "imgvisa/profile/display_value.h"

namespace imgvisa {
namespace evaluation {

// An expression's value without copying it: facts and literals are referred to, computed values
// (dates, day and month counts, sums) held. Strings and lists only ever come from facts and
// literals, so they are always referred to.
struct Operand {
  Value::Kind kind = Value::Kind::kAbsent;
  bool boolean = false;
  std::int64_t integer = 0;  // kInteger; kEnum index; kDate day number
  double number = 0;
  const Value* ref = nullptr;

  static Operand Of(const Value& v) { return {v.kind, v.boolean, v.integer, v.number, &v}; }
  static Operand Integer(std::int64_t i) { return {Value::Kind::kInteger, false, i, 0, nullptr}; }
  static Operand Number(double d) { return {Value::Kind::kNumber, false, 0, d, nullptr}; }
  static Operand OfDate(Date d) { return {Value::Kind::kDate, false, d.days(), 0, nullptr}; }

  bool known() const { return kind != Value::Kind::kAbsent; }
  Date date() const { return Date::FromDays(static_cast<std::int32_t>(integer)); }
  double AsNumber() const {
    return kind == Value::Kind::kNumber ? number : static_cast<double>(integer);
  }
  const std::string& string() const { return ref->string; }
  const std::vector<Value>& list() const { return *ref->list; }

  Value ToValue() const {
    if (ref != nullptr) return *ref;
    switch (kind) {
      case Value::Kind::kInteger:
        return Value::Integer(integer);
      case Value::Kind::kNumber:
        return Value::Number(number);
      case Value::Kind::kDate:
        return Value::OfDate(date());
      default:
        return Value();
    }
  }
};

using Record = Value::Record;

inline int Compare(const Operand& a, const Operand& b) {
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

inline bool Holds(CompareOp op, int c) {
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

inline bool InSet(const Operand& a, const std::vector<Value>& set) {
  for (const Value& v : set) {
    if (Compare(a, Operand::Of(v)) == 0) return true;
  }
  return false;
}

inline Outcome FromBool(bool b) { return b ? Outcome::kMet : Outcome::kUnmet; }

template <CompareOp op>
bool HoldsFor(std::int64_t a, std::int64_t b) {
  if constexpr (op == CompareOp::kEq) return a == b;
  if constexpr (op == CompareOp::kNe) return a != b;
  if constexpr (op == CompareOp::kLt) return a < b;
  if constexpr (op == CompareOp::kLe) return a <= b;
  if constexpr (op == CompareOp::kGt) return a > b;
  return a >= b;
}

// The kind of value a fact of `type` holds when it is known, if the evaluator compares it as an
// integer (Compare's default) or, for booleans, by Value::boolean.
inline std::optional<Value::Kind> IntegerLikeKind(ValueType type) {
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

// A string of at most 7 bytes as one integer, its bytes and its length, so that a set of short
// strings (country codes) is searched without comparing strings; nothing for a longer one.
inline std::optional<std::uint64_t> ShortKey(std::string_view s) {
  if (s.size() > 7) return std::nullopt;
  std::uint64_t key = std::uint64_t{s.size()} << 56;
  for (std::size_t i = 0; i < s.size(); ++i) {
    key |= std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
  }
  return key;
}

inline bool IsIntegerLike(Value::Kind kind) {
  return kind == Value::Kind::kInteger || kind == Value::Kind::kEnum || kind == Value::Kind::kDate;
}

// A reason on the stack: a fact id, an unsettled id with kUnsettledReason set, or the missing
// facts of an unknown definition (its memo slot with kMemoReason set).
constexpr std::uint32_t kUnsettledReason = std::uint32_t{1} << 16;
constexpr std::uint32_t kMemoReason = std::uint32_t{1} << 17;

// The bit of an item's (kind, status) pair in Decide's summary of a pathway.
constexpr std::uint32_t Bit(ItemKind kind, Outcome status) {
  return std::uint32_t{1} << (static_cast<int>(kind) * 3 + static_cast<int>(status));
}

// For each condition that definitions are referred to by (the child of a `ref`): its slot in
// the evaluator's memo, else -1.
std::vector<int> MemoSlots(const RuleSet& rules);

// The fact or record field a condition's left operand is, if it is one.
const FactDecl* OperandFact(const RuleSet& rules, const CondNode& c);

// A fact or record field compared with a literal of its kind, compared as integers (booleans as
// 0 and 1): the shape the steps take without the general walk.
struct LiteralComparison {
  Value::Kind kind;  ///< the kind a known operand holds
  std::int64_t literal;
};
std::optional<LiteralComparison> AsLiteralComparison(const RuleSet& rules, const CondNode& c);

// The literals of an in/overlaps/within over values of type `element`, as the fast paths test
// them: strings of up to 7 bytes as ShortKeys, or integers in [0, 64) as bits of a mask.
struct LiteralSet {
  Value::Kind kind = Value::Kind::kString;
  std::vector<std::uint64_t> keys;  ///< kString
  std::uint64_t members = 0;        ///< integer-like kinds
};
std::optional<LiteralSet> AsLiteralSet(const CondNode& c, ValueType element);

// The key of the item an {"item": …} condition names: the index of the first item of its
// pathway with that id, or -1 when there is none.
int ItemKey(const RuleSet& rules, const CondNode& item_condition);

// The value of a binary expression (dates, sums, differences) of two known operands; absent
// for an operator that is not one.
inline Operand Combine(ExprOp op, ValueType type, const Operand& x, const Operand& y) {
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

}  // namespace evaluation

// Only the evaluator's own sources include this header.
using namespace evaluation;  // NOLINT(google-build-using-namespace)

// The evaluator's working state: what an Evaluator keeps from one profile to the next.
struct Evaluator::State {
  State(const RuleSet& rules, Dispatch dispatch);

  void Evaluate(const Facts& facts, Date as_of, const EvaluateOptions& options,
                std::vector<Verdict>& verdicts);
  Truth Condition(int condition, const Facts& facts, Date as_of);

  struct Pass;

  void NextRound();
  /// Fills in_force_ and active_ for `date`, unless they are for it already.
  void InForceOn(Date date);

  /// An item in force on active_date_, with what evaluating it reads of the Item (which is
  /// large: walking the items themselves cost more than their conditions on a stream).
  struct ActiveItem {
    std::size_t item = 0;  ///< index into Pathway::items
    int condition = -1;
    ItemKind kind = ItemKind::kRequirement;
    bool decides = false;
    bool unknown_text = false;
    /// The item's result keeps what it lacks when unknown: always in a full evaluation, and
    /// with deciding_only for the items a condition refers to (the rest add theirs to the
    /// verdict's straight away).
    bool keeps_missing = true;
  };
  std::optional<Date> active_date_;
  std::vector<char> in_force_;                     ///< by pathway
  std::vector<std::vector<ActiveItem>> active_;    ///< by pathway, in rule order
  std::vector<std::vector<ActiveItem>> deciding_;  ///< the same, for EvaluateOptions::deciding_only
  std::vector<std::vector<ActiveItem>> gates_;     ///< the gates of deciding_
  /// deciding_ less what a shut pathway leaves out: its gates and the items referred to.
  std::vector<std::vector<ActiveItem>> shut_;
  /// By pathway and item: whether an {"item": …} condition names the item.
  std::vector<std::vector<char>> referenced_;

  /// A condition made ready to run (see Dispatch), with what its function reads.
  struct Step {
    Outcome (*run)(const Step&, Pass&, const Value::Record*) = nullptr;
    int condition = -1;
    std::span<const int> children;
    std::uint32_t slot = 0;  ///< a ref's memo slot
    int lhs = -1;            ///< a comparison's operands
    int rhs = -1;
    CompareOp compare = CompareOp::kEq;
    FactId fact = 0;
    std::size_t field = 0;                    ///< a record field operand's index
    bool on_field = false;                    ///< the operand is `field`, not `fact`
    Value::Kind kind = Value::Kind::kAbsent;  ///< the kind of value the fast path expects
    std::int64_t literal = 0;                 ///< the integer-like literal compared with
    std::uint64_t members = 0;                ///< a set of small integers, as bits
    /// A set of short strings: string_keys_[keys_begin, keys_end), each string's ShortKey.
    std::uint32_t keys_begin = 0;
    std::uint32_t keys_end = 0;
  };
  void Prepare(Dispatch dispatch);

  /// Makes `s` test membership of its condition's set for values of `element` type, if the
  /// set is one the fast paths take.
  bool PrepareSet(Step& s, const CondNode& c, ValueType element);

  const RuleSet& rules_;
  std::vector<Step> steps_;                 ///< by condition
  std::vector<std::uint64_t> string_keys_;  ///< the string sets of steps_
  /// For each condition that definitions are referred to by: its slot in memo_, else -1.
  std::vector<int> memo_slot_;
  /// A definition's value outside records depends only on the profile and the date, so it is
  /// worked out once per evaluation; `round` tells whether the current one has filled a slot.
  struct Memo {
    Outcome outcome = Outcome::kUnknown;
    std::uint32_t round = 0;
  };
  std::vector<Memo> memo_;
  /// By slot, when the memo's outcome is unknown: why. Apart from memo_, which every use of a
  /// definition reads, so that those reads stay in few cache lines.
  std::vector<Missing> memo_missing_;
  std::uint32_t round_ = 0;
  /// Why the outcomes being worked out are unknown (see Pass): pushed and cut back at nearly
  /// every step, so a push is a store and an increment (std::vector's was a call) and a cut an
  /// assignment; the storage grows, rarely, and is kept.
  class ReasonStack {
   public:
    std::size_t size() const { return size_; }
    std::uint32_t operator[](std::size_t i) const { return storage_[i]; }
    // GCC kept Push out of line in the evaluator's larger functions, a call per reason.
    [[gnu::always_inline]] void Push(std::uint32_t reason) {
      if (size_ == storage_.size()) Grow();
      storage_[size_++] = reason;
    }
    /// Drops what was pushed after the stack had `mark` reasons.
    void CutTo(std::size_t mark) { size_ = mark; }

   private:
    void Grow();

    std::vector<std::uint32_t> storage_;
    std::size_t size_ = 0;
  };
  ReasonStack reasons_;
  /// The periods that `disjoint` compares, as day numbers, kept between profiles. Used as a
  /// stack: each `disjoint` pushes its records' periods and cuts them back, so that one inside
  /// a record filter leaves the outer one's intact.
  struct Period {
    std::int64_t from;
    std::int64_t to;
  };
  std::vector<Period> periods_;
  /// For each {"item": …} condition, the key of the item it names, else -1; for each item of
  /// each pathway, its key: the index of the pathway's first item with the same id (items may
  /// share an id across periods of time).
  std::vector<int> item_key_;
  std::vector<std::vector<int>> item_keys_;
  /// By pathway: item results of the length of the list not in use (see EvaluatePathway).
  std::vector<std::vector<ItemResult>> spare_items_;
};

// One evaluation: the profile, the date and the verdicts being filled, with the evaluator's
// reusable memory.
//
// Conditions give bare outcomes. Why an outcome is unknown goes on a stack of reasons as the
// evaluation goes: every unknown operand pushes its ids, and an operand whose unknown turns out
// not to matter (an `all` with an unmet member, an `any` with a met one, `exists`, `coalesce`)
// is dropped by cutting the stack back to the mark taken before it. So a condition that comes
// out met or unmet leaves the stack as it found it, and an unknown one leaves exactly its
// reasons above the mark — the union Missing::Merge would give, without building a set per node.
struct Evaluator::State::Pass {
  // Starts a round of the evaluator's memo and an empty stack of reasons.
  Pass(State& evaluator, const Facts& profile, Date date, const EvaluateOptions& chosen,
       std::vector<Verdict>& results)
      : self(evaluator),
        rules(evaluator.rules_),
        facts(profile),
        as_of(date),
        options(chosen),
        verdicts(results),
        reasons(evaluator.reasons_) {
    self.NextRound();
    reasons.CutTo(0);
  }

  State& self;
  const RuleSet& rules;
  const Facts& facts;
  Date as_of;
  const EvaluateOptions& options;
  std::vector<Verdict>& verdicts;
  ReasonStack& reasons;

  void Run() {
    for (int p : rules.evaluation_order) {
      const auto index = static_cast<std::size_t>(p);
      if (!options.only || (*options.only)[index]) {
        EvaluatePathway(index);
      } else {
        verdicts[index].items.clear();
      }
    }
  }

  void PushFact(FactId id) { reasons.Push(id); }
  void Push(const Missing& missing) {
    for (std::uint16_t f : missing.facts) reasons.Push(f);
    for (std::uint16_t u : missing.unsettled) reasons.Push(kUnsettledReason | u);
  }
  void CutTo(std::size_t mark) { reasons.CutTo(mark); }
  // The reasons above `mark`, as a set, into `out`.
  void MissingFrom(std::size_t mark, Missing& out) const {
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

  // An unknown operand comes back absent, its reasons pushed.
  Operand Expr(int index, const Record* record) {
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
  Operand Aggregate(const ExprNode& e) {
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

  // Kleene AND (`decides` unmet) or OR (`decides` met) of `of(member)` over `members`: a
  // deciding member settles it and drops the reasons of the unknown ones.
  template <typename Members, typename Of>
  Outcome Kleene(Outcome decides, const Members& members, Of&& of) {
    const std::size_t mark = reasons.size();
    bool unknown = false;
    for (const auto& member : members) {
      const Outcome o = of(member);
      if (o == decides) {
        CutTo(mark);
        return decides;
      }
      unknown = unknown || o == Outcome::kUnknown;
    }
    if (unknown) return Outcome::kUnknown;
    return decides == Outcome::kUnmet ? Outcome::kMet : Outcome::kUnmet;
  }

  // A condition by its step (Evaluator::Dispatch).
  Outcome Eval(int index, const Record* record) {
    const Step& s = self.steps_[static_cast<std::size_t>(index)];
    return s.run(s, *this, record);
  }

  // A definition is shared by many items of many pathways: outside a record it is worked out
  // once per evaluation. When unknown, its reasons are kept as a set and stand on the stack as
  // one entry (copying them at every use was a twentieth of an evaluation).
  Outcome Ref(int definition, std::uint32_t slot, const Record* record) {
    if (record) return Eval(definition, record);
    return Memoised(slot, [&] { return Eval(definition, nullptr); });
  }
  // The outcome of a definition outside records, from the memo's `slot`, or by `work_out`.
  template <typename WorkOut>
  Outcome Memoised(std::uint32_t slot, WorkOut&& work_out) {
    Memo& memo = self.memo_[slot];
    if (memo.round != self.round_) {
      const std::size_t mark = reasons.size();
      memo.outcome = work_out();
      memo.round = self.round_;
      if (memo.outcome != Outcome::kUnknown) return memo.outcome;
      Missing& missing = self.memo_missing_[slot];
      missing.facts.clear();
      missing.unsettled.clear();
      MissingFrom(mark, missing);
      CutTo(mark);
    }
    if (memo.outcome == Outcome::kUnknown) reasons.Push(kMemoReason | slot);
    return memo.outcome;
  }

  Outcome CompareOperands(int lhs, int rhs, CompareOp op, const Record* record) {
    const Operand a = Expr(lhs, record);
    const Operand b = Expr(rhs, record);
    if (!a.known() || !b.known()) return Outcome::kUnknown;
    return FromBool(Holds(op, Compare(a, b)));
  }

  // `some` (decides met, as any) or `every` (decides unmet, as all) over a list's records.
  Outcome OverRecords(Outcome decides, FactId list_fact, int condition) {
    const Value& list = facts.values[list_fact];
    if (!list.known()) {
      PushFact(list_fact);
      return Outcome::kUnknown;
    }
    return Kleene(decides, *list.records, [&](const Record& r) { return Eval(condition, &r); });
  }

  // The steps' functions. Each fast path takes only the values it expects (a known value of
  // the kind the fact declares, or an unknown operand compared with a literal, which is
  // unknown for want of that fact) and leaves everything else to Cond, which decides as the
  // general walk always has.
  static Outcome RunTree(const Step& s, Pass& p, const Record* r) { return p.Cond(s.condition, r); }
  static Outcome RunAll(const Step& s, Pass& p, const Record* r) {
    return p.AllOrAny(Outcome::kUnmet, s.children, r);
  }
  static Outcome RunAny(const Step& s, Pass& p, const Record* r) {
    return p.AllOrAny(Outcome::kMet, s.children, r);
  }
  static Outcome RunNot(const Step& s, Pass& p, const Record* r) { return p.Not(s.children[0], r); }
  static Outcome RunRef(const Step& s, Pass& p, const Record* r) {
    return p.Ref(s.children[0], s.slot, r);
  }
  static Outcome RunCompare(const Step& s, Pass& p, const Record* r) {
    return p.CompareOperands(s.lhs, s.rhs, s.compare, r);
  }
  static Outcome RunSome(const Step& s, Pass& p, const Record*) {
    return p.OverRecords(Outcome::kMet, s.fact, s.children[0]);
  }
  static Outcome RunEvery(const Step& s, Pass& p, const Record*) {
    return p.OverRecords(Outcome::kUnmet, s.fact, s.children[0]);
  }
  static Outcome RunFactKnown(const Step& s, Pass& p, const Record*) {
    return FromBool(p.facts.values[s.fact].known());
  }
  // Whether `v` is in the set of step `s` (an `in`, `overlaps` or `within`): 1 or 0, or -1
  // when the fast path does not take `v`.
  int InStepSet(const Step& s, const Value& v) const {
    if (v.kind != s.kind) return -1;
    if (v.kind == Value::Kind::kString) {
      const std::optional<std::uint64_t> key = ShortKey(v.string);
      if (!key) return 0;  // longer than every member
      const std::uint64_t* keys = self.string_keys_.data();
      return std::find(keys + s.keys_begin, keys + s.keys_end, *key) != keys + s.keys_end;
    }
    if (v.integer < 0 || v.integer >= 64) return -1;
    return static_cast<int>((s.members >> v.integer) & 1);
  }
  // The fact or record field a step reads; null for a field outside a record.
  const Value* StepOperand(const Step& s, const Record* r) const {
    return !s.on_field ? &facts.values[s.fact] : r ? &(*r)[s.field] : nullptr;
  }
  // A step whose operand is unknown, as the tree walk has it when the other side is a literal:
  // unknown, for want of that fact.
  Outcome UnknownOperand(const Step& s) {
    PushFact(s.fact);
    return Outcome::kUnknown;
  }
  static Outcome RunIn(const Step& s, Pass& p, const Record* r) {
    const Value* v = p.StepOperand(s, r);
    if (v == nullptr || !v->known()) return p.UnknownOperand(s);
    const int in = p.InStepSet(s, *v);
    return in >= 0 ? FromBool(in == 1) : p.Cond(s.condition, r);
  }
  // `overlaps` (decides met: some element is in the set) or `within` (decides unmet: some
  // element is not) over a list fact.
  template <Outcome decides>
  static Outcome RunListInSet(const Step& s, Pass& p, const Record* r) {
    const Value& list = p.facts.values[s.fact];
    if (!list.known()) return p.UnknownOperand(s);
    if (list.kind != Value::Kind::kList) return p.Cond(s.condition, r);
    // An empty list is within nothing.
    if (decides == Outcome::kUnmet && list.list->empty()) return Outcome::kUnmet;
    for (const Value& element : *list.list) {
      const int in = p.InStepSet(s, element);
      if (in < 0) return p.Cond(s.condition, r);
      if ((in == 1) == (decides == Outcome::kMet)) return decides;
    }
    return decides == Outcome::kMet ? Outcome::kUnmet : Outcome::kMet;
  }
  // A fact, or a field of the record at hand, compared with a literal: booleans by
  // Value::boolean, the rest by Value::integer.
  template <CompareOp op>
  static Outcome RunLiteralCompare(const Step& s, Pass& p, const Record* r) {
    const Value* v = p.StepOperand(s, r);
    if (v == nullptr || !v->known()) return p.UnknownOperand(s);
    if (v->kind == s.kind) {
      const std::int64_t value = s.kind == Value::Kind::kBool ? v->boolean : v->integer;
      return FromBool(HoldsFor<op>(value, s.literal));
    }
    return p.Cond(s.condition, r);
  }
  using StepFunction = Outcome (*)(const Step&, Pass&, const Record*);
  static StepFunction LiteralCompare(CompareOp op) {
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

  Outcome AllOrAny(Outcome decides, std::span<const int> children, const Record* record) {
    return Kleene(decides, children, [&](int child) { return Eval(child, record); });
  }
  Outcome Not(int child, const Record* record) {
    const Outcome o = Eval(child, record);
    return o == Outcome::kMet ? Outcome::kUnmet : o == Outcome::kUnmet ? Outcome::kMet : o;
  }

  Outcome Cond(int index, const Record* record) {
    const CondNode& c = rules.conditions[static_cast<std::size_t>(index)];
    switch (c.op) {
      case CondOp::kAll:
        return AllOrAny(Outcome::kUnmet, c.children, record);
      case CondOp::kAny:
        return AllOrAny(Outcome::kMet, c.children, record);
      case CondOp::kNot:
        return Not(c.children[0], record);
      case CondOp::kRef:
        return Ref(c.children[0], self.steps_[static_cast<std::size_t>(index)].slot, record);
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

  // Whether no two counted records' periods overlap (docs/rule-language.md): unknown where a
  // record's filter or dates are, as a sum would be, unless two known periods overlap anyway.
  Outcome Disjoint(const CondNode& c) {
    const Value& list = facts.values[c.list];
    if (!list.known()) {
      PushFact(c.list);
      return Outcome::kUnknown;
    }
    std::vector<Period>& periods = self.periods_;
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
  Outcome PathwayVerdict(std::size_t pathway, std::uint32_t accept) {
    const Verdict& v = verdicts[pathway];
    if (accept & (1u << static_cast<int>(v.kind))) return Outcome::kMet;
    if (v.kind != VerdictKind::kUndetermined) return Outcome::kUnmet;
    Push(v.missing);
    return Outcome::kUnknown;
  }
  // Whether the status of an item (known by `key`, see item_keys_) is one of those `accept`
  // marks: met 0, unmet 1, unknown 2, not in force 3.
  Outcome ItemStatus(std::size_t pathway, int key, std::uint32_t accept) {
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
  Outcome UnsettledPoint(std::uint32_t unsettled) {
    reasons.Push(kUnsettledReason | unsettled);
    return Outcome::kUnknown;
  }

  // The result of the item of a pathway known by `key` (see item_keys_), or null when no item
  // of that id is in force.
  const ItemResult* FindItem(std::size_t pathway, int key) const {
    if (key < 0) return nullptr;
    const std::vector<int>& keys = self.item_keys_[pathway];
    for (const ItemResult& r : verdicts[pathway].items) {
      if (keys[r.item] == key) return &r;
    }
    return nullptr;
  }

  std::string Render(const TextTemplate& text, const Item& item, const std::vector<Operand>& lets) {
    std::string out;
    for (const auto& s : text.segments) {
      switch (s.kind) {
        case TextTemplate::Segment::Kind::kLiteral:
          out += s.literal;
          break;
        case TextTemplate::Segment::Kind::kFact: {
          const FactId id = static_cast<FactId>(s.index);
          out += DisplayValue(facts.values[id], &rules.dictionary.at(id));
          break;
        }
        case TextTemplate::Segment::Kind::kLet: {
          const Operand& v = lets[static_cast<std::size_t>(s.index)];
          const ExprNode& e = rules.expressions[static_cast<std::size_t>(
              item.lets[static_cast<std::size_t>(s.index)].second)];
          out += DisplayValue(
              v.ToValue(),
              e.enum_fact >= 0 ? &rules.dictionary.at(static_cast<FactId>(e.enum_fact)) : nullptr);
          break;
        }
      }
    }
    return out;
  }

  std::string ItemText(const Item& item, Outcome status, const std::vector<Operand>& lets) {
    if (status == Outcome::kMet) return Render(item.met_text, item, lets);
    if (status == Outcome::kUnmet) return Render(item.unmet_text, item, lets);
    if (item.unknown_text.present) return Render(item.unknown_text, item, lets);
    if (!Decides(item.kind)) return Render(item.met_text, item, lets);
    return fmt::format("Not enough information to decide: {}.", item.title);
  }

  void EvaluatePathway(std::size_t index) {
    const Pathway& pathway = rules.pathways[index];
    Verdict& verdict = verdicts[index];
    if (!self.in_force_[index]) {
      verdict.items.clear();
      verdict.in_force = false;
      verdict.kind = VerdictKind::kNotApplicable;
      return;
    }
    // The results of the previous profile are overwritten in place, not destroyed and made
    // again: most of the cost of an item was making and destroying its result.
    const std::vector<ActiveItem>& active = !options.deciding_only ? self.active_[index]
                                            : Shut(index)          ? self.shut_[index]
                                                                   : self.deciding_[index];
    // A summary's pathways change between their shut list and their full one from profile to
    // profile; resizing made and destroyed the items in between each time (a tenth of the item
    // loop's time). The other list's results wait in spare_items_ instead.
    if (verdict.items.size() != active.size()) verdict.items.swap(self.spare_items_[index]);
    verdict.items.resize(active.size());
    // Which (kind, status) pairs occur, for Decide.
    std::uint32_t present = 0;
    // Read once: the conditions run between are calls the compiler cannot see through, so it
    // would reload both vectors' bounds and divide their lengths again for every item.
    const std::size_t count = active.size();
    const ActiveItem* const items = active.data();
    ItemResult* const results = verdict.items.data();
    const bool texts = options.texts;
    for (std::size_t k = 0; k < count; ++k) {
      const ActiveItem& a = items[k];
      ItemResult& r = results[k];
      // Only an unknown result holds missing facts (ItemResult): a known one has none to clear.
      if (r.status == Outcome::kUnknown) {
        r.missing.facts.clear();
        r.missing.unsettled.clear();
      }
      r.item = a.item;
      r.status = Run(a);
      present |= Bit(a.kind, r.status);
      if (r.status == Outcome::kUnknown) {
        // What a deciding item lacks is what the verdict lacks, unless Decide finds the
        // pathway does not concern the person.
        if (a.keeps_missing) {
          MissingFrom(0, r.missing);
          if (a.decides) verdict.missing.Merge(r.missing);
        } else if (a.decides) {
          MissingFrom(0, verdict.missing);
        }
      }
      CutTo(0);
      // A note or consequence shows when it applies; when that is unknown, only if the rule
      // says what to tell the person then.
      r.shown = a.decides || r.status == Outcome::kMet ||
                (r.status == Outcome::kUnknown && a.unknown_text);
      r.text.clear();
      if (texts) {
        const Item& item = pathway.items[a.item];
        std::vector<Operand> lets;
        lets.reserve(item.lets.size());
        for (const auto& let : item.lets) lets.push_back(Expr(let.second, nullptr));
        CutTo(0);
        r.text = ItemText(item, r.status, lets);
      }
    }
    Decide(verdict, active, present);
  }

  // The outcome of an item's condition; an item without one is met.
  Outcome Run(const ActiveItem& item) {
    return item.condition >= 0 ? Eval(item.condition, nullptr) : Outcome::kMet;
  }

  // Whether a gate of the pathway is unmet. Such a pathway is not applicable whatever its other
  // items say, and its missing facts are not asked for (Decide), so for callers that read only
  // verdicts its requirements need not be evaluated: a sixth of a summary's work.
  bool Shut(std::size_t index) {
    for (const ActiveItem& gate : self.gates_[index]) {
      const Outcome o = Run(gate);
      CutTo(0);
      if (o == Outcome::kUnmet) return true;
    }
    return false;
  }

  // Applies the precedence of docs/rule-language.md to the (kind, status) pairs `present` among
  // the items: the first rule that matches some item decides the verdict, and the items it
  // matched (in rule order) are the decisive ones.
  void Decide(Verdict& v, const std::vector<ActiveItem>& active, std::uint32_t present) const {
    struct Rule {
      std::uint32_t matches;
      VerdictKind kind;
    };
    static constexpr Rule kPrecedence[] = {
        {Bit(ItemKind::kGate, Outcome::kUnmet), VerdictKind::kNotApplicable},
        {Bit(ItemKind::kGate, Outcome::kUnknown), VerdictKind::kUndetermined},
        {Bit(ItemKind::kRequirement, Outcome::kUnmet), VerdictKind::kIneligible},
        {Bit(ItemKind::kRestriction, Outcome::kUnmet), VerdictKind::kBlocked},
        {Bit(ItemKind::kRequirement, Outcome::kUnknown) |
             Bit(ItemKind::kRestriction, Outcome::kUnknown),
         VerdictKind::kUndetermined},
        {Bit(ItemKind::kCondition, Outcome::kUnmet) | Bit(ItemKind::kCondition, Outcome::kUnknown),
         VerdictKind::kConditional},
    };
    Rule decided{0, VerdictKind::kEligible};
    for (const Rule& rule : kPrecedence) {
      if (present & rule.matches) {
        decided = rule;
        break;
      }
    }
    v.kind = decided.kind;
    const std::size_t count = v.items.size();
    const ActiveItem* const items = active.data();
    const ItemResult* const results = v.items.data();
    for (std::size_t i = 0; i < count; ++i) {
      if (Bit(items[i].kind, results[i].status) & decided.matches) v.decisive.push_back(i);
    }
    // Nothing is worth asking about a pathway that does not concern the person.
    if (decided.kind == VerdictKind::kNotApplicable) {
      v.missing.facts.clear();
      v.missing.unsettled.clear();
    }
  }
};

}  // namespace imgvisa

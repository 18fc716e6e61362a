#pragma once

// One evaluation, private to the evaluator's sources. Its parts are defined by job:
//   src/engine/evaluator.cpp        the pathways and their items, and the verdict precedence
//   src/engine/condition_walk.cpp   conditions and expressions the general way (the tree walk)
//   src/engine/condition_steps.cpp  the step functions chosen once per condition (Prepare)
//   src/engine/item_text.cpp        the texts of items
//   src/engine/fact_time.cpp        the profile as of the date: dated and derived facts

#include <cstdint>
#include <string>
#include <vector>

#include "engine/evaluator_state.h"

namespace imgvisa {

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
  using Record = Value::Record;

  // An expression's value without copying it: facts and literals are referred to, computed
  // values (dates, day and month counts, sums) held. Strings and lists only ever come from
  // facts and literals, so they are always referred to.
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
    Value ToValue() const;
  };

  static Outcome FromBool(bool b) { return b ? Outcome::kMet : Outcome::kUnmet; }

  // A reason on the stack: a fact id, an unsettled id with kUnsettledReason set, or the missing
  // facts of an unknown definition (its memo slot with kMemoReason set).
  static constexpr std::uint32_t kUnsettledReason = std::uint32_t{1} << 16;
  static constexpr std::uint32_t kMemoReason = std::uint32_t{1} << 17;

  // Starts a round of the evaluator's memo and an empty stack of reasons.
  Pass(State& evaluator, const Facts& profile, Date date, const EvaluateOptions& chosen,
       std::vector<Verdict>& results);

  State& self;
  const RuleSet& rules;
  const Facts& facts;
  Date as_of;
  // While an item with "at" is judged at a later date than the evaluation's: definitions are
  // then worked out afresh, since the memo holds them as of the evaluation date.
  bool judging_later = false;
  const EvaluateOptions& options;
  std::vector<Verdict>& verdicts;
  ReasonStack& reasons;

  // The pathways and their items (evaluator.cpp).

  // Every pathway (or those options.only marks), in evaluation order.
  void Run();
  void EvaluatePathway(std::size_t index);
  // The outcome of an item's condition; an item without one is met.
  Outcome RunItem(const ActiveItem& item);
  // RunItem at the item's "at" date (docs/rule-language.md): the later of it and the
  // evaluation date; with the date unknown, a limit met today is unknown then.
  Outcome RunItemAt(const ActiveItem& item, Date& judged);
  // An item's text as judged at `judged`.
  std::string TextAt(const Item& item, Outcome status, Date judged);
  // `work()` as of a later date than the evaluation's.
  template <typename Work>
  auto AsOf(Date later, Work&& work) {
    const Date today = as_of;
    as_of = later;
    judging_later = true;
    auto result = work();
    as_of = today;
    judging_later = false;
    return result;
  }
  bool Shut(std::size_t index);

  // The texts of items (item_text.cpp).

  // The text an item shows for its status, with the person's values.
  std::string ItemText(const Item& item, Outcome status);
  std::string Render(const TextTemplate& text, const Item& item, const std::vector<Operand>& lets);

  // The stack of reasons (Push and MissingFrom in condition_walk.cpp).

  void PushFact(FactId id) { reasons.Push(id); }
  void Push(const Missing& missing);
  void CutTo(std::size_t mark) { reasons.CutTo(mark); }
  // The reasons above `mark`, as a set, into `out`.
  void MissingFrom(std::size_t mark, Missing& out) const;

  // Conditions and expressions (condition_walk.cpp).

  // A condition by its step (Evaluator::Dispatch). Inline: every condition, and every child
  // of one, is reached through it.
  Outcome Eval(int index, const Record* record) {
    const Step& s = self.steps_[static_cast<std::size_t>(index)];
    return s.run(s, *this, record);
  }
  // A condition the general way, by its operator.
  Outcome Cond(int index, const Record* record);
  // An unknown operand comes back absent, its reasons pushed.
  Operand Expr(int index, const Record* record);
  Operand Aggregate(const ExprNode& e);
  // The operators whose steps run them as the walk does: inline, so that the step functions
  // (condition_steps.cpp) loop over the children themselves rather than call the walk's copy.
  inline Outcome AllOrAny(Outcome decides, std::span<const int> children, const Record* record);
  inline Outcome Not(int child, const Record* record);
  inline Outcome Ref(int definition, std::uint32_t slot, const Record* record);
  template <typename Members, typename Of>
  Outcome Kleene(Outcome decides, const Members& members, Of&& of);
  Outcome CompareOperands(int lhs, int rhs, CompareOp op, const Record* record);
  Outcome OverRecords(Outcome decides, FactId list_fact, int condition);
  Outcome Disjoint(const CondNode& c);
  Outcome PathwayVerdict(std::size_t pathway, std::uint32_t accept);
  Outcome ItemStatus(std::size_t pathway, int key, std::uint32_t accept);
  Outcome UnsettledPoint(std::uint32_t unsettled);
  const ItemResult* FindItem(std::size_t pathway, int key) const;
};

// Kleene AND (`decides` unmet) or OR (`decides` met) of `of(member)` over `members`: a deciding
// member settles it and drops the reasons of the unknown ones.
template <typename Members, typename Of>
Outcome Evaluator::State::Pass::Kleene(Outcome decides, const Members& members, Of&& of) {
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

Outcome Evaluator::State::Pass::AllOrAny(Outcome decides, std::span<const int> children,
                                         const Record* record) {
  return Kleene(decides, children, [&](int child) { return Eval(child, record); });
}

Outcome Evaluator::State::Pass::Not(int child, const Record* record) {
  const Outcome o = Eval(child, record);
  return o == Outcome::kMet ? Outcome::kUnmet : o == Outcome::kUnmet ? Outcome::kMet : o;
}

// A definition is shared by many items of many pathways: outside a record it is worked out
// once per evaluation, into the memo's `slot`. When unknown, its reasons are kept as a set and
// stand on the stack as one entry, rather than copied at every use.
Outcome Evaluator::State::Pass::Ref(int definition, std::uint32_t slot, const Record* record) {
  if (record || judging_later) return Eval(definition, record);
  Memo& memo = self.memo_[slot];
  if (memo.round != self.round_) {
    const std::size_t mark = reasons.size();
    memo.outcome = Eval(definition, nullptr);
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

}  // namespace imgvisa

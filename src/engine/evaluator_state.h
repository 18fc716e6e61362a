#pragma once

// The state an Evaluator keeps from one profile to the next, private to the evaluator's
// sources. One evaluation over it is a Pass (src/engine/pass.h).

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "imgvisa/engine/evaluator.h"

namespace imgvisa {

struct Evaluator::State {
  State(const RuleSet& rules, Dispatch dispatch);

  void Evaluate(const Facts& facts, Date as_of, const EvaluateOptions& options,
                std::vector<Verdict>& verdicts);
  /// Evaluate for a profile that weighs several alternatives (src/engine/alternatives.cpp).
  void EvaluateAlternatives(const Facts& facts, Date as_of, const EvaluateOptions& options,
                            std::vector<Verdict>& verdicts);
  /// One pass over a profile with at most one alternative.
  void EvaluateOne(const Facts& facts, Date as_of, const EvaluateOptions& options,
                   std::vector<Verdict>& verdicts);
  Truth Condition(int condition, const Facts& facts, Date as_of);

  struct Pass;

  /// Starts a round of the memo (see Memo).
  void NextRound();
  /// The profile as of `as_of` (src/engine/fact_time.cpp): `facts` itself, or scratch_ when a
  /// dated fact does not count yet or a fact is derived.
  const Facts& FactsAsOf(const Facts& facts, Date as_of, std::vector<Verdict>& verdicts);
  /// Whether a dated fact of `facts` is later than `as_of`, and so must be read as before it.
  bool AnyNotYet(const Facts& facts, Date as_of) const;
  /// The value of a derivation for `facts`, if a case settles it.
  std::optional<Value> Derive(const Derivation& d, const Facts& facts, Date as_of,
                              std::vector<Verdict>& verdicts);
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
    int at = -1;  ///< Item::at
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

  /// A condition made ready to run (see Dispatch and src/engine/condition_steps.cpp), with
  /// what its function reads.
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
  /// Chooses each condition's step function (src/engine/condition_steps.cpp).
  void Prepare(Dispatch dispatch);
  /// Makes `s` test membership of its condition's set for values of `element` type, if the
  /// set is one the fast paths take.
  bool PrepareSet(Step& s, const CondNode& c, ValueType element);

  const RuleSet& rules_;
  std::vector<Step> steps_;                 ///< by condition
  std::vector<std::uint64_t> string_keys_;  ///< the string sets of steps_
  /// For each condition that definitions are referred to by (the child of a `ref`): its slot
  /// in memo_, else -1.
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
  /// The dated facts of the dictionary, and the profile as of the evaluation date when it
  /// differs from the one given (kept between profiles, so that its storage is reused).
  std::vector<FactId> dated_;
  Facts scratch_;
  /// By pathway: whether its verdict reads the alternatives' facts (through the pathways it
  /// references too); and the profile and verdicts of each alternative, kept between profiles.
  std::vector<char> reads_alternatives_;
  Facts alternative_;
  std::vector<std::vector<Verdict>> by_alternative_;
};

/// By pathway: whether its verdict reads the facts of the dictionary's alternatives, itself or
/// through the pathways it references (src/engine/alternatives.cpp).
std::vector<char> ReadsAlternatives(const RuleSet& rules);

}  // namespace imgvisa

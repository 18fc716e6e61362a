#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "imgvisa/date.h"
#include "imgvisa/facts.h"
#include "imgvisa/ruleset.h"
#include "imgvisa/verdict.h"

namespace imgvisa {

struct EvaluateOptions {
  /// Render each item's text with the person's values. Callers that only read verdicts and
  /// outcomes (next-step planning, summary records) skip it: it was half of an evaluation.
  bool texts = true;
  /// When set, only the pathways marked (by index) are evaluated; the others keep a default
  /// verdict. The marks must include every pathway a marked one references.
  const std::vector<char>* only = nullptr;
  /// Evaluate only the items that decide verdicts (gates, requirements, restrictions,
  /// conditions) and those a condition refers to; notes and consequences are left out of
  /// Verdict::items. Verdicts, decisive items and missing facts are as with every item (the
  /// items left out take no part in them); for callers that show no items (summary records,
  /// next-step trials). About half of the items are notes or consequences. A pathway that a
  /// gate shuts (not applicable, whatever else holds) keeps only its gates and the items a
  /// condition refers to.
  /// Items' missing facts are left empty, except those of the items a condition refers to:
  /// such callers read the verdicts' (which are complete).
  bool deciding_only = false;
};

/// Evaluates profiles against one rule set and keeps its working memory from one profile to
/// the next, so that a stream of profiles does not allocate per profile (allocation was most
/// of an evaluation; docs/performance.md). One per thread: it is not safe to share.
class Evaluator {
 public:
  /// How conditions run. kSpecialised, the default, runs each condition by a function chosen
  /// for its operator and the shape of its operands when the evaluator is made (a fact compared
  /// with a literal, an enum in a set, all/any/not/ref), and the rest by the general walk;
  /// kTree walks every condition the general way. Both give the same results: kTree is the
  /// reference the specialised functions are tested against.
  ///
  /// With kSpecialised, a rule set that carries conditions compiled to C++ at build time
  /// (RuleSet::compiled: the embedded set) runs those instead of the steps where it has them.
  /// kSteps runs the steps alone, so tests can hold each kind against the tree walk.
  enum class Dispatch : std::uint8_t { kSpecialised, kTree, kSteps };
  explicit Evaluator(const RuleSet& rules, Dispatch dispatch = Dispatch::kSpecialised);

  /// One evaluation's working state. Defined in src/evaluator_pass.h, for the evaluator's own
  /// sources and the compiled conditions (CompiledConditions); nothing else can use it.
  struct Pass;
  /// A condition of the embedded rule set compiled to C++ at build time (src/condition_code.cpp
  /// writes them): the step it replaces, with its operands, operators and children written into
  /// the code instead of read from the rule set, and its children called directly.
  using CompiledCondition = Outcome (*)(Pass&, const Value::Record*);

  /// Every pathway of the rule set (components included, in dependency order) for one profile
  /// as of a date, into `verdicts`, indexed like RuleSet::pathways; its storage is reused.
  /// Pure: no clock, no I/O, no string lookups; unknown facts yield unknown outcomes.
  void Evaluate(const Facts& facts, Date as_of, const EvaluateOptions& options,
                std::vector<Verdict>& verdicts);

  /// One condition on its own; see EvaluateCondition.
  Truth Condition(int condition, const Facts& facts, Date as_of);

 private:
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
    /// The condition's compiled function, if it has one: read here, in the list the item loop
    /// walks in order, rather than from the condition's step (a load that missed the cache
    /// was a third of the item loop's time).
    CompiledCondition compiled = nullptr;
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
    CompiledCondition compiled = nullptr;  ///< the condition compiled to C++, if it is
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

/// The conditions of one rule set compiled to C++, by condition index: a function, or null where
/// the evaluator's steps run the condition. Generated at build time for the embedded rules, and
/// linked to the set restored from its image only when both come from the same rules (same
/// content hash and number of conditions; rule_source.cpp).
struct CompiledConditions {
  std::string_view sha256;
  std::span<const Evaluator::CompiledCondition> conditions;
};

/// The compiled conditions of the embedded rules, or null in a binary without them (the build
/// tool that writes them).
const CompiledConditions* EmbeddedCompiledConditions();

/// Evaluates every pathway of `rules` for one profile as of a date (Evaluator::Evaluate with a
/// fresh evaluator and result).
std::vector<Verdict> Evaluate(const RuleSet& rules, const Facts& facts, Date as_of,
                              const EvaluateOptions& options = {});

/// The pathways whose evaluation `pathway`'s verdict and items read (through references to
/// verdicts or item statuses, in any item, transitively), itself included: marks by index, for
/// EvaluateOptions::only.
std::vector<char> PathwaysNeededBy(const RuleSet& rules, std::size_t pathway);
/// PathwaysNeededBy of every pathway, by index: one walk over each pathway's items, then the
/// closure over the pathway graph.
std::vector<std::vector<char>> PathwaysNeededByEach(const RuleSet& rules);

/// One condition on its own, for analyses such as lint. References to other pathways' verdicts
/// or items read nothing here: they come out unmet or unknown, so callers skip such conditions.
Truth EvaluateCondition(const RuleSet& rules, int condition, const Facts& facts, Date as_of);

}  // namespace imgvisa

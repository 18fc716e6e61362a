#include "imgvisa/engine/questions.h"

#include <algorithm>
#include <map>

#include "imgvisa/engine/evaluator.h"
#include "imgvisa/rules/rule_reads.h"

namespace imgvisa {
namespace {

constexpr int kWeightGate = 3;
constexpr int kWeightRequirement = 2;
constexpr int kWeightCondition = 1;

int Weight(ItemKind kind) {
  switch (kind) {
    case ItemKind::kGate:
      return kWeightGate;
    case ItemKind::kRequirement:
    case ItemKind::kRestriction:
      return kWeightRequirement;
    case ItemKind::kCondition:
      return kWeightCondition;
    default:
      return 0;
  }
}

// What each deciding item of a verdict can still do. An unknown item is "stuck" when none of
// its missing facts can be asked any more: it stays unknown whatever else is answered.
struct Standing {
  bool gate_unmet = false, gate_stuck = false;
  bool requirement_unmet = false, requirement_stuck = false;
  bool restriction_unmet = false, restriction_stuck = false;
  bool condition_closed = false;  // some condition is unmet or stuck: the verdict is conditional

  // Records a deciding item that no answer can change any more.
  void Close(ItemKind kind, Outcome status) {
    const bool unmet = status == Outcome::kUnmet;
    const bool stuck = status == Outcome::kUnknown;
    switch (kind) {
      case ItemKind::kGate:
        gate_unmet |= unmet;
        gate_stuck |= stuck;
        break;
      case ItemKind::kRequirement:
        requirement_unmet |= unmet;
        requirement_stuck |= stuck;
        break;
      case ItemKind::kRestriction:
        restriction_unmet |= unmet;
        restriction_stuck |= stuck;
        break;
      case ItemKind::kCondition:
        condition_closed |= unmet || stuck;
        break;
      default:
        break;
    }
  }

  // Whether an open item of `kind` can change the verdict for some answers to the other open
  // items, by the precedence of docs/rule-language.md.
  // An unknown gate no longer hides an unmet requirement or restriction: those close the
  // pathway whichever way the gate falls.
  bool CanMove(ItemKind kind) const {
    switch (kind) {
      case ItemKind::kGate:
        return !gate_unmet;
      case ItemKind::kRequirement:
        return !gate_unmet && !requirement_unmet;
      case ItemKind::kRestriction:
        return !gate_unmet && !requirement_unmet && !restriction_unmet;
      case ItemKind::kCondition:
        return !gate_unmet && !gate_stuck && !requirement_unmet && !requirement_stuck &&
               !restriction_unmet && !restriction_stuck && !condition_closed;
      default:
        return false;
    }
  }
};

// Facts whose answer can turn an outcome that is already settled: those read under `exists`,
// and those in a `coalesce` operand that a later operand stands in for while they are unknown
// ({"coalesce": [{"field": "end"}, {"as_of": true}]} reads an open period as ongoing). The
// evaluator reports neither as missing, yet answering them moves verdicts.
class DefaultedFacts {
 public:
  explicit DefaultedFacts(const RuleSet& rules) : rules_(rules) {}

  const std::set<FactId>& OfItem(std::size_t pathway, std::size_t item) {
    auto [it, inserted] = items_.try_emplace({pathway, item});
    if (inserted) {
      const int condition = rules_.pathways[pathway].items[item].condition;
      if (condition >= 0) Cond(condition, false, it->second);
    }
    return it->second;
  }

 private:
  void Expr(int index, bool defaulted, std::set<FactId>& out) {
    const ExprNode& e = rules_.expressions[static_cast<std::size_t>(index)];
    switch (e.op) {
      case ExprOp::kFact:
      case ExprOp::kField:
        if (defaulted) out.insert(e.fact);
        Dating(e.fact, out);
        return;
      case ExprOp::kCount:
      case ExprOp::kSum:
        if (defaulted) out.insert(e.fact);
        Dating(e.fact, out);
        if (e.where >= 0) Cond(e.where, defaulted, out);
        if (e.of >= 0) Expr(e.of, defaulted, out);
        return;
      case ExprOp::kCoalesce:
        for (std::size_t i = 0; i < e.args.size(); ++i) {
          Expr(e.args[i], defaulted || i + 1 < e.args.size(), out);
        }
        return;
      default:
        for (int a : e.args) Expr(a, defaulted, out);
        return;
    }
  }

  // A dated fact counts from its date: the date can turn an outcome its value settled.
  void Dating(FactId fact, std::set<FactId>& out) {
    if (const auto& dated = rules_.dictionary.at(fact).dated) out.insert(dated->by);
  }

  void Cond(int index, bool defaulted, std::set<FactId>& out) {
    const CondNode& c = rules_.conditions[static_cast<std::size_t>(index)];
    switch (c.op) {
      case CondOp::kExists:
        Expr(c.lhs, true, out);
        return;
      case CondOp::kSome:
      case CondOp::kEvery:
      case CondOp::kDisjoint:
        if (defaulted) out.insert(c.list);
        Dating(c.list, out);
        break;
      case CondOp::kPathway:
      case CondOp::kItem: {
        // What another pathway's verdict or item reads, it reads for this item too.
        const auto& items = rules_.pathways[static_cast<std::size_t>(c.target)].items;
        for (const Item& item : items) {
          if (c.op == CondOp::kItem ? item.id != c.item_id : !Decides(item.kind)) continue;
          if (item.condition >= 0) Cond(item.condition, defaulted, out);
        }
        return;
      }
      default:
        break;
    }
    if (c.lhs >= 0) Expr(c.lhs, defaulted, out);
    if (c.rhs >= 0) Expr(c.rhs, defaulted, out);
    for (int child : c.children) Cond(child, defaulted, out);
  }

  const RuleSet& rules_;
  std::map<std::pair<std::size_t, std::size_t>, std::set<FactId>> items_;
};

// One ranking: which facts can still be asked, and through which items of a pathway.
class Ranker {
 public:
  Ranker(const RuleSet& rules, const Facts& facts, const std::set<FactId>& asked,
         std::optional<FactId> record_list)
      : rules_(rules),
        dictionary_(rules.dictionary),
        facts_(facts),
        asked_(asked),
        record_list_(record_list),
        defaulted_(rules) {}

  // Adds to `found` each fact through which pathway `p` can still move, with its weight.
  void Pathway(std::size_t p, const Verdict& v, std::map<FactId, Question>& found) {
    if (Settled(p, v)) return;
    for (auto [fact, weight] : Weights(p, v, StandingOf(p, v))) {
      Question& q = found[fact];
      q.fact = fact;
      q.score += weight;
      ++q.pathways;
    }
  }

 private:
  // A field stands for its list, except the fields of the record being filled in.
  FactId Key(FactId f) const {
    const FactDecl& d = dictionary_.at(f);
    if (d.list && d.list != record_list_) return *d.list;
    return f;
  }

  bool Askable(FactId f) const {
    const FactId k = Key(f);
    if (asked_.count(k) != 0) return false;
    // A field of the record being filled in is known or not per record: `asked` says which.
    return dictionary_.at(k).list.has_value() || k >= facts_.values.size() ||
           !facts_.values[k].known();
  }

  template <typename FactSet>
  bool AnyAskable(const FactSet& facts) const {
    return std::any_of(facts.begin(), facts.end(), [&](FactId f) { return Askable(f); });
  }

  bool Candidate(FactId f) const { return !record_list_ || dictionary_.at(f).list == record_list_; }

  // Not worth asking: the fact it is asked after holds an answer that makes it moot ("ask":
  // {"unless"} in the dictionary: no offer, so no offer's start date).
  bool Moot(FactId f) const {
    const FactDecl& d = dictionary_.at(f);
    if (!d.ask_after || *d.ask_after >= facts_.values.size()) return false;
    const Value& v = facts_.values[*d.ask_after];
    return v.known() &&
           std::find(d.ask_unless.begin(), d.ask_unless.end(), v) != d.ask_unless.end();
  }

  // What is asked in the place of `f`: the fact it is asked after while that one can still be
  // asked (whether there is an offer comes before its dates), and so on up the chain.
  FactId InOrder(FactId f) const {
    for (int depth = 0; depth < 8; ++depth) {
      const std::optional<FactId> after = dictionary_.at(f).ask_after;
      if (!after || !Askable(*after) || !Candidate(*after)) return f;
      f = *after;
    }
    return f;
  }

  // Eligible and not applicable are settled, unless a defaulted fact of a deciding item could
  // still turn them.
  bool Settled(std::size_t p, const Verdict& v) {
    if (v.kind != VerdictKind::kNotApplicable && v.kind != VerdictKind::kEligible) return false;
    for (const ItemResult& r : v.items) {
      if (!Decides(rules_.pathways[p].items[r.item].kind)) continue;
      if (AnyAskable(defaulted_.OfItem(p, r.item))) return false;
    }
    return true;
  }

  // An item is open when some answer can still change its outcome.
  bool Open(std::size_t p, const ItemResult& r) {
    if (AnyAskable(defaulted_.OfItem(p, r.item))) return true;
    return r.status == Outcome::kUnknown && AnyAskable(r.missing.facts);
  }

  Standing StandingOf(std::size_t p, const Verdict& v) {
    Standing s;
    for (const ItemResult& r : v.items) {
      const ItemKind kind = rules_.pathways[p].items[r.item].kind;
      if (!Decides(kind) || Open(p, r) || r.status == Outcome::kMet) continue;
      s.Close(kind, r.status);
    }
    return s;
  }

  // The most deciding kind through which each fact can move this pathway.
  std::map<FactId, int> Weights(std::size_t p, const Verdict& v, const Standing& s) {
    std::map<FactId, int> best;
    auto consider = [&](FactId f, ItemKind kind) {
      if (!Askable(f) || !Candidate(f) || Moot(Key(f))) return;
      int& weight = best[InOrder(Key(f))];
      weight = std::max(weight, Weight(kind));
    };
    for (const ItemResult& r : v.items) {
      const ItemKind kind = rules_.pathways[p].items[r.item].kind;
      if (!Decides(kind) || !Open(p, r) || !s.CanMove(kind)) continue;
      if (r.status == Outcome::kUnknown) {
        for (FactId f : r.missing.facts) {
          // A derived fact is asked only once what it derives from cannot settle it.
          const std::vector<FactId>& inputs = DerivedFrom(f);
          const bool derivable =
              std::any_of(inputs.begin(), inputs.end(), [&](FactId i) { return Askable(i); });
          if (!derivable) consider(f, kind);
          for (FactId i : inputs) consider(i, kind);
        }
      }
      for (FactId f : defaulted_.OfItem(p, r.item)) consider(f, kind);
    }
    return best;
  }

  // The facts the derivation of `f` reads (none when `f` is not derived).
  const std::vector<FactId>& DerivedFrom(FactId f) {
    auto [it, inserted] = derived_from_.try_emplace(f);
    if (!inserted) return it->second;
    for (const Derivation& d : rules_.derivations) {
      if (d.fact != f) continue;
      Reads reads;
      RuleReads walk(rules_);
      for (const Derivation::Case& k : d.cases) walk.AddCondition(k.condition, reads);
      for (std::uint16_t r : reads.facts) it->second.push_back(r);
    }
    return it->second;
  }

  const RuleSet& rules_;
  const FactDictionary& dictionary_;
  const Facts& facts_;
  const std::set<FactId>& asked_;
  std::optional<FactId> record_list_;
  DefaultedFacts defaulted_;
  std::map<FactId, std::vector<FactId>> derived_from_;
};

}  // namespace

std::vector<Question> RankQuestions(const RuleSet& rules, const Facts& facts,
                                    const std::vector<Verdict>& verdicts,
                                    const std::vector<std::size_t>& selection,
                                    const std::set<FactId>& asked,
                                    std::optional<FactId> record_list) {
  Ranker ranker(rules, facts, asked, record_list);
  std::map<FactId, Question> found;
  for (std::size_t p : selection) ranker.Pathway(p, verdicts[p], found);
  std::vector<Question> out;
  for (auto& [fact, q] : found) out.push_back(q);
  std::stable_sort(out.begin(), out.end(), [](const Question& a, const Question& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.pathways > b.pathways;
  });
  return out;
}

std::optional<FactId> NextQuestion(const RuleSet& rules, const Facts& facts, Date as_of,
                                   const std::vector<std::size_t>& selection,
                                   const std::set<FactId>& asked) {
  std::vector<Question> ranked =
      RankQuestions(rules, facts, Evaluate(rules, facts, as_of), selection, asked);
  if (ranked.empty()) return std::nullopt;
  return ranked.front().fact;
}

}  // namespace imgvisa

#include "imgvisa/engine/evaluator.h"

#include "engine/pass.h"
#include "imgvisa/rules/rule_reads.h"

namespace imgvisa {
namespace {

using State = Evaluator::State;
using Pass = State::Pass;
using ActiveItem = State::ActiveItem;

// Applies the precedence of docs/rule-language.md (verdict.h's Decide) to the (kind, status)
// pairs `present` among the items; the items of the deciding pairs, in rule order, are the
// decisive ones, and the unknown ones that cannot open a closed verdict are "whichever way".
void ApplyDecision(Verdict& v, const std::vector<ActiveItem>& active, ItemStatuses present) {
  const Decision d = Decide(present);
  v.kind = d.kind;
  v.possible = d.possible;
  const std::size_t count = v.items.size();
  const ActiveItem* const items = active.data();
  const ItemResult* const results = v.items.data();
  for (std::size_t i = 0; i < count; ++i) {
    const ItemStatuses pair = StatusBit(items[i].kind, results[i].status);
    if (pair & d.decisive) v.decisive.push_back(i);
    if (pair & d.whichever) v.whichever.push_back(i);
  }
  // Nothing is worth asking about a pathway that does not concern the person.
  if (d.kind == VerdictKind::kNotApplicable) {
    v.missing.facts.clear();
    v.missing.unsettled.clear();
  }
}

}  // namespace

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

void State::Evaluate(const Facts& facts, Date as_of, const EvaluateOptions& options,
                     std::vector<Verdict>& verdicts) {
  if (!facts.alternatives.empty()) {
    EvaluateAlternatives(facts, as_of, options, verdicts);
    return;
  }
  EvaluateOne(facts, as_of, options, verdicts);
}

void State::EvaluateOne(const Facts& facts, Date as_of, const EvaluateOptions& options,
                        std::vector<Verdict>& verdicts) {
  InForceOn(as_of);
  verdicts.resize(rules_.pathways.size());
  for (std::size_t p = 0; p < verdicts.size(); ++p) {
    Verdict& v = verdicts[p];
    v.pathway = p;
    v.kind = VerdictKind::kUndetermined;
    // v.items is kept for EvaluatePathway to overwrite; Run clears those it does not reach.
    v.possible = 0;
    v.decisive.clear();
    v.whichever.clear();
    v.alternative = -1;
    v.missing.facts.clear();
    v.missing.unsettled.clear();
    v.in_force = true;
    v.curable = false;
  }
  Pass(*this, FactsAsOf(facts, as_of, verdicts), as_of, options, verdicts).Run();
}

Truth State::Condition(int condition, const Facts& facts, Date as_of) {
  std::vector<Verdict> verdicts(rules_.pathways.size());
  const EvaluateOptions options;
  Pass pass(*this, facts, as_of, options, verdicts);
  Truth truth{pass.Eval(condition, nullptr), {}};
  if (truth.outcome == Outcome::kUnknown) pass.MissingFrom(0, truth.missing);
  return truth;
}

Pass::Pass(State& evaluator, const Facts& profile, Date date, const EvaluateOptions& chosen,
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

void Pass::Run() {
  for (int p : rules.evaluation_order) {
    const auto index = static_cast<std::size_t>(p);
    if (!options.only || (*options.only)[index]) {
      EvaluatePathway(index);
    } else {
      verdicts[index].items.clear();
    }
  }
}

void Pass::EvaluatePathway(std::size_t index) {
  Verdict& verdict = verdicts[index];
  if (!self.in_force_[index]) {
    verdict.items.clear();
    verdict.in_force = false;
    verdict.kind = VerdictKind::kNotApplicable;
    verdict.possible = KindBit(verdict.kind);
    return;
  }
  // The results of the previous profile are overwritten in place, not destroyed and made
  // again, which would allocate for every item of every profile.
  const std::vector<ActiveItem>& active = !options.deciding_only ? self.active_[index]
                                          : Shut(index)          ? self.shut_[index]
                                                                 : self.deciding_[index];
  // A summary's pathways change between their shut list and their full one from profile to
  // profile; resizing would make and destroy the items in between each time. The other list's
  // results wait in spare_items_ instead.
  if (verdict.items.size() != active.size()) verdict.items.swap(self.spare_items_[index]);
  verdict.items.resize(active.size());
  // Which (kind, status) pairs occur, for Decide.
  ItemStatuses present = 0;
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
    Date judged = as_of;
    r.status = RunItemAt(a, judged);
    present |= StatusBit(a.kind, r.status);
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
    r.shown =
        a.decides || r.status == Outcome::kMet || (r.status == Outcome::kUnknown && a.unknown_text);
    r.text.clear();
    if (texts) r.text = TextAt(rules.pathways[index].items[a.item], r.status, judged);
  }
  ApplyDecision(verdict, active, present);
}

Outcome Pass::RunItem(const ActiveItem& item) {
  return item.condition >= 0 ? Eval(item.condition, nullptr) : Outcome::kMet;
}

Outcome Pass::RunItemAt(const ActiveItem& item, Date& judged) {
  judged = as_of;
  if (item.at < 0) return RunItem(item);
  const std::size_t mark = reasons.size();
  const Operand at = Expr(item.at, nullptr);
  if (!at.known()) {
    // Time only uses a limit up: used up today, it is used up at any later date; still met at
    // the last date there is, it is met at every date. Otherwise the date decides, and its own
    // reasons say what would settle it.
    const std::size_t after = reasons.size();
    const Outcome today = RunItem(item);
    if (today == Outcome::kUnmet) {
      CutTo(mark);
      return today;
    }
    const std::size_t before_last = reasons.size();
    const Outcome last = AsOf(Date::Last(), [&] { return RunItem(item); });
    if (last == Outcome::kMet) {
      CutTo(mark);
      return last;
    }
    CutTo(today == Outcome::kMet ? after : before_last);
    return Outcome::kUnknown;
  }
  CutTo(mark);
  if (at.date() <= as_of) return RunItem(item);
  judged = at.date();
  return AsOf(judged, [&] { return RunItem(item); });
}

std::string Pass::TextAt(const Item& item, Outcome status, Date judged) {
  if (judged == as_of) return ItemText(item, status);
  return AsOf(judged, [&] { return ItemText(item, status); });
}

// Whether a gate of the pathway is unmet. Such a pathway is not applicable whatever its other
// items say, and its missing facts are not asked for (Decide), so for callers that read only
// verdicts its requirements need not be evaluated.
bool Pass::Shut(std::size_t index) {
  for (const ActiveItem& gate : self.gates_[index]) {
    Date judged = as_of;
    const Outcome o = RunItemAt(gate, judged);
    CutTo(0);
    if (o == Outcome::kUnmet) return true;
  }
  return false;
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
      if (item.at >= 0) reads.AddExpression(item.at, direct[p]);
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

// A profile that weighs several alternatives (several offers): every pathway is evaluated
// against each, and takes the best verdict among those of the alternatives, naming it; a
// pathway that reads none of the alternatives' facts has one verdict for all.
#include "engine/evaluator_state.h"
#include "imgvisa/rules/rule_reads.h"

namespace imgvisa {

using State = Evaluator::State;

std::vector<char> ReadsAlternatives(const RuleSet& rules) {
  const std::optional<Alternatives>& a = rules.dictionary.alternatives();
  std::vector<char> out(rules.pathways.size(), 0);
  if (!a) return out;
  RuleReads reads(rules);
  // The facts a derived fact stands for: a pathway reading it reads them too.
  std::vector<Reads> derived(rules.derivations.size());
  for (std::size_t d = 0; d < rules.derivations.size(); ++d) {
    for (const Derivation::Case& k : rules.derivations[d].cases) {
      reads.AddCondition(k.condition, derived[d]);
    }
  }
  const std::vector<std::vector<char>> needs = PathwaysNeededByEach(rules);
  std::vector<char> direct(rules.pathways.size(), 0);
  for (std::size_t p = 0; p < rules.pathways.size(); ++p) {
    Reads r;
    for (const Item& item : rules.pathways[p].items) {
      if (item.condition >= 0) reads.AddCondition(item.condition, r);
      if (item.at >= 0) reads.AddExpression(item.at, r);
      for (const auto& let : item.lets) reads.AddExpression(let.second, r);
    }
    for (std::size_t d = 0; d < rules.derivations.size(); ++d) {
      if (r.facts.contains(rules.derivations[d].fact)) r.Merge(derived[d]);
    }
    for (FactId f : a->facts) direct[p] = direct[p] || r.facts.contains(f);
  }
  for (std::size_t p = 0; p < rules.pathways.size(); ++p) {
    for (std::size_t q = 0; q < rules.pathways.size(); ++q) {
      if (needs[p][q] && direct[q]) out[p] = 1;
    }
  }
  return out;
}

void State::EvaluateAlternatives(const Facts& facts, Date as_of, const EvaluateOptions& options,
                                 std::vector<Verdict>& verdicts) {
  const Alternatives& a = *rules_.dictionary.alternatives();
  const std::size_t n = facts.alternatives.size();
  by_alternative_.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    alternative_.values = facts.values;
    alternative_.id = facts.id;
    for (FactId f : a.facts) alternative_.values[f] = Value();
    for (const auto& [f, v] : facts.alternatives[k]) alternative_.values[f] = v;
    EvaluateOne(alternative_, as_of, options, by_alternative_[k]);
  }
  verdicts.resize(rules_.pathways.size());
  for (std::size_t p = 0; p < verdicts.size(); ++p) {
    std::size_t best = 0;
    for (std::size_t k = 1; k < n && reads_alternatives_[p]; ++k) {
      if (Better(by_alternative_[k][p].kind, by_alternative_[best][p].kind)) best = k;
    }
    verdicts[p] = by_alternative_[best][p];
    verdicts[p].alternatives_agree = true;
    for (std::size_t k = 0; k < n; ++k) {
      if (by_alternative_[k][p].kind != verdicts[p].kind) verdicts[p].alternatives_agree = false;
    }
    verdicts[p].alternative = reads_alternatives_[p] ? static_cast<int>(best) : -1;
    verdicts[p].alternative_name.clear();
    if (!reads_alternatives_[p] || !a.name) continue;
    for (const auto& [f, v] : facts.alternatives[best]) {
      if (f == *a.name && v.kind == Value::Kind::kString) verdicts[p].alternative_name = v.string;
    }
  }
}

}  // namespace imgvisa

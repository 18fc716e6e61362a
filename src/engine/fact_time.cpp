// The profile as of the evaluation date (docs/rule-language.md): a dated fact counts only from
// its date, and a fact the profile leaves unknown is derived where the rules can work it out.
// One rule of the language applied once here, not a condition repeated in every item.
#include <algorithm>

#include "engine/pass.h"

namespace imgvisa {

using State = Evaluator::State;

namespace {

// Whether the date in `by` is later than `as_of`.
bool Later(const Value& by, Date as_of) {
  return by.kind == Value::Kind::kDate && by.date() > as_of;
}

bool Dated(const Dating& dating, const Value& v) {
  return dating.values.empty() ||
         std::find(dating.values.begin(), dating.values.end(), v) != dating.values.end();
}

// Whether fact `id` of `facts` reads otherwise as of `as_of`.
bool NotYet(const FactDictionary& dictionary, const Facts& facts, FactId id, Date as_of) {
  const Value& v = facts.values[id];
  if (!v.known()) return false;
  const FactDecl& d = dictionary.at(id);
  const Dating& dating = *d.dated;
  if (d.is_record_list()) {
    const std::size_t field = dictionary.at(dating.by).field_index;
    return std::any_of(v.records->begin(), v.records->end(),
                       [&](const Value::Record& r) { return Later(r[field], as_of); });
  }
  return Later(facts.values[dating.by], as_of) && Dated(dating, v);
}

// Fact `id` as of `as_of`: before its date, a scalar reads as before it and a list loses the
// records that come later.
void MakeAsOf(const FactDictionary& dictionary, Facts& facts, FactId id, Date as_of) {
  const FactDecl& d = dictionary.at(id);
  Value& v = facts.values[id];
  if (!d.is_record_list()) {
    v = d.dated->before;
    return;
  }
  const std::size_t field = dictionary.at(d.dated->by).field_index;
  auto kept = std::make_shared<std::vector<Value::Record>>();
  for (const Value::Record& r : *v.records) {
    if (!Later(r[field], as_of)) kept->push_back(r);
  }
  v.records = std::move(kept);
}

}  // namespace

bool State::AnyNotYet(const Facts& facts, Date as_of) const {
  return std::any_of(dated_.begin(), dated_.end(),
                     [&](FactId id) { return NotYet(rules_.dictionary, facts, id, as_of); });
}

const Facts& State::FactsAsOf(const Facts& facts, Date as_of, std::vector<Verdict>& verdicts) {
  const Facts* current = &facts;
  if (AnyNotYet(facts, as_of)) {
    scratch_ = facts;
    for (FactId id : dated_) {
      if (NotYet(rules_.dictionary, facts, id, as_of))
        MakeAsOf(rules_.dictionary, scratch_, id, as_of);
    }
    current = &scratch_;
  }
  for (const Derivation& d : rules_.derivations) {
    if (current->values[d.fact].known()) continue;
    std::optional<Value> v = Derive(d, *current, as_of, verdicts);
    if (!v) continue;
    if (current != &scratch_) {
      scratch_ = *current;
      current = &scratch_;
    }
    scratch_.values[d.fact] = std::move(*v);
  }
  return *current;
}

std::optional<Value> State::Derive(const Derivation& d, const Facts& facts, Date as_of,
                                   std::vector<Verdict>& verdicts) {
  const EvaluateOptions options;
  Pass pass(*this, facts, as_of, options, verdicts);
  for (const Derivation::Case& k : d.cases) {
    const Outcome o = pass.Eval(k.condition, nullptr);
    pass.CutTo(0);
    if (o == Outcome::kMet) return k.value;
    // An earlier case unknown: it might be the one that holds.
    if (o == Outcome::kUnknown) return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace imgvisa

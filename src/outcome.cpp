#include "imgvisa/outcome.h"

#include <algorithm>
#include <iterator>

namespace imgvisa {

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kMet:
      return "met";
    case Outcome::kUnmet:
      return "unmet";
    case Outcome::kUnknown:
      return "unknown";
  }
  return "unknown";
}

namespace {

void MergeSorted(std::vector<std::uint16_t>& into, const std::vector<std::uint16_t>& from) {
  if (from.empty()) return;
  if (into.empty()) {
    into = from;
    return;
  }
  std::vector<std::uint16_t> merged;
  merged.reserve(into.size() + from.size());
  std::set_union(into.begin(), into.end(), from.begin(), from.end(), std::back_inserter(merged));
  into.swap(merged);
}

void InsertSorted(std::vector<std::uint16_t>& into, std::uint16_t id) {
  auto it = std::lower_bound(into.begin(), into.end(), id);
  if (it == into.end() || *it != id) into.insert(it, id);
}

}  // namespace

void Missing::Merge(const Missing& other) {
  MergeSorted(facts, other.facts);
  MergeSorted(unsettled, other.unsettled);
}
void Missing::AddFact(std::uint16_t id) { InsertSorted(facts, id); }
void Missing::AddUnsettled(std::uint16_t id) { InsertSorted(unsettled, id); }

Truth And(Truth a, const Truth& b) {
  if (a.outcome == Outcome::kUnmet) return a;
  if (b.outcome == Outcome::kUnmet) return Truth::Unmet();
  if (a.outcome == Outcome::kUnknown || b.outcome == Outcome::kUnknown) {
    Truth out{Outcome::kUnknown, {}};
    if (a.outcome == Outcome::kUnknown) out.missing = std::move(a.missing);
    if (b.outcome == Outcome::kUnknown) out.missing.Merge(b.missing);
    return out;
  }
  return Truth::Met();
}

Truth Or(Truth a, const Truth& b) {
  if (a.outcome == Outcome::kMet) return a;
  if (b.outcome == Outcome::kMet) return Truth::Met();
  if (a.outcome == Outcome::kUnknown || b.outcome == Outcome::kUnknown) {
    Truth out{Outcome::kUnknown, {}};
    if (a.outcome == Outcome::kUnknown) out.missing = std::move(a.missing);
    if (b.outcome == Outcome::kUnknown) out.missing.Merge(b.missing);
    return out;
  }
  return Truth::Unmet();
}

Truth Not(Truth a) {
  if (a.outcome == Outcome::kMet) return Truth::Unmet();
  if (a.outcome == Outcome::kUnmet) return Truth::Met();
  return a;
}

}  // namespace imgvisa

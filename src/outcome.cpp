#include "imgvisa/outcome.h"

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

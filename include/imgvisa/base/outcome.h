#pragma once

#include <cstdint>
#include <string_view>

#include "imgvisa/base/id_set.h"

namespace imgvisa {

/// Kleene three-valued truth. Unknown is a value, never an exception.
enum class Outcome : std::uint8_t { kUnmet, kMet, kUnknown };

std::string_view OutcomeName(Outcome outcome);

/// Why an outcome is unknown: the facts that were missing (dictionary ids) and the unsettled
/// points of law that were reached (unsettled ids), each iterated in ascending id order.
struct Missing {
  IdSet facts;
  IdSet unsettled;

  bool empty() const { return facts.empty() && unsettled.empty(); }
  void Merge(const Missing& other) {
    facts.Merge(other.facts);
    unsettled.Merge(other.unsettled);
  }
  void AddFact(std::uint16_t id) { facts.Insert(id); }
  void AddUnsettled(std::uint16_t id) { unsettled.Insert(id); }
};

/// A three-valued result with its reasons. `missing` is meaningful only when unknown.
struct Truth {
  Outcome outcome = Outcome::kUnknown;
  Missing missing;
};

}  // namespace imgvisa

#pragma once

#include <string>
#include <utility>
#include <vector>

#include "imgvisa/base/value.h"
#include "imgvisa/rules/fact_dictionary.h"

namespace imgvisa {

/// One applicant's facts, indexed by FactId. Absent facts are Value::Kind::kAbsent: unknown.
/// What the engine reads of a profile; how a profile becomes Facts is facts_from_json.h's.
struct Facts {
  std::vector<Value> values;
  std::string id;  ///< the profile's "$id", echoed in output
  /// The alternatives the profile weighs (FactDictionary::alternatives: several offers), each
  /// the values of the group's facts it gives; empty when it gives the group once, or not.
  std::vector<std::vector<std::pair<FactId, Value>>> alternatives;
};

}  // namespace imgvisa

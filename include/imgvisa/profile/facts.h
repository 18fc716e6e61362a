#pragma once

#include <string>
#include <vector>

#include "imgvisa/base/value.h"

namespace imgvisa {

/// One applicant's facts, indexed by FactId. Absent facts are Value::Kind::kAbsent: unknown.
/// What the engine reads of a profile; how a profile becomes Facts is facts_from_json.h's.
struct Facts {
  std::vector<Value> values;
  std::string id;  ///< the profile's "$id", echoed in output
};

}  // namespace imgvisa

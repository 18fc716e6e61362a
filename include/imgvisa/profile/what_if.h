#pragma once

#include <optional>
#include <string>
#include <vector>

#include "imgvisa/profile/facts.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// One `--what-if PATH=VALUE`: a fact and the value it takes (absent = made unknown).
struct FactChange {
  FactId fact = 0;
  Value value;
  std::string spec;  ///< as the user wrote it, for output
};

/// Parses `path=value`. The value is read as JSON when it parses (`true`, `350`, `["IN","GB"]`,
/// `null` makes the fact unknown), otherwise as a string (`passed`, `2027-07-01`), and checked
/// against the fact dictionary like a profile value. On failure returns nullopt and a message.
std::optional<FactChange> ParseFactChange(const FactDictionary& dictionary, const std::string& spec,
                                          std::string* problem);

/// The facts with the changes applied.
Facts ApplyChanges(const Facts& facts, const std::vector<FactChange>& changes);

}  // namespace imgvisa

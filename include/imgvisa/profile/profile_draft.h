#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "imgvisa/profile/facts.h"
#include "imgvisa/rules/fact_dictionary.h"

namespace imgvisa {

/// A profile built from answers, one fact at a time: what `imgvisa ask` writes. The facts are
/// kept by id, so the profile lists them in dictionary order whatever order they were asked
/// in; "don't know" is null, which a profile reads as absent.
class ProfileDraft {
 public:
  /// A draft that starts from `base` (a profile being resumed): what it holds is kept as it is,
  /// members the dictionary does not declare ("$id", "offers") included, and each answer is
  /// set over it.
  explicit ProfileDraft(const FactDictionary& dictionary,
                        nlohmann::ordered_json base = nlohmann::ordered_json::object())
      : dictionary_(&dictionary), base_(std::move(base)) {}

  /// Sets a fact that is not a field of a list of records: a value of its type, or null. A list
  /// of records is set whole, to null or an array, before records are added to it.
  void Set(FactId fact, nlohmann::ordered_json value);
  /// Appends an empty record to the list of records `list`, which must hold an array.
  void AddRecord(FactId list);
  /// Sets `field` in the last record of its list.
  void SetField(FactId field, nlohmann::ordered_json value);
  /// How many records `list` holds.
  std::size_t RecordCount(FactId list) const;

  nlohmann::ordered_json ToJson() const;
  /// The profile as its file holds it: indented by two spaces, bytes that are not UTF-8
  /// replaced, no final newline.
  std::string Text() const;
  /// What the profile says, as the profile loader reads it.
  Facts ToFacts() const;

 private:
  const FactDictionary* dictionary_;
  std::map<FactId, nlohmann::ordered_json> answers_;  // by fact id: dictionary order
  nlohmann::ordered_json base_;
};

/// The value at the fact's place in a profile ("a.b.c" reads {"a": {"b": {"c": …}}}), null
/// included, or nullptr when the profile does not mention it. Not for fields of lists of records.
const nlohmann::ordered_json* ProfileValueAt(const nlohmann::ordered_json& profile,
                                             const std::string& path);

/// Sets `value` at the fact's place in a profile: "a.b.c" becomes {"a": {"b": {"c": value}}}.
/// Not for fields of lists of records.
void SetProfileValue(nlohmann::ordered_json& profile, const std::string& path,
                     nlohmann::ordered_json value);

}  // namespace imgvisa

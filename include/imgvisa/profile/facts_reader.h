#pragma once

#include <cstddef>
#include <memory>

#include "imgvisa/base/json_document.h"
#include "imgvisa/base/source.h"
#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/rules/fact_dictionary.h"

namespace imgvisa {

/// Reads profiles against one dictionary, for streams of them. A profile is scanned once,
/// straight into facts: keys are matched against a tree of the dictionary's paths built when
/// the reader is made, with no JSON document, path strings or positions in between, which cost
/// far more than the facts a plain profile holds (docs/performance.md).
///
/// The scanner takes only what it can be sure of: JSON without escapes in its strings, every
/// key one the dictionary declares (nested, not dotted), every value of its fact's type and
/// range, no key repeated, within the limits. Anything else, valid or not, goes to
/// FactsFromJson, whose result (with its diagnostics and their positions) is returned instead.
/// So Read gives exactly what FactsFromJson gives; it is only faster when the profile is plain.
class FactsReader {
 public:
  /// `max_errors`: as FactsFromJson's.
  explicit FactsReader(const FactDictionary& dictionary, const JsonLimits& limits = {},
                       std::size_t max_errors = 0);
  ~FactsReader();
  FactsReader(const FactsReader&) = delete;
  FactsReader& operator=(const FactsReader&) = delete;

  /// Reads `profile` into `out`, reusing its storage.
  void Read(const SourceFile& profile, FactsLoad& out);
  FactsLoad Read(const SourceFile& profile);

  /// How many profiles Read has handed to FactsFromJson (for tests and benchmarks).
  std::size_t fallbacks() const;

 private:
  /// The tables and storage kept from one profile to the next (src/profile/facts_reader.cpp).
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace imgvisa

#pragma once

#include <vector>

#include "imgvisa/base/diagnostic.h"
#include "imgvisa/base/json_document.h"
#include "imgvisa/base/source.h"
#include "imgvisa/profile/facts.h"
#include "imgvisa/rules/fact_dictionary.h"

namespace imgvisa {

struct FactsLoad {
  Facts facts;
  std::vector<Diagnostic> diagnostics;
  /// Errors found beyond the `max_errors` kept in `diagnostics`: counted, not worded.
  std::size_t omitted_errors = 0;
  bool ok = false;
};

/// Reads a profile against the dictionary. Unknown keys (with a suggestion), wrong types and
/// out-of-range values are errors naming the fact and its place; nothing is thrown. Only the
/// first `max_errors` errors are kept (0: all), the rest counted in `omitted_errors`.
FactsLoad FactsFromJson(const FactDictionary& dictionary, const SourceFile& profile,
                        const JsonLimits& limits = {}, std::size_t max_errors = 0);

/// Converts an already parsed profile (its positions come from `doc`, or are recovered from
/// `profile` when `doc` has none).
FactsLoad FactsFromDocument(const FactDictionary& dictionary, const SourceFile& profile,
                            const JsonDocument& doc, const JsonLimits& limits = {},
                            std::size_t max_errors = 0);

}  // namespace imgvisa

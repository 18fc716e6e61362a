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
  bool ok = false;
};

/// Reads a profile against the dictionary. Unknown keys (with a suggestion), wrong types and
/// out-of-range values are errors naming the fact and its place; nothing is thrown.
FactsLoad FactsFromJson(const FactDictionary& dictionary, const SourceFile& profile,
                        const JsonLimits& limits = {});

/// Converts an already parsed profile (its positions come from `doc`, or are recovered from
/// `profile` when `doc` has none).
FactsLoad FactsFromDocument(const FactDictionary& dictionary, const SourceFile& profile,
                            const JsonDocument& doc, const JsonLimits& limits = {});

}  // namespace imgvisa

#pragma once

#include <string>
#include <vector>

#include "imgvisa/diagnostic.h"
#include "imgvisa/fact_dictionary.h"
#include "imgvisa/json_document.h"
#include "imgvisa/source.h"
#include "imgvisa/value.h"

namespace imgvisa {

/// One applicant's facts, indexed by FactId. Absent facts are Value::Kind::kAbsent: unknown.
struct Facts {
  std::vector<Value> values;
  std::string id;  ///< the profile's "$id", echoed in output
};

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

/// Formats a value for a person: dates as YYYY-MM-DD, enums by name, booleans yes/no.
std::string DisplayValue(const Value& value, const FactDecl* decl);

}  // namespace imgvisa

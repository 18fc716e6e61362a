#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "imgvisa/base/diagnostic.h"
#include "imgvisa/base/source.h"

namespace imgvisa {

/// Bounds on what a JSON input may hold; exceeding one is an error, not a crash or a hang.
struct JsonLimits {
  std::size_t max_depth = 64;
  std::size_t max_string_bytes = 64 * 1024;
  std::size_t max_array_items = 10000;
  std::size_t max_object_keys = 10000;
};

/// A parsed JSON document and where each of its values and keys started in the text.
/// nlohmann 3.11 keeps no positions, so they are recovered by one SAX pass that also builds the
/// value; the same pass rejects duplicate keys, which nlohmann would silently overwrite.
struct JsonDocument {
  nlohmann::ordered_json value;
  bool ok = false;
  /// JSON Pointer ("/pathway/items/3/id") to the byte offset of the value.
  std::unordered_map<std::string, std::size_t> value_offsets;
  /// JSON Pointer of a member to the byte offset of its key.
  std::unordered_map<std::string, std::size_t> key_offsets;

  /// The value's offset, else the closest enclosing value's.
  std::size_t OffsetOf(std::string pointer) const;
  /// The member's key offset, else its value's.
  std::size_t KeyOffsetOf(const std::string& pointer) const;
};

/// Parses `file`. Problems become E0xx diagnostics against the file (see docs/diagnostics.md);
/// `ok` is false when any was found. With `record_positions` false the offsets maps stay empty
/// (the fast path for profiles, which need positions only once something is wrong).
JsonDocument ParseJson(const SourceFile& file, std::vector<Diagnostic>& diagnostics,
                       bool record_positions = true, const JsonLimits& limits = {});

/// "/a/b" + "c~d" → "/a/b/c~0d" (RFC 6901 escaping).
std::string AppendPointer(const std::string& pointer, const std::string& token);
std::string AppendPointer(const std::string& pointer, std::size_t index);

}  // namespace imgvisa

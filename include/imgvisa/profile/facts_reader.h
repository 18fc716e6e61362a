#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "imgvisa/base/json_document.h"
#include "imgvisa/base/source.h"
#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/rules/fact_dictionary.h"

namespace imgvisa {

/// Reads profiles against one dictionary, for streams of them. A profile is scanned once,
/// straight into facts: keys are matched against a tree of the dictionary's paths built when
/// the reader is made, with no JSON document, path strings or positions in between (reading
/// through them was most of the cost of a check; docs/performance.md).
///
/// The scanner takes only what it can be sure of: JSON without escapes in its strings, every
/// key one the dictionary declares (nested, not dotted), every value of its fact's type and
/// range, no key repeated, within the limits. Anything else, valid or not, goes to
/// FactsFromJson, whose result (with its diagnostics and their positions) is returned instead.
/// So Read gives exactly what FactsFromJson gives; it is only faster when the profile is plain.
class FactsReader {
 public:
  explicit FactsReader(const FactDictionary& dictionary, const JsonLimits& limits = {});

  /// Reads `profile` into `out`, reusing its storage.
  void Read(const SourceFile& profile, FactsLoad& out);
  FactsLoad Read(const SourceFile& profile);

  /// How many profiles Read has handed to FactsFromJson (for tests and benchmarks).
  std::size_t fallbacks() const { return fallbacks_; }

 private:
  /// What the scanner checks of a fact's value, copied from its FactDecl when the reader is
  /// made. A FactDecl is ~400 bytes, mostly strings the scanner never reads: loading a
  /// member's type from it missed the cache for most members (docs/performance.md).
  struct ValueSpec {
    ValueType type = ValueType::kString;  ///< the value's type; for a list, its items'
    bool list = false;                    ///< a list of `type` scalars
    bool records = false;                 ///< a list of records (`type` unused)
    std::uint16_t field_index = 0;        ///< a record's field: its place in the record
    std::uint16_t record_fields = 0;      ///< a list of records: its fields
    std::uint16_t enum_first = 0;         ///< kEnum: its values are enum_values_[first, +count)
    std::uint16_t enum_count = 0;
    double minimum = -std::numeric_limits<double>::infinity();
    double maximum = std::numeric_limits<double>::infinity();
  };
  /// Up to 32 bytes as little-endian words, zero past their end, compared with the text at
  /// hand a word at a time (loads, XOR, a mask) rather than by memcmp: the expected keys (with
  /// their quotes) and the enum values, once per member or value read.
  struct PackedBytes {
    static constexpr std::size_t kMaxBytes = 32;
    /// `bytes` packed, or count 0 if there are more than kMaxBytes of them.
    static PackedBytes Of(std::string_view bytes);
    /// Whether the text at `p` starts with the bytes; kMaxBytes must be readable at `p`.
    bool StartOf(const char* p) const;

    std::array<std::uint64_t, kMaxBytes / 8> words{};
    std::uint64_t last_mask = 0;  ///< the bytes of the last word that are the bytes'
    std::uint8_t count = 0;       ///< the words the bytes take
  };
  /// A key an object of the profile may hold. The fields the scan reads for every member come
  /// first, the key itself (read only when the expected key is not the one at hand) last.
  struct Member {
    enum class Kind : std::uint8_t { kObject, kFact, kId, kIgnored };
    Kind kind = Kind::kObject;
    /// The key is printable ASCII other than '"' and '\\', so it can be expected (Scan::Expected).
    bool plain = false;
    FactId fact = 0;         ///< kFact: the fact (or, in a record's node, the field)
    int node = -1;           ///< kObject: the nested object; kFact of a record list: its fields
    std::uint32_t slot = 0;  ///< index into seen_, to catch a repeated key
    /// The member that came after this one the last time the object was read, or -1 if none
    /// did: the key expected next (see Node::first).
    int next = -1;
    /// A plain key of at most 30 bytes as `"key"`, packed; else count 0 (compare by memcmp).
    PackedBytes quoted;
    ValueSpec spec;  ///< kFact
    std::string key;
  };
  /// An enum value, as a stretch of enum_text_ and packed (when it is short enough).
  struct EnumValue {
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
    PackedBytes packed;
  };
  struct Node {
    std::vector<Member> members;
    /// The first member the last time an object of this node was read, or -1. Profiles of one
    /// stream are written by one program, so their keys nearly always come in the same order:
    /// the expected key is compared in place, without scanning, hashing and looking it up.
    int first = -1;
    /// Open addressing by KeyHash: indexes into members, -1 where empty; at least twice as
    /// large as members, so a probe ends.
    std::vector<std::int16_t> table;
    Member* Find(std::string_view key);
  };
  class Scan;

  int AddNode();
  ValueSpec SpecOf(const FactDecl& decl);
  /// The index of `value` among the enum values of `spec`, or -1.
  int EnumIndex(const ValueSpec& spec, std::string_view value) const;
  Member& MemberOf(int node, std::string_view key);
  /// Makes `v` unknown in place, keeping its string's storage and, when no one else holds
  /// them, its list's or records' for the next profile (allocation was a quarter of a read).
  void Forget(Value& v);
  /// Forget of each known value (the others hold nothing).
  void ForgetKnown(std::vector<Value>& values);
  std::shared_ptr<std::vector<Value>> SpareList();
  std::shared_ptr<std::vector<Value::Record>> SpareRecords();

  const FactDictionary& dictionary_;
  JsonLimits limits_;
  std::vector<Node> nodes_;  ///< [0] is the profile's top level
  /// Every enum value of the dictionary, end to end (a kilobyte or two, kept in cache).
  std::string enum_text_;
  std::vector<EnumValue> enum_values_;
  /// The object each member was last seen in, by slot: a member seen twice in one object is a
  /// repeated key (which FactsFromJson reports).
  std::vector<std::uint32_t> seen_;
  std::uint32_t objects_ = 0;
  std::size_t fallbacks_ = 0;
  /// Lists and records of earlier profiles that nothing refers to any more, to fill again.
  std::vector<std::shared_ptr<std::vector<Value>>> spare_lists_;
  std::vector<std::shared_ptr<std::vector<Value::Record>>> spare_records_;
};

}  // namespace imgvisa

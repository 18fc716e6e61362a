#pragma once

// The keys a plain profile may hold, private to FactsReader's sources.

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8.h"
#include "imgvisa/rules/fact_dictionary.h"

namespace imgvisa {

/// The dictionary's fact paths as a tree of objects and their keys, built once per reader, so
/// that a scan matches a profile's keys without path strings. It also keeps what the scans learn
/// and mark as they go: the order the keys of each object came in last time, and the object
/// each key was last seen in.
class KeyTree {
 public:
  /// What the scanner checks of a fact's value, copied from its FactDecl when the tree is
  /// made. A FactDecl is large, mostly strings the scanner never reads: loading a member's type
  /// from it missed the cache for most members (docs/performance.md).
  struct ValueSpec {
    ValueType type = ValueType::kString;  ///< the value's type; for a list, its items'
    bool list = false;                    ///< a list of `type` scalars
    bool records = false;                 ///< a list of records (`type` unused)
    std::uint16_t field_index = 0;        ///< a record's field: its place in the record
    std::uint16_t record_fields = 0;      ///< a list of records: its fields
    std::uint16_t enum_first = 0;         ///< kEnum: its values are enum_values()[first, +count)
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
    /// Inline: the scan calls it for nearly every key and enum value.
    bool StartOf(const char* p) const {
      const std::size_t last = count - 1u;
      std::uint64_t differ = (Load8(p + 8 * last) & last_mask) ^ words[last];
      for (std::size_t w = 0; w < last; ++w) differ |= Load8(p + 8 * w) ^ words[w];
      return differ == 0;
    }

    std::array<std::uint64_t, kMaxBytes / 8> words{};
    std::uint64_t last_mask = 0;  ///< the bytes of the last word that are the bytes'
    std::uint8_t count = 0;       ///< the words the bytes take
  };

  /// A key an object of the profile may hold. The fields the scan reads for every member come
  /// first, the key itself (read only when the expected key is not the one at hand) last.
  struct Member {
    enum class Kind : std::uint8_t { kObject, kFact, kId, kIgnored };
    Kind kind = Kind::kObject;
    /// The key is printable ASCII other than '"' and '\\', so its JSON string is its bytes
    /// and it can be expected in place.
    bool plain = false;
    FactId fact = 0;         ///< kFact: the fact (or, in a record's node, the field)
    int node = -1;           ///< kObject: the nested object; kFact of a record list: its fields
    std::uint32_t slot = 0;  ///< its place among all members, to catch a repeated key
    /// The member that came after this one the last time the object was read, or -1 if none
    /// did: the key expected next (see Node::first).
    int next = -1;
    /// A plain key of at most 30 bytes as `"key"`, packed; else count 0 (compare by memcmp).
    PackedBytes quoted;
    ValueSpec spec;  ///< kFact
    std::string key;
  };

  /// An enum value, as a stretch of the tree's enum text and packed (when it is short enough).
  struct EnumValue {
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
    PackedBytes packed;
  };

  /// An object of the profile: the keys it may hold.
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

  explicit KeyTree(const FactDictionary& dictionary);

  /// [0] is the profile's top level.
  Node& node(int index) { return nodes_[static_cast<std::size_t>(index)]; }
  const std::vector<EnumValue>& enum_values() const { return enum_values_; }
  /// The index of `value` among the enum values of `spec`, or -1.
  int EnumIndex(const ValueSpec& spec, std::string_view value) const;

  /// Starts a new object of the profile: its number, for MarkSeen.
  std::uint32_t NextObject() { return ++objects_; }
  /// Marks `m` seen in `object`; false if it was already: a repeated key, which FactsFromJson
  /// reports.
  bool MarkSeen(const Member& m, std::uint32_t object) {
    std::uint32_t& last = seen_[m.slot];
    if (last == object) return false;
    last = object;
    return true;
  }

 private:
  /// Adds the members that lead to the fact `f` of the dictionary, and its own.
  void AddFact(const FactDictionary& dictionary, FactId f);
  /// Numbers the members for MarkSeen, and fills each node's table.
  void Index();
  int AddNode();
  ValueSpec SpecOf(const FactDecl& decl);
  Member& MemberOf(int node, std::string_view key);

  std::vector<Node> nodes_;
  /// Every enum value of the dictionary, end to end (small enough to stay in cache).
  std::string enum_text_;
  std::vector<EnumValue> enum_values_;
  /// The object each member was last seen in, by slot.
  std::vector<std::uint32_t> seen_;
  std::uint32_t objects_ = 0;
};

/// Bytes a string may hold as they are: printable ASCII other than '"' and '\\'.
inline constexpr auto kPlainBytes = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

}  // namespace imgvisa

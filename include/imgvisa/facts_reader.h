#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "imgvisa/fact_dictionary.h"
#include "imgvisa/facts.h"
#include "imgvisa/json_document.h"
#include "imgvisa/source.h"

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
  /// A key an object of the profile may hold.
  struct Member {
    enum class Kind : std::uint8_t { kObject, kFact, kId, kIgnored };
    std::string key;
    Kind kind = Kind::kObject;
    FactId fact = 0;       ///< kFact: the fact (or, in a record's node, the field)
    int node = -1;         ///< kObject: the nested object; kFact of a record list: its fields
    std::size_t slot = 0;  ///< index into seen_, to catch a repeated key
    /// The member that came after this one the last time the object was read, or -1 if none
    /// did: the key expected next (see Node::first).
    int next = -1;
    /// The key is printable ASCII other than '"' and '\\', so it can be expected (Scan::Expected).
    bool plain = false;
    /// For a plain key of at most 30 bytes, `"key"` as little-endian words (zero past its
    /// end), and how many words it takes: Scan::Expected compares a word at a time rather than
    /// calling memcmp, once per member read. 0 words: compare with memcmp.
    std::uint8_t quoted_words = 0;
    std::array<std::uint64_t, 4> quoted{};
    std::uint64_t last_word_mask = 0;  ///< the bytes of the last word that are the key's
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

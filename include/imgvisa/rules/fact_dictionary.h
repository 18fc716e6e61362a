#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "imgvisa/base/value.h"

namespace imgvisa {

using FactId = std::uint16_t;

/// What a person can do about a fact, for next steps: make it `to` by taking `step`, which
/// takes about `lead_time_days`.
struct FactChangeSpec {
  Value to;
  std::string step;
  int lead_time_days = 0;
  bool operator==(const FactChangeSpec&) const = default;
};

/// A fact that counts only from its date (docs/rule-language.md, "Facts that count from their
/// date"): evaluated as of a day before its date, a scalar fact reads `before`, and the records
/// of a list whose date is later are left out.
struct Dating {
  FactId by = 0;              ///< a date fact; for a list of records, the records' date field
  std::vector<Value> values;  ///< the values that are dated (a scalar's); empty: every value
  Value before;               ///< what a scalar fact reads before its date
  bool operator==(const Dating&) const = default;
};

/// One declared fact, or one field of a list of records ("immigration.history[].end").
struct FactDecl {
  std::string path;
  ValueType type = ValueType::kString;
  std::vector<std::string> values;  ///< enum values (of the items, for a list of enums)
  /// For a list: the type of its scalar items, or nullopt for a list of records.
  std::optional<ValueType> item_type;
  std::vector<FactId> fields;  ///< record fields of a list, in declaration order
  std::optional<FactId> list;  ///< for a record field: the list it belongs to
  std::size_t field_index = 0;
  std::string field_name;
  std::optional<double> minimum;
  std::optional<double> maximum;
  std::string unit;
  std::string description;
  std::string question;
  std::optional<FactChangeSpec> change;  ///< absent: not something a person can change
  std::optional<Dating> dated;           ///< absent: the fact counts whatever the date
  /// An example value as compact JSON text, or empty. Text rather than a value: only the
  /// documentation reads it, and parsing it back would cost every start of the binary.
  std::string example;
  /// By enum value (parallel to `values`): what a person reads for it ("US permanent resident
  /// (green card)"), or empty where the value itself reads well; empty when none is given.
  std::vector<std::string> labels;
  /// "ask": {"after": …}: the fact whose answer decides whether this one is worth asking (is
  /// there an offer, before its start date), asked first.
  std::optional<FactId> ask_after;
  /// "ask": {"unless": […]}: values of `ask_after` that make this fact not worth asking.
  std::vector<Value> ask_unless;
  std::string file;
  std::size_t offset = 0;

  bool is_record_list() const { return type == ValueType::kList && !item_type; }
  /// Index of `value` among the enum values, or -1.
  int EnumIndex(std::string_view value) const;
  /// What a person reads for enum value `index`: its label, else the value.
  const std::string& LabelOf(std::size_t index) const {
    return index < labels.size() && !labels[index].empty() ? labels[index] : values[index];
  }
  bool operator==(const FactDecl&) const = default;
};

/// Facts a profile may give several times over, to be weighed against each other: the facts
/// under `prefix` ("offer") given once as an object, or as a list of such objects under `key`
/// ("offers"). Each pathway is evaluated against each (docs/rule-language.md, "Alternatives").
struct Alternatives {
  std::string key;
  std::string prefix;
  std::vector<FactId> facts;   ///< the facts under `prefix`
  std::optional<FactId> name;  ///< `prefix`.name, if declared: what tells them apart
  bool operator==(const Alternatives&) const = default;
};

/// Every fact a rule may read, with dense ids so that a profile is a vector indexed by id.
class FactDictionary {
 public:
  /// Ids are 16 bits (sets of them are IdSets): a set declares at most this many facts, fields
  /// included, and Add refuses more.
  static constexpr std::size_t kMaxFacts = std::numeric_limits<FactId>::max();
  bool full() const { return facts_.size() >= kMaxFacts; }

  const std::vector<FactDecl>& facts() const { return facts_; }
  const FactDecl& at(FactId id) const { return facts_[id]; }
  std::optional<FactId> Find(std::string_view path) const;
  /// Field `name` of the record list `list`.
  std::optional<FactId> FindField(FactId list, std::string_view name) const;
  /// Names that may follow `prefix` in a profile ("" for the top level): "school" → {"country",…}.
  const std::vector<std::string>* ChildrenOf(const std::string& prefix) const;

  /// Adds a declaration; returns nullopt when the path is taken or the dictionary is full.
  std::optional<FactId> Add(FactDecl decl);
  std::optional<FactId> AddField(FactId list, FactDecl decl);
  const std::optional<Alternatives>& alternatives() const { return alternatives_; }
  void SetAlternatives(Alternatives alternatives) { alternatives_ = std::move(alternatives); }

  /// Declares when fact `id` counts from: known only once every fact is declared.
  void SetDating(FactId id, Dating dating) { facts_[id].dated = std::move(dating); }
  /// Declares which fact is asked before `id`, and which of its answers make `id` not worth
  /// asking: known only once every fact is declared.
  void SetAskOrder(FactId id, FactId after, std::vector<Value> unless) {
    facts_[id].ask_after = after;
    facts_[id].ask_unless = std::move(unless);
  }

  bool operator==(const FactDictionary&) const = default;

 private:
  void Index(const std::string& path);
  std::vector<FactDecl> facts_;
  std::unordered_map<std::string, FactId> by_path_;
  std::unordered_map<std::string, std::vector<std::string>> children_;
  std::optional<Alternatives> alternatives_;
  /// Every path and prefix of one indexed so far ("school", "school.country"): whether a name
  /// is new among its siblings, without a scan of them.
  std::unordered_set<std::string> nodes_;
};

}  // namespace imgvisa

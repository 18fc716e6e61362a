#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "imgvisa/base/date.h"
#include "imgvisa/base/source.h"
#include "imgvisa/base/value.h"
#include "imgvisa/rules/fact_dictionary.h"

namespace imgvisa {

/// Where a rule element came from, for diagnostics: a file of the set and a byte offset.
struct Origin {
  std::uint16_t file = 0;  ///< index into RuleSet::files
  std::size_t offset = 0;
  bool operator==(const Origin&) const = default;
};

/// A date range: `from` inclusive, `until` exclusive; either may be open.
struct Effective {
  std::optional<Date> from;
  std::optional<Date> until;
  bool Contains(Date d) const { return (!from || *from <= d) && (!until || d < *until); }
  bool Overlaps(const Effective& other) const;
  bool operator==(const Effective&) const = default;
};

struct Source {
  std::string instrument;
  std::string section;
  std::string url;
  Date verified;
  /// What was read on the `verified` date (which copy, of what date), when it is not plainly
  /// the page at `url`: the record a reviewer checks the date against.
  std::string read;
  Origin origin;
  bool operator==(const Source&) const = default;
};

enum class ItemKind : std::uint8_t {
  kGate,
  kRequirement,
  kRestriction,
  kCondition,
  kNote,
  kConsequence
};
std::string_view ItemKindName(ItemKind kind);
/// Gates, requirements, restrictions and conditions decide verdicts; notes and consequences do not.
bool Decides(ItemKind kind);

/// A text with `{placeholders}` resolved at load time to facts or `let` values.
struct TextTemplate {
  struct Segment {
    enum class Kind : std::uint8_t { kLiteral, kFact, kLet } kind = Kind::kLiteral;
    std::string literal;
    int index = 0;  ///< fact id, or index into Item::lets
    bool operator==(const Segment&) const = default;
  };
  std::vector<Segment> segments;
  bool present = false;
  bool operator==(const TextTemplate&) const = default;
};

struct Item {
  std::string id;
  std::string title;
  ItemKind kind = ItemKind::kRequirement;
  int condition = -1;  ///< index into RuleSet::conditions; -1: always met
  /// The date the item is judged at, when later than the evaluation date (an expression index,
  /// -1: the evaluation date): a limit that time only uses up, judged at the position's start.
  int at = -1;
  std::vector<std::pair<std::string, int>> lets;  ///< name → expression index
  TextTemplate met_text;
  TextTemplate unmet_text;
  TextTemplate unknown_text;
  std::vector<Source> sources;
  Effective effective;
  bool is_volatile = false;
  Origin origin;
  bool operator==(const Item&) const = default;
};

struct Pathway {
  std::string id;
  std::string title;
  std::string summary;
  std::string sponsor;
  bool component = false;
  Effective effective;
  std::vector<Item> items;
  Origin origin;
  bool operator==(const Pathway&) const = default;
};

enum class ExprOp : std::uint8_t {
  kLiteral,
  kFact,
  kField,
  kAsOf,
  kMonthsBetween,
  kDaysBetween,
  kAddMonths,
  kAddDays,
  kAdd,
  kSub,
  kCount,
  kSum,
  kCoalesce
};

struct ExprNode {
  ExprOp op = ExprOp::kLiteral;
  ValueType type = ValueType::kString;
  int enum_fact = -1;  ///< for enums: the fact whose values give the meaning of the index
  Value literal;
  FactId fact = 0;  ///< kFact, kField (the field's id), kCount/kSum (the list)
  std::vector<int> args;
  int where = -1;  ///< condition, for kCount/kSum
  int of = -1;     ///< expression, for kSum
  bool operator==(const ExprNode&) const = default;
};

enum class CondOp : std::uint8_t {
  kAll,
  kAny,
  kNot,
  kCompare,
  kIn,
  kOverlaps,
  kWithin,
  kExists,
  kSome,
  kEvery,
  kRef,
  kPathway,
  kItem,
  kUnsettled,
  kInList,   ///< `in` whose values are a list fact: lhs is one of rhs's elements
  kDisjoint  ///< no two records of `list` (where children[0], if any) have overlapping periods
};
enum class CompareOp : std::uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

struct CondNode {
  CondOp op = CondOp::kAll;
  CompareOp compare = CompareOp::kEq;
  std::vector<int> children;  ///< conditions (all/any/not/ref; some/every/disjoint: where)
  int lhs = -1;               ///< kDisjoint: the first day of a record's period
  int rhs = -1;               ///< compare; kInList: the list of scalars; kDisjoint: the last day
  std::vector<Value> set;     ///< literal values of in/overlaps
  FactId list = 0;            ///< some/every/disjoint
  int target = -1;            ///< pathway index (kPathway, kItem), unsettled index (kUnsettled)
  std::string item_id;        ///< kItem
  std::uint8_t accept = 0;    ///< bit mask over verdict kinds or item statuses
  bool operator==(const CondNode&) const = default;
};

/// A fact the rules work out from others when the profile leaves it unknown
/// (docs/rule-language.md, "Derived facts"): the value of the first case whose condition is
/// met, unless a case before it is unknown.
struct Derivation {
  FactId fact = 0;
  struct Case {
    int condition = -1;
    Value value;
    bool operator==(const Case&) const = default;
  };
  std::vector<Case> cases;
  bool operator==(const Derivation&) const = default;
};

/// A point of law the sources do not settle; reaching it makes a condition unknown.
struct Unsettled {
  std::string id;
  std::string reason;
  std::string decides;
  bool operator==(const Unsettled&) const = default;
};

/// A rule set compiled for evaluation: fact paths resolved to ids, dates parsed, references
/// linked, pathways ordered so that everything a pathway references is evaluated before it.
struct RuleSet {
  std::string name;
  std::string version;
  std::string description;
  std::string root;  ///< prefix of the file names left out of the content hash
  /// The content hash of the files that make up the set (RuleSetHash), computed on first use:
  /// most commands never print it, and hashing costs more than compiling.
  const std::string& Sha256() const;
  /// For a set restored from its build-time image, which keeps the hash but not the files.
  void SetSha256(std::string sha256) { sha256_ = std::move(sha256); }
  std::vector<SourceFile> files;
  FactDictionary dictionary;
  std::vector<Pathway> pathways;
  std::vector<int> evaluation_order;  ///< pathway indexes, dependencies first
  /// Pathway indexes in the order people read them: the manifest's "order", then the rest by id.
  std::vector<std::size_t> presentation_order;
  std::vector<ExprNode> expressions;
  std::vector<CondNode> conditions;
  std::vector<Unsettled> unsettled;
  /// The derived facts, each after those its conditions read.
  std::vector<Derivation> derivations;
  std::unordered_map<std::string, int> definitions;  ///< name → condition index
  std::unordered_map<std::string, Origin> definition_origins;

  std::optional<std::size_t> FindPathway(std::string_view id) const;
  /// Member by member (files by name and text), so the build-time image can be shown to give
  /// back exactly the set compiled from JSON.
  bool operator==(const RuleSet&) const = default;

 private:
  mutable std::string sha256_;
};

}  // namespace imgvisa

#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "imgvisa/base/date.h"
#include "imgvisa/base/diagnostic.h"
#include "imgvisa/base/json_document.h"
#include "imgvisa/base/source.h"
#include "imgvisa/rules/rule_set.h"

// The compiler behind RuleSetFromFiles, one construct per file: this header holds what they
// share (the context of one compilation and its located diagnostics); compile_sections.cpp the
// top level of each file, compile_facts.cpp the fact dictionary, compile_expressions.cpp and
// compile_conditions.cpp the two arenas, compile_pathways.cpp pathways and their items, and
// link.cpp what can be checked only once every pathway is compiled.
namespace imgvisa::compiler {

using json = nlohmann::ordered_json;

/// `message`, with "; did you mean …?" when one of `candidates` is close to `word`.
std::string WithSuggestion(std::string message, std::string_view word,
                           const std::vector<std::string>& candidates);
/// The JSON type of `v` as diagnostics name it: "integer" and "number" told apart.
std::string JsonTypeName(const json& v);
/// A fact, field or let name: a-z, 0-9 and _, segments joined by '.' when `dotted`.
bool ValidName(const std::string& s, bool dotted);
/// A pathway or item id: kebab-case.
bool ValidId(const std::string& s);

inline bool IsNumeric(ValueType t) { return t == ValueType::kInteger || t == ValueType::kNumber; }
inline bool IsLiteral(const json& j) { return j.is_string() || j.is_number() || j.is_boolean(); }

/// What a compiled expression produces, for type checks.
struct Typed {
  int index = -1;
  ValueType type = ValueType::kString;
  int enum_fact = -1;
  bool ok() const { return index >= 0; }
};

/// Where we are while compiling a condition.
struct Scope {
  std::uint16_t file = 0;
  int pathway = -1;            ///< pathway being compiled, -1 inside a definition
  std::size_t item_count = 0;  ///< items of that pathway compiled so far (for same-pathway refs)
  std::optional<FactId> list;  ///< record list whose fields {"field": …} reads
  std::set<int>* deps = nullptr;
};

/// A definition found by the scan of the top level, compiled on its first use.
struct PendingDefinition {
  std::uint16_t file = 0;
  std::string pointer;
  const json* body = nullptr;
  int state = 0;  ///< 0 not compiled, 1 compiling, 2 done
  int condition = -1;
  std::set<int> deps;
};

/// A fact's "dated" or "derive", compiled once every fact is declared.
struct FactExtras {
  FactId fact = 0;
  std::uint16_t file = 0;
  std::string pointer;
  const json* dated = nullptr;
  const json* derive = nullptr;
  const json* ask = nullptr;
};

/// A reference to an item of another pathway, checked once every pathway is compiled.
struct ItemRef {
  int pathway;
  std::string item;
  std::uint16_t file;
  std::string pointer;
};

/// One compilation: the set being built, the documents it is built from, the diagnostics, and
/// what the scan of the top level found for the passes after it.
struct CompileContext {
  /// Diagnostics go to `out`; the other arguments are those of RuleSetFromFiles.
  CompileContext(std::vector<SourceFile> files, std::string_view root_prefix, bool with_positions,
                 std::vector<Diagnostic>& out);

  // ---- located diagnostics -----------------------------------------------------------------

  void Error(std::string code, std::string message, std::uint16_t file, const std::string& pointer,
             bool at_key = false);
  std::size_t OffsetOf(std::uint16_t file, const std::string& pointer) const;
  /// Reports keys of `object` outside `allowed`, with a suggestion.
  void CheckKeys(const json& object, std::initializer_list<const char*> allowed, std::uint16_t file,
                 const std::string& pointer, std::string_view what);
  /// The member `key` if present and of the expected JSON type; reports otherwise.
  const json* Member(const json& object, const char* key, json::value_t type, bool required,
                     std::uint16_t file, const std::string& pointer, std::string_view what);
  std::string StringMember(const json& object, const char* key, bool required, std::uint16_t file,
                           const std::string& pointer, std::string_view what);
  std::optional<Date> DateMember(const json& object, const char* key, bool required,
                                 std::uint16_t file, const std::string& pointer,
                                 std::string_view what);
  /// The single operator key of a condition or expression object.
  std::optional<std::string> OperatorOf(const json& j, std::uint16_t file,
                                        const std::string& pointer,
                                        const std::vector<std::string>& ops, std::string_view what,
                                        std::initializer_list<const char*> companions = {});
  /// Reports `path` as no declared fact, suggesting a close one.
  void UnknownFact(const std::string& path, std::uint16_t file, const std::string& pointer);

  // ---- the arenas --------------------------------------------------------------------------

  int AddCondition(CondNode node);
  int AddExpression(ExprNode node);

  RuleSet rules;
  std::vector<Diagnostic>& diagnostics;
  std::string root;
  bool positions = true;
  std::vector<JsonDocument> docs;
  int manifests = 0;
  const json* order = nullptr;  ///< the manifest's "order"
  std::uint16_t order_file = 0;
  const json* alternatives = nullptr;  ///< the manifest's "alternatives"
  std::uint16_t alternatives_file = 0;
  std::map<std::string, PendingDefinition> pending_definitions;
  std::map<std::string, int> pathway_ids;
  std::vector<std::pair<std::uint16_t, int>> pathway_sources;  ///< file, pathway index
  std::vector<std::set<int>> pathway_deps;                     ///< by pathway index
  std::vector<ItemRef> item_refs;
  std::vector<FactExtras> fact_extras;
};

// ---- compile_sections.cpp ------------------------------------------------------------------

/// The top level of file `f`: the manifest checked, facts compiled, definitions and the pathway
/// registered for the passes that follow (definitions may be used before they are declared).
void ScanSections(CompileContext& c, std::uint16_t f);

// ---- compile_facts.cpp ---------------------------------------------------------------------

/// Declares `path` (a field of `list`, if given) in the dictionary.
void CompileFact(CompileContext& c, std::uint16_t f, const std::string& path, const json& decl,
                 const std::string& pointer, std::optional<FactId> list);

// ---- compile_expressions.cpp ---------------------------------------------------------------

/// Turns a JSON literal into a value of `want` (the type of the other operand).
std::optional<Value> Coerce(CompileContext& c, const json& j, const Typed& want, std::uint16_t f,
                            const std::string& pointer);
/// Adds `v` as a literal expression, typed like `like` unless it is a number.
Typed LiteralExpr(CompileContext& c, Value v, const Typed& like);
/// An operand; a literal takes the type of `hint` when it has one.
Typed CompileExpr(CompileContext& c, const json& j, Scope& scope, const std::string& pointer,
                  Typed hint);

// ---- compile_conditions.cpp ----------------------------------------------------------------

/// The index of the compiled condition, or -1 when it has an error (reported).
int CompileCondition(CompileContext& c, const json& j, Scope& scope, const std::string& pointer);
/// Returns the condition index of a definition, compiling it on first use; -2 for a definition
/// already being compiled (a cycle, reported by the caller).
int CompileDefinition(CompileContext& c, const std::string& name);
/// The record list named by "list" in `arg`.
std::optional<FactId> ListFact(CompileContext& c, const json& arg, const Scope& scope,
                               const std::string& pointer);

// ---- compile_fact_time.cpp -----------------------------------------------------------------

/// The manifest's "alternatives": once the dictionary is complete.
void CompileAlternatives(CompileContext& c);
/// The "dated" of every fact that has one: once the dictionary is complete.
void CompileDatings(CompileContext& c);
/// "ask" of every fact: the fact asked before it and the answers that make it not worth asking.
void CompileAskOrders(CompileContext& c);
/// The "derive" of every fact that has one, ordered so that a derived fact comes after those its
/// conditions read (a cycle refused): once the definitions are compiled.
void CompileDerivations(CompileContext& c);

// ---- compile_pathways.cpp ------------------------------------------------------------------

/// The pathway of file `f`, registered by the scan as pathway `index`, with its items.
void CompilePathway(CompileContext& c, std::uint16_t f, int index);

// ---- link.cpp ------------------------------------------------------------------------------

/// References to items of other pathways checked, pathways ordered for evaluation (a cycle
/// refused) and for presentation.
void LinkPathways(CompileContext& c);

}  // namespace imgvisa::compiler

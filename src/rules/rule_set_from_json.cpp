#include "imgvisa/rules/rule_set_from_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <utility>

#include "base/sha256.h"
#include "imgvisa/base/json_document.h"
#include "imgvisa/base/suggest.h"
#include "imgvisa/engine/verdict.h"

namespace imgvisa {

using json = nlohmann::ordered_json;

std::string_view ItemKindName(ItemKind kind) {
  switch (kind) {
    case ItemKind::kGate:
      return "gate";
    case ItemKind::kRequirement:
      return "requirement";
    case ItemKind::kRestriction:
      return "restriction";
    case ItemKind::kCondition:
      return "condition";
    case ItemKind::kNote:
      return "note";
    case ItemKind::kConsequence:
      return "consequence";
  }
  return "requirement";
}

bool Decides(ItemKind kind) { return kind != ItemKind::kNote && kind != ItemKind::kConsequence; }

bool Effective::Overlaps(const Effective& o) const {
  const bool this_ends_before = until && o.from && *until <= *o.from;
  const bool other_ends_before = o.until && from && *o.until <= *from;
  return !this_ends_before && !other_ends_before;
}

const std::string& RuleSet::Sha256() const {
  if (sha256_.empty()) sha256_ = RuleSetHash(files, root);
  return sha256_;
}

std::optional<std::size_t> RuleSet::FindPathway(std::string_view id) const {
  for (std::size_t i = 0; i < pathways.size(); ++i) {
    if (pathways[i].id == id) return i;
  }
  return std::nullopt;
}

namespace {

std::string WithSuggestion(std::string message, std::string_view word,
                           const std::vector<std::string>& candidates) {
  // Candidates are names from the rule files: escaped like any other echoed input.
  if (auto s = Suggest(word, candidates)) {
    message += fmt::format("; did you mean \"{}\"?", EscapeForDisplay(*s));
  }
  return message;
}

std::string JsonTypeName(const json& v) {
  if (v.is_number_integer()) return "integer";
  if (v.is_number()) return "number";
  return v.type_name();
}

// What a compiled expression produces, for type checks.
struct Typed {
  int index = -1;
  ValueType type = ValueType::kString;
  int enum_fact = -1;
  bool ok() const { return index >= 0; }
};

// Where we are while compiling a condition.
struct Context {
  std::uint16_t file = 0;
  int pathway = -1;            // pathway being compiled, -1 inside a definition
  std::size_t item_count = 0;  // items of that pathway compiled so far (for same-pathway refs)
  std::optional<FactId> list;  // record list whose fields {"field": …} reads
  std::set<int>* deps = nullptr;
};

constexpr const char* kConditionOps[] = {"all",      "any",    "not",       "eq",     "ne",
                                         "lt",       "le",     "gt",        "ge",     "in",
                                         "overlaps", "exists", "some",      "every",  "ref",
                                         "pathway",  "item",   "unsettled", "within", "disjoint"};
constexpr const char* kExpressionOps[] = {
    "fact", "field", "as_of", "date", "months_between", "days_between", "add_months", "add_days",
    "add",  "sub",   "count", "sum",  "coalesce"};

class Compiler {
 public:
  Compiler(std::vector<SourceFile> files, std::string_view root, bool positions,
           std::vector<Diagnostic>& diagnostics)
      : diagnostics_(diagnostics), root_(root), positions_(positions) {
    rs_.files = std::move(files);
  }

  /// Gives the files back, for a second run with positions.
  std::vector<SourceFile> TakeFiles() { return std::move(rs_.files); }

  std::optional<RuleSet> Run() {
    for (std::size_t i = 0; i < rs_.files.size(); ++i) {
      std::vector<Diagnostic> parse_diagnostics;
      docs_.push_back(ParseJson(rs_.files[i], parse_diagnostics, positions_));
      for (auto& d : parse_diagnostics) diagnostics_.push_back(std::move(d));
    }
    if (rs_.files.empty()) {
      diagnostics_.push_back(Diagnostic{Severity::kError, "E030", "the rule set has no files",
                                        "<rules>", std::nullopt});
    }
    for (std::uint16_t f = 0; f < docs_.size(); ++f) ScanTopLevel(f);
    if (manifests_ == 0 && !rs_.files.empty()) {
      diagnostics_.push_back(Diagnostic{Severity::kError, "E030",
                                        "no file of the rule set has a \"ruleset\" section "
                                        "(name and version)",
                                        rs_.files[0].name(), std::size_t{0}});
    }
    for (auto& [name, def] : pending_definitions_) CompileDefinition(name);
    for (auto& [file, index] : pathway_sources_) CompilePathway(file, index);
    OrderPathways();
    PresentationOrder();
    rs_.root = root_;
    for (std::size_t i = 0; i < rs_.files.size(); ++i) Locate(diagnostics_, rs_.files[i]);
    if (HasErrors(diagnostics_)) return std::nullopt;
    return std::move(rs_);
  }

 private:
  // ---- diagnostics -------------------------------------------------------------------------

  void Error(std::string code, std::string message, std::uint16_t file, const std::string& pointer,
             bool at_key = false) {
    const JsonDocument& doc = docs_[file];
    const std::size_t offset = at_key ? doc.KeyOffsetOf(pointer) : doc.OffsetOf(pointer);
    diagnostics_.push_back(Diagnostic{Severity::kError, std::move(code), std::move(message),
                                      rs_.files[file].name(), offset});
  }

  std::size_t OffsetOf(std::uint16_t file, const std::string& pointer) const {
    return docs_[file].OffsetOf(pointer);
  }

  // Reports keys of `object` outside `allowed`, with a suggestion.
  void CheckKeys(const json& object, std::initializer_list<const char*> allowed, std::uint16_t file,
                 const std::string& pointer, std::string_view what) {
    std::vector<std::string> names(allowed.begin(), allowed.end());
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (std::find(names.begin(), names.end(), it.key()) != names.end()) continue;
      Error(
          "E010",
          WithSuggestion(fmt::format("unknown key \"{}\" in {}", EscapeForDisplay(it.key()), what),
                         it.key(), names),
          file, AppendPointer(pointer, it.key()), true);
    }
  }

  // The member `key` if present and of the expected JSON type; reports otherwise.
  const json* Member(const json& object, const char* key, json::value_t type, bool required,
                     std::uint16_t file, const std::string& pointer, std::string_view what) {
    auto it = object.find(key);
    if (it == object.end()) {
      if (required) Error("E012", fmt::format("{} needs \"{}\"", what, key), file, pointer);
      return nullptr;
    }
    const bool fits = type == json::value_t::number_integer ? it->is_number_integer()
                      : type == json::value_t::number_float ? it->is_number()
                                                            : it->type() == type;
    if (!fits) {
      const char* expected = type == json::value_t::string    ? "a string"
                             : type == json::value_t::object  ? "an object"
                             : type == json::value_t::array   ? "an array"
                             : type == json::value_t::boolean ? "true or false"
                                                              : "a number";
      Error("E011",
            fmt::format("\"{}\" in {} must be {}, not {}", key, what, expected, JsonTypeName(*it)),
            file, AppendPointer(pointer, key));
      return nullptr;
    }
    return &*it;
  }

  std::string StringMember(const json& object, const char* key, bool required, std::uint16_t file,
                           const std::string& pointer, std::string_view what) {
    const json* v = Member(object, key, json::value_t::string, required, file, pointer, what);
    if (v != nullptr && required && v->get_ref<const std::string&>().empty()) {
      Error("E013", fmt::format("\"{}\" in {} must not be empty", key, what), file,
            AppendPointer(pointer, key));
    }
    return v ? v->get<std::string>() : std::string();
  }

  std::optional<Date> DateMember(const json& object, const char* key, bool required,
                                 std::uint16_t file, const std::string& pointer,
                                 std::string_view what) {
    const json* v = Member(object, key, json::value_t::string, required, file, pointer, what);
    if (v == nullptr) return std::nullopt;
    auto date = ParseIsoDate(v->get_ref<const std::string&>());
    if (!date) {
      Error("E013",
            fmt::format("\"{}\" in {} must be a date YYYY-MM-DD, not \"{}\"", key, what,
                        EscapeForDisplay(v->get_ref<const std::string&>())),
            file, AppendPointer(pointer, key));
    }
    return date;
  }

  // ---- top level ---------------------------------------------------------------------------

  void ScanTopLevel(std::uint16_t f) {
    const JsonDocument& doc = docs_[f];
    if (!doc.ok) return;
    const json& root = doc.value;
    if (!root.is_object()) {
      Error("E011", fmt::format("a rule file must hold a JSON object, not {}", JsonTypeName(root)),
            f, "");
      return;
    }
    CheckKeys(root, {"$schema", "$comment", "ruleset", "facts", "definitions", "pathway", "tests"},
              f, "", "a rule file");
    if (const json* m =
            Member(root, "ruleset", json::value_t::object, false, f, "", "a rule file")) {
      ++manifests_;
      if (manifests_ > 1) {
        Error("E030", "a second \"ruleset\" section: a rule set has exactly one", f, "/ruleset",
              true);
      }
      CheckKeys(*m, {"name", "version", "description", "order"}, f, "/ruleset",
                "the ruleset section");
      if (const json* order = Member(*m, "order", json::value_t::array, false, f, "/ruleset",
                                     "the ruleset section")) {
        order_ = order;
        order_file_ = f;
      }
      rs_.name = StringMember(*m, "name", true, f, "/ruleset", "the ruleset section");
      rs_.version = StringMember(*m, "version", true, f, "/ruleset", "the ruleset section");
      rs_.description =
          StringMember(*m, "description", false, f, "/ruleset", "the ruleset section");
    }
    if (const json* facts =
            Member(root, "facts", json::value_t::object, false, f, "", "a rule file")) {
      for (auto it = facts->begin(); it != facts->end(); ++it) {
        CompileFact(f, it.key(), it.value(), AppendPointer("/facts", it.key()), std::nullopt);
      }
    }
    if (const json* defs =
            Member(root, "definitions", json::value_t::object, false, f, "", "a rule file")) {
      for (auto it = defs->begin(); it != defs->end(); ++it) {
        const std::string pointer = AppendPointer("/definitions", it.key());
        if (pending_definitions_.count(it.key())) {
          const auto& first = pending_definitions_[it.key()];
          const LineCol at = rs_.files[first.file].ToLineCol(OffsetOf(first.file, first.pointer));
          Error("E020",
                fmt::format("definition \"{}\" is defined twice (first in {}:{}:{})", it.key(),
                            rs_.files[first.file].name(), at.line, at.column),
                f, pointer, true);
          continue;
        }
        pending_definitions_[it.key()] = PendingDefinition{f, pointer, &it.value()};
      }
    }
    if (const json* p =
            Member(root, "pathway", json::value_t::object, false, f, "", "a rule file")) {
      const json* id = Member(*p, "id", json::value_t::string, true, f, "/pathway", "a pathway");
      if (id != nullptr) {
        const std::string& name = id->get_ref<const std::string&>();
        if (pathway_ids_.count(name)) {
          Error("E020", fmt::format("pathway id \"{}\" is used twice", name), f, "/pathway/id");
          return;
        }
        const int index = static_cast<int>(rs_.pathways.size());
        pathway_ids_[name] = index;
        rs_.pathways.emplace_back();
        rs_.pathways.back().id = name;
        pathway_sources_.emplace_back(f, index);
        pathway_deps_.emplace_back();
      }
    }
  }

  // ---- facts -------------------------------------------------------------------------------

  static bool ValidName(const std::string& s, bool dotted) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    char previous = 0;
    for (char c : s) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                      (dotted && c == '.' && previous != '.');
      if (!ok) return false;
      previous = c;
    }
    return true;
  }

  std::optional<ValueType> ParseType(const std::string& name) {
    static const std::map<std::string, ValueType> kTypes = {
        {"bool", ValueType::kBool},     {"integer", ValueType::kInteger},
        {"number", ValueType::kNumber}, {"string", ValueType::kString},
        {"enum", ValueType::kEnum},     {"date", ValueType::kDate},
        {"list", ValueType::kList}};
    auto it = kTypes.find(name);
    if (it == kTypes.end()) return std::nullopt;
    return it->second;
  }

  static std::vector<std::string> TypeNames() {
    return {"bool", "integer", "number", "string", "enum", "date", "list"};
  }

  std::vector<std::string> EnumValues(const json& decl, std::uint16_t f,
                                      const std::string& pointer) {
    std::vector<std::string> values;
    const json* v = Member(decl, "values", json::value_t::array, true, f, pointer, "an enum fact");
    if (v == nullptr) return values;
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) {
        Error("E011", "enum values must be strings", f,
              AppendPointer(AppendPointer(pointer, "values"), i));
        continue;
      }
      const std::string s = (*v)[i].get<std::string>();
      if (std::find(values.begin(), values.end(), s) != values.end()) {
        Error("E020", fmt::format("enum value \"{}\" is listed twice", EscapeForDisplay(s)), f,
              AppendPointer(AppendPointer(pointer, "values"), i));
      }
      values.push_back(s);
    }
    if (values.empty())
      Error("E013", "an enum needs at least one value", f, AppendPointer(pointer, "values"));
    return values;
  }

  void CompileFact(std::uint16_t f, const std::string& path, const json& decl,
                   const std::string& pointer, std::optional<FactId> list) {
    const char* what = list ? "a record field" : "a fact";
    if (!ValidName(path, !list)) {
      Error("E013",
            fmt::format("\"{}\" is not a valid {} name (lower-case letters, digits and _{})",
                        EscapeForDisplay(path), list ? "field" : "fact",
                        list ? "" : ", segments joined by '.'"),
            f, pointer, true);
      return;
    }
    if (!decl.is_object()) {
      Error("E011", fmt::format("the declaration of \"{}\" must be an object", path), f, pointer);
      return;
    }
    CheckKeys(decl,
              {"type", "values", "items", "fields", "minimum", "maximum", "unit", "description",
               "question", "example", "change"},
              f, pointer, what);
    FactDecl d;
    d.path = path;
    d.field_name = path;
    d.file = rs_.files[f].name();
    d.offset = docs_[f].KeyOffsetOf(pointer);
    d.description = StringMember(decl, "description", true, f, pointer, what);
    d.question = StringMember(decl, "question", !list, f, pointer, what);
    d.unit = StringMember(decl, "unit", false, f, pointer, what);
    if (auto it = decl.find("example"); it != decl.end() && !it->is_null()) {
      d.example = it->dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    }
    const std::string type_name = StringMember(decl, "type", true, f, pointer, what);
    auto type = ParseType(type_name);
    if (!type) {
      if (!type_name.empty()) {
        Error("E013",
              WithSuggestion(fmt::format("unknown fact type \"{}\"", EscapeForDisplay(type_name)),
                             type_name, TypeNames()),
              f, AppendPointer(pointer, "type"));
      }
      return;
    }
    d.type = *type;
    if (d.type == ValueType::kEnum) d.values = EnumValues(decl, f, pointer);
    for (const char* bound : {"minimum", "maximum"}) {
      if (const json* b =
              Member(decl, bound, json::value_t::number_float, false, f, pointer, what)) {
        if (d.type != ValueType::kInteger && d.type != ValueType::kNumber) {
          Error("E013", fmt::format("\"{}\" applies only to integer and number facts", bound), f,
                AppendPointer(pointer, bound), true);
        }
        (std::string_view(bound) == "minimum" ? d.minimum : d.maximum) = b->get<double>();
      }
    }
    const json* items = nullptr;
    const json* fields = nullptr;
    if (d.type == ValueType::kList) {
      if (list) {
        Error("E013", "a record field cannot be a list (lists do not nest)", f,
              AppendPointer(pointer, "type"));
        return;
      }
      items = Member(decl, "items", json::value_t::object, false, f, pointer, what);
      fields = Member(decl, "fields", json::value_t::object, false, f, pointer, what);
      if ((items == nullptr) == (fields == nullptr)) {
        Error("E012",
              "a list fact needs exactly one of \"items\" (scalars) or \"fields\" (records)", f,
              pointer);
        return;
      }
      if (items != nullptr) {
        const std::string ip = AppendPointer(pointer, "items");
        CheckKeys(*items, {"type", "values"}, f, ip, "list items");
        const std::string item_type = StringMember(*items, "type", true, f, ip, "list items");
        auto t = ParseType(item_type);
        if (!t || *t == ValueType::kList) {
          Error("E013",
                fmt::format("list items must be a scalar type, not \"{}\"",
                            EscapeForDisplay(item_type)),
                f, AppendPointer(ip, "type"));
          return;
        }
        d.item_type = *t;
        if (*t == ValueType::kEnum) d.values = EnumValues(*items, f, ip);
      }
    } else {
      for (const char* key : {"items", "fields"}) {
        if (decl.contains(key)) {
          Error("E013", fmt::format("\"{}\" applies only to list facts", key), f,
                AppendPointer(pointer, key), true);
        }
      }
    }
    if (const json* change =
            Member(decl, "change", json::value_t::object, false, f, pointer, what)) {
      d.change = CompileChange(*change, d, f, AppendPointer(pointer, "change"));
    }
    std::optional<FactId> id;
    if (list) {
      id = rs_.dictionary.AddField(*list, d);
    } else {
      id = rs_.dictionary.Add(d);
    }
    if (!id) {
      Error("E020",
            fmt::format("fact \"{}\" is declared twice, or clashes with the prefix of another fact",
                        path),
            f, pointer, true);
      return;
    }
    if (fields != nullptr) {
      const std::string fp = AppendPointer(pointer, "fields");
      for (auto it = fields->begin(); it != fields->end(); ++it) {
        CompileFact(f, it.key(), it.value(), AppendPointer(fp, it.key()), *id);
      }
    }
  }

  std::optional<FactChangeSpec> CompileChange(const json& change, const FactDecl& d,
                                              std::uint16_t f, const std::string& pointer) {
    CheckKeys(change, {"to", "step", "lead_time_days"}, f, pointer, "a change");
    if (d.type == ValueType::kList) {
      Error("E013", "only scalar facts can declare a change", f, pointer);
      return std::nullopt;
    }
    FactChangeSpec spec;
    spec.step = StringMember(change, "step", true, f, pointer, "a change");
    if (const json* days = Member(change, "lead_time_days", json::value_t::number_integer, true, f,
                                  pointer, "a change")) {
      spec.lead_time_days = days->get<int>();
      if (spec.lead_time_days < 0) {
        Error("E013", "\"lead_time_days\" must not be negative", f,
              AppendPointer(pointer, "lead_time_days"));
      }
    }
    auto to = change.find("to");
    if (to == change.end()) {
      Error("E012", "a change needs \"to\"", f, pointer);
      return std::nullopt;
    }
    Typed want{0, d.type, -1};
    if (d.type == ValueType::kEnum) {
      // The fact is not in the dictionary yet: check the value against its own list.
      if (!to->is_string() ||
          std::find(d.values.begin(), d.values.end(), to->get<std::string>()) == d.values.end()) {
        Error("E026", fmt::format("\"to\" must be one of {}", fmt::join(d.values, ", ")), f,
              AppendPointer(pointer, "to"));
        return std::nullopt;
      }
      spec.to = Value::Enum(std::find(d.values.begin(), d.values.end(), to->get<std::string>()) -
                            d.values.begin());
      return spec;
    }
    auto value = Coerce(*to, want, f, AppendPointer(pointer, "to"));
    if (!value) return std::nullopt;
    spec.to = std::move(*value);
    return spec;
  }

  // ---- definitions -------------------------------------------------------------------------

  struct PendingDefinition {
    std::uint16_t file = 0;
    std::string pointer;
    const json* body = nullptr;
    int state = 0;  // 0 not compiled, 1 compiling, 2 done
    int condition = -1;
    std::set<int> deps;
  };

  // Returns the condition index of a definition, compiling it on first use.
  int CompileDefinition(const std::string& name) {
    PendingDefinition& def = pending_definitions_[name];
    if (def.state == 2) return def.condition;
    if (def.state == 1) return -2;  // cycle; reported by the caller
    def.state = 1;
    Context ctx;
    ctx.file = def.file;
    ctx.deps = &def.deps;
    const int c = CompileCondition(*def.body, ctx, def.pointer);
    PendingDefinition& done = pending_definitions_[name];
    done.state = 2;
    done.condition = c;
    if (c >= 0) {
      rs_.definitions[name] = c;
      rs_.definition_origins[name] = Origin{done.file, docs_[done.file].KeyOffsetOf(done.pointer)};
    }
    return c;
  }

  // ---- pathways ----------------------------------------------------------------------------

  Effective CompileEffective(const json& owner, std::uint16_t f, const std::string& pointer) {
    Effective e;
    const json* eff =
        Member(owner, "effective", json::value_t::object, false, f, pointer, "an element");
    if (eff == nullptr) return e;
    const std::string ep = AppendPointer(pointer, "effective");
    CheckKeys(*eff, {"from", "until"}, f, ep, "an effective range");
    e.from = DateMember(*eff, "from", false, f, ep, "an effective range");
    e.until = DateMember(*eff, "until", false, f, ep, "an effective range");
    if (e.from && e.until && *e.from >= *e.until) {
      Error("E029",
            fmt::format("effective range is empty: \"from\" {} is not before \"until\" {}",
                        e.from->ToString(), e.until->ToString()),
            f, ep);
    }
    return e;
  }

  void CompilePathway(std::uint16_t f, int index) {
    const json& p = docs_[f].value["pathway"];
    const std::string pointer = "/pathway";
    Pathway& out = rs_.pathways[index];
    out.origin = {f, OffsetOf(f, pointer)};
    CheckKeys(p, {"id", "title", "summary", "sponsor", "component", "effective", "items"}, f,
              pointer, "a pathway");
    if (!ValidId(out.id)) {
      Error("E013",
            fmt::format("pathway id \"{}\" must be kebab-case (a-z, 0-9, '-')",
                        EscapeForDisplay(out.id)),
            f, "/pathway/id");
    }
    out.title = StringMember(p, "title", true, f, pointer, "a pathway");
    out.summary = StringMember(p, "summary", true, f, pointer, "a pathway");
    out.sponsor = StringMember(p, "sponsor", true, f, pointer, "a pathway");
    if (const json* c =
            Member(p, "component", json::value_t::boolean, false, f, pointer, "a pathway")) {
      out.component = c->get<bool>();
    }
    out.effective = CompileEffective(p, f, pointer);
    const json* items = Member(p, "items", json::value_t::array, true, f, pointer, "a pathway");
    if (items == nullptr) return;
    if (items->empty()) Error("E013", "a pathway needs at least one item", f, "/pathway/items");
    for (std::size_t i = 0; i < items->size(); ++i) {
      const std::string ip = AppendPointer("/pathway/items", i);
      Context ctx;
      ctx.file = f;
      ctx.pathway = index;
      ctx.item_count = rs_.pathways[index].items.size();
      ctx.deps = &pathway_deps_[static_cast<std::size_t>(index)];
      CompileItem((*items)[i], ctx, ip);
    }
  }

  static bool ValidId(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    return true;
  }

  void CompileItem(const json& j, Context& ctx, const std::string& pointer) {
    const std::uint16_t f = ctx.file;
    if (!j.is_object()) {
      Error("E011", "an item must be an object", f, pointer);
      return;
    }
    CheckKeys(j,
              {"id", "kind", "title", "condition", "let", "text", "sources", "effective",
               "volatile", "$comment"},
              f, pointer, "an item");
    Item item;
    item.origin = {f, OffsetOf(f, pointer)};
    item.id = StringMember(j, "id", true, f, pointer, "an item");
    if (!item.id.empty() && !ValidId(item.id)) {
      Error("E013",
            fmt::format("item id \"{}\" must be kebab-case (a-z, 0-9, '-')",
                        EscapeForDisplay(item.id)),
            f, AppendPointer(pointer, "id"));
    }
    item.title = StringMember(j, "title", true, f, pointer, "an item");
    const std::string kind = StringMember(j, "kind", true, f, pointer, "an item");
    static const std::vector<std::string> kKinds = {"gate",      "requirement", "restriction",
                                                    "condition", "note",        "consequence"};
    auto k = std::find(kKinds.begin(), kKinds.end(), kind);
    if (k == kKinds.end()) {
      if (!kind.empty()) {
        Error("E013",
              WithSuggestion(fmt::format("unknown item kind \"{}\"", EscapeForDisplay(kind)), kind,
                             kKinds),
              f, AppendPointer(pointer, "kind"));
      }
      return;
    }
    item.kind = static_cast<ItemKind>(k - kKinds.begin());
    if (const json* v =
            Member(j, "volatile", json::value_t::boolean, false, f, pointer, "an item")) {
      item.is_volatile = v->get<bool>();
    }
    item.effective = CompileEffective(j, f, pointer);
    if (auto it = j.find("condition"); it != j.end()) {
      item.condition = CompileCondition(*it, ctx, AppendPointer(pointer, "condition"));
    } else if (Decides(item.kind)) {
      Error("E012", fmt::format("a {} item needs a \"condition\"", kind), f, pointer);
    }
    if (const json* lets = Member(j, "let", json::value_t::object, false, f, pointer, "an item")) {
      for (auto it = lets->begin(); it != lets->end(); ++it) {
        if (!ValidName(it.key(), false)) {
          Error("E013",
                fmt::format("let name \"{}\" must use a-z, 0-9 and _", EscapeForDisplay(it.key())),
                f, AppendPointer(AppendPointer(pointer, "let"), it.key()), true);
          continue;
        }
        Typed t = CompileExpr(it.value(), ctx,
                              AppendPointer(AppendPointer(pointer, "let"), it.key()), {});
        if (t.ok()) item.lets.emplace_back(it.key(), t.index);
      }
    }
    if (const json* text = Member(j, "text", json::value_t::object, true, f, pointer, "an item")) {
      const std::string tp = AppendPointer(pointer, "text");
      CheckKeys(*text, {"met", "unmet", "unknown"}, f, tp, "a text");
      item.met_text = CompileText(*text, "met", true, item, f, tp);
      item.unmet_text = CompileText(*text, "unmet", Decides(item.kind), item, f, tp);
      item.unknown_text = CompileText(*text, "unknown", false, item, f, tp);
    }
    if (const json* sources =
            Member(j, "sources", json::value_t::array, true, f, pointer, "an item")) {
      if (sources->empty()) {
        Error("E031",
              fmt::format("item \"{}\" cites no source: every item needs at least one", item.id), f,
              AppendPointer(pointer, "sources"));
      }
      for (std::size_t i = 0; i < sources->size(); ++i) {
        const std::string sp = AppendPointer(AppendPointer(pointer, "sources"), i);
        const json& s = (*sources)[i];
        if (!s.is_object()) {
          Error("E011", "a source must be an object", f, sp);
          continue;
        }
        CheckKeys(s, {"instrument", "section", "url", "verified"}, f, sp, "a source");
        Source src;
        src.origin = {f, OffsetOf(f, sp)};
        src.instrument = StringMember(s, "instrument", true, f, sp, "a source");
        src.section = StringMember(s, "section", false, f, sp, "a source");
        src.url = StringMember(s, "url", false, f, sp, "a source");
        if (auto d = DateMember(s, "verified", true, f, sp, "a source")) src.verified = *d;
        item.sources.push_back(std::move(src));
      }
    } else if (!j.contains("sources")) {
      // Member already reported E012; say it in the words of the rule too.
      diagnostics_.back().code = "E031";
      diagnostics_.back().message =
          fmt::format("item \"{}\" cites no source: every item needs \"sources\"", item.id);
    }
    Pathway& pathway = rs_.pathways[static_cast<std::size_t>(ctx.pathway)];
    for (const Item& other : pathway.items) {
      if (other.id == item.id && other.effective.Overlaps(item.effective)) {
        const LineCol at = rs_.files[other.origin.file].ToLineCol(other.origin.offset);
        Error("E028",
              fmt::format("item \"{}\" has another version whose effective range overlaps this one "
                          "(line {}); versions of one item must not overlap",
                          item.id, at.line),
              f, AppendPointer(pointer, "id"));
        break;
      }
    }
    pathway.items.push_back(std::move(item));
  }

  TextTemplate CompileText(const json& text, const char* key, bool required, const Item& item,
                           std::uint16_t f, const std::string& pointer) {
    TextTemplate t;
    const std::string s = StringMember(text, key, required, f, pointer, "a text");
    if (!text.contains(key)) return t;
    t.present = true;
    const std::string tp = AppendPointer(pointer, key);
    std::string literal;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '{') {
        literal += s[i];
        continue;
      }
      if (i + 1 < s.size() && s[i + 1] == '{') {
        literal += '{';
        ++i;
        continue;
      }
      const std::size_t close = s.find('}', i);
      if (close == std::string::npos) {
        Error("E025", "unclosed '{' in text (write '{{' for a literal brace)", f, tp);
        return t;
      }
      const std::string name = s.substr(i + 1, close - i - 1);
      i = close;
      if (!literal.empty()) {
        t.segments.push_back({TextTemplate::Segment::Kind::kLiteral, std::move(literal), 0});
        literal.clear();
      }
      auto let = std::find_if(item.lets.begin(), item.lets.end(),
                              [&](const auto& l) { return l.first == name; });
      if (let != item.lets.end()) {
        t.segments.push_back(
            {TextTemplate::Segment::Kind::kLet, "", static_cast<int>(let - item.lets.begin())});
        continue;
      }
      auto fact = rs_.dictionary.Find(name);
      if (fact && !rs_.dictionary.at(*fact).list) {
        t.segments.push_back({TextTemplate::Segment::Kind::kFact, "", *fact});
        continue;
      }
      std::vector<std::string> candidates;
      for (const auto& l : item.lets) candidates.push_back(l.first);
      for (const FactDecl& d : rs_.dictionary.facts()) {
        if (!d.list) candidates.push_back(d.path);
      }
      Error("E025",
            WithSuggestion(fmt::format("text placeholder {{{}}} names no fact and no let value",
                                       EscapeForDisplay(name)),
                           name, candidates),
            f, tp);
    }
    if (!literal.empty()) {
      t.segments.push_back({TextTemplate::Segment::Kind::kLiteral, std::move(literal), 0});
    }
    return t;
  }

  // ---- conditions --------------------------------------------------------------------------

  int AddCondition(CondNode node) {
    rs_.conditions.push_back(std::move(node));
    return static_cast<int>(rs_.conditions.size()) - 1;
  }

  int AddExpression(ExprNode node) {
    rs_.expressions.push_back(std::move(node));
    return static_cast<int>(rs_.expressions.size()) - 1;
  }

  // The single operator key of a condition or expression object.
  std::optional<std::string> OperatorOf(const json& j, std::uint16_t f, const std::string& pointer,
                                        const std::vector<std::string>& ops, std::string_view what,
                                        std::initializer_list<const char*> companions = {}) {
    std::optional<std::string> op;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (std::find(companions.begin(), companions.end(), it.key()) != companions.end()) continue;
      if (std::find(ops.begin(), ops.end(), it.key()) == ops.end()) {
        Error("E010",
              WithSuggestion(
                  fmt::format("unknown {} operator \"{}\"", what, EscapeForDisplay(it.key())),
                  it.key(), ops),
              f, AppendPointer(pointer, it.key()), true);
        return std::nullopt;
      }
      if (op) {
        Error("E013",
              fmt::format("a {} object holds one operator, found \"{}\" and \"{}\"", what, *op,
                          it.key()),
              f, AppendPointer(pointer, it.key()), true);
        return std::nullopt;
      }
      op = it.key();
    }
    if (!op) Error("E012", fmt::format("empty {}: it needs an operator", what), f, pointer);
    return op;
  }

  int CompileCondition(const json& j, Context& ctx, const std::string& pointer) {
    const std::uint16_t f = ctx.file;
    if (!j.is_object()) {
      Error("E011", fmt::format("a condition must be an object, not {}", JsonTypeName(j)), f,
            pointer);
      return -1;
    }
    static const std::vector<std::string> ops(std::begin(kConditionOps), std::end(kConditionOps));
    auto op = OperatorOf(j, f, pointer, ops, "condition", {"is"});
    if (!op) return -1;
    const json& arg = j[*op];
    const std::string ap = AppendPointer(pointer, *op);
    if (*op != "pathway" && *op != "item" && j.contains("is")) {
      Error("E010", "\"is\" belongs only with \"pathway\" and \"item\"", f,
            AppendPointer(pointer, "is"), true);
    }
    CondNode node;
    if (*op == "all" || *op == "any") {
      node.op = *op == "all" ? CondOp::kAll : CondOp::kAny;
      if (!arg.is_array() || arg.empty()) {
        Error("E011", fmt::format("\"{}\" takes a non-empty array of conditions", *op), f, ap);
        return -1;
      }
      bool ok = true;
      for (std::size_t i = 0; i < arg.size(); ++i) {
        const int c = CompileCondition(arg[i], ctx, AppendPointer(ap, i));
        ok = ok && c >= 0;
        node.children.push_back(c);
      }
      return ok ? AddCondition(std::move(node)) : -1;
    }
    if (*op == "not") {
      node.op = CondOp::kNot;
      const int c = CompileCondition(arg, ctx, ap);
      if (c < 0) return -1;
      node.children.push_back(c);
      return AddCondition(std::move(node));
    }
    static const std::map<std::string, CompareOp> kCompare = {
        {"eq", CompareOp::kEq}, {"ne", CompareOp::kNe}, {"lt", CompareOp::kLt},
        {"le", CompareOp::kLe}, {"gt", CompareOp::kGt}, {"ge", CompareOp::kGe}};
    if (auto cmp = kCompare.find(*op); cmp != kCompare.end()) {
      return CompileComparison(arg, cmp->second, *op, ctx, ap);
    }
    if (*op == "in" || *op == "overlaps" || *op == "within") {
      return CompileMembership(arg, *op, ctx, ap);
    }
    if (*op == "exists") {
      node.op = CondOp::kExists;
      Typed t = arg.is_string() ? CompileExpr(json{{"fact", arg}}, ctx, ap, {})
                                : CompileExpr(arg, ctx, ap, {});
      if (!t.ok()) return -1;
      node.lhs = t.index;
      return AddCondition(std::move(node));
    }
    if (*op == "some" || *op == "every") {
      node.op = *op == "some" ? CondOp::kSome : CondOp::kEvery;
      if (!arg.is_object()) {
        Error("E011", fmt::format("\"{}\" takes {{\"list\": ..., \"where\": ...}}", *op), f, ap);
        return -1;
      }
      CheckKeys(arg, {"list", "where"}, f, ap, fmt::format("\"{}\"", *op));
      auto list = ListFact(arg, ctx, ap);
      const json* where =
          Member(arg, "where", json::value_t::object, true, f, ap, fmt::format("\"{}\"", *op));
      if (!list || where == nullptr) return -1;
      Context inner = ctx;
      inner.list = *list;
      const int c = CompileCondition(*where, inner, AppendPointer(ap, "where"));
      if (c < 0) return -1;
      node.list = *list;
      node.children.push_back(c);
      return AddCondition(std::move(node));
    }
    if (*op == "disjoint") return CompileDisjoint(arg, ctx, ap);
    if (*op == "ref") {
      if (!arg.is_string()) {
        Error("E011", "\"ref\" takes the name of a definition", f, ap);
        return -1;
      }
      const std::string name = arg.get<std::string>();
      auto it = pending_definitions_.find(name);
      if (it == pending_definitions_.end()) {
        std::vector<std::string> names;
        for (const auto& [n, d] : pending_definitions_) names.push_back(n);
        Error("E022",
              WithSuggestion(fmt::format("no definition named \"{}\"", EscapeForDisplay(name)),
                             name, names),
              f, ap);
        return -1;
      }
      const int c = CompileDefinition(name);
      if (c == -2) {
        Error("E023", fmt::format("definition \"{}\" refers to itself through \"ref\"", name), f,
              ap);
        return -1;
      }
      if (c < 0) return -1;
      if (ctx.deps) {
        const auto& deps = pending_definitions_[name].deps;
        ctx.deps->insert(deps.begin(), deps.end());
      }
      node.op = CondOp::kRef;
      node.children.push_back(c);
      return AddCondition(std::move(node));
    }
    if (*op == "pathway" || *op == "item") return CompileReference(j, *op, ctx, pointer);
    if (*op == "unsettled") {
      if (!arg.is_object()) {
        Error("E011", "\"unsettled\" takes {\"id\", \"reason\", \"decides\"}", f, ap);
        return -1;
      }
      CheckKeys(arg, {"id", "reason", "decides"}, f, ap, "\"unsettled\"");
      Unsettled u;
      u.id = StringMember(arg, "id", true, f, ap, "\"unsettled\"");
      u.reason = StringMember(arg, "reason", true, f, ap, "\"unsettled\"");
      u.decides = StringMember(arg, "decides", true, f, ap, "\"unsettled\"");
      node.op = CondOp::kUnsettled;
      auto same = std::find_if(rs_.unsettled.begin(), rs_.unsettled.end(),
                               [&](const Unsettled& x) { return x.id == u.id; });
      if (same != rs_.unsettled.end()) {
        if (same->reason != u.reason || same->decides != u.decides) {
          Error("E020",
                fmt::format("unsettled point \"{}\" is described twice with different words; "
                            "give the second one its own id",
                            u.id),
                f, AppendPointer(ap, "id"));
        }
        node.target = static_cast<int>(same - rs_.unsettled.begin());
      } else {
        node.target = static_cast<int>(rs_.unsettled.size());
        rs_.unsettled.push_back(std::move(u));
      }
      return AddCondition(std::move(node));
    }
    return -1;
  }

  std::optional<FactId> ListFact(const json& arg, const Context& ctx, const std::string& pointer) {
    const std::string path = StringMember(arg, "list", true, ctx.file, pointer, "a list operator");
    if (path.empty()) return std::nullopt;
    auto id = rs_.dictionary.Find(path);
    if (!id) {
      UnknownFact(path, ctx.file, AppendPointer(pointer, "list"));
      return std::nullopt;
    }
    if (!rs_.dictionary.at(*id).is_record_list()) {
      Error("E024", fmt::format("\"{}\" is not a list of records", path), ctx.file,
            AppendPointer(pointer, "list"));
      return std::nullopt;
    }
    return id;
  }

  void UnknownFact(const std::string& path, std::uint16_t f, const std::string& pointer) {
    std::vector<std::string> paths;
    for (const FactDecl& d : rs_.dictionary.facts()) {
      if (!d.list) paths.push_back(d.path);
    }
    Error("E021",
          WithSuggestion(fmt::format("fact \"{}\" is not declared in the fact dictionary",
                                     EscapeForDisplay(path)),
                         path, paths),
          f, pointer);
  }

  static bool IsNumeric(ValueType t) { return t == ValueType::kInteger || t == ValueType::kNumber; }
  static bool IsLiteral(const json& j) { return j.is_string() || j.is_number() || j.is_boolean(); }

  // Turns a JSON literal into a value of `want` (the type of the other operand).
  std::optional<Value> Coerce(const json& j, const Typed& want, std::uint16_t f,
                              const std::string& pointer) {
    switch (want.type) {
      case ValueType::kBool:
        if (j.is_boolean()) return Value::Bool(j.get<bool>());
        break;
      case ValueType::kInteger:
      case ValueType::kNumber:
        if (j.is_number_integer()) return Value::Integer(j.get<std::int64_t>());
        if (j.is_number()) return Value::Number(j.get<double>());
        break;
      case ValueType::kString:
        if (j.is_string()) return Value::String(j.get<std::string>());
        break;
      case ValueType::kDate:
        if (j.is_string()) {
          if (auto d = ParseIsoDate(j.get_ref<const std::string&>())) return Value::OfDate(*d);
          Error("E024",
                fmt::format("\"{}\" is compared with a date but is not a date YYYY-MM-DD",
                            EscapeForDisplay(j.get_ref<const std::string&>())),
                f, pointer);
          return std::nullopt;
        }
        break;
      case ValueType::kEnum:
        if (j.is_string() && want.enum_fact >= 0) {
          const FactDecl& decl = rs_.dictionary.at(static_cast<FactId>(want.enum_fact));
          const std::string& s = j.get_ref<const std::string&>();
          const int index = decl.EnumIndex(s);
          if (index >= 0) return Value::Enum(index);
          Error("E026",
                WithSuggestion(
                    fmt::format("\"{}\" is not a value of {} (values: {})", EscapeForDisplay(s),
                                decl.path, fmt::join(decl.values, ", ")),
                    s, decl.values),
                f, pointer);
          return std::nullopt;
        }
        break;
      case ValueType::kList:
        break;
    }
    Error("E024",
          fmt::format("{} literal does not fit a {} operand", JsonTypeName(j),
                      ValueTypeName(want.type)),
          f, pointer);
    return std::nullopt;
  }

  Typed LiteralExpr(Value v, const Typed& like) {
    ExprNode node;
    node.op = ExprOp::kLiteral;
    node.type = v.kind == Value::Kind::kInteger  ? ValueType::kInteger
                : v.kind == Value::Kind::kNumber ? ValueType::kNumber
                                                 : like.type;
    node.enum_fact = like.enum_fact;
    node.literal = std::move(v);
    const ValueType type = node.type;
    return Typed{AddExpression(std::move(node)), type, like.enum_fact};
  }

  int CompileComparison(const json& arg, CompareOp cmp, const std::string& op, Context& ctx,
                        const std::string& pointer) {
    const std::uint16_t f = ctx.file;
    if (!arg.is_array() || arg.size() != 2) {
      Error("E011", fmt::format("\"{}\" takes an array of two operands", op), f, pointer);
      return -1;
    }
    const std::string p0 = AppendPointer(pointer, 0), p1 = AppendPointer(pointer, 1);
    Typed lhs, rhs;
    if (IsLiteral(arg[0]) && IsLiteral(arg[1])) {
      Error("E024", "a comparison of two literals is constant; compare a fact or an expression", f,
            pointer);
      return -1;
    }
    if (IsLiteral(arg[1])) {
      lhs = CompileExpr(arg[0], ctx, p0, {});
      if (!lhs.ok()) return -1;
      auto v = Coerce(arg[1], lhs, f, p1);
      if (!v) return -1;
      rhs = LiteralExpr(std::move(*v), lhs);
    } else if (IsLiteral(arg[0])) {
      rhs = CompileExpr(arg[1], ctx, p1, {});
      if (!rhs.ok()) return -1;
      auto v = Coerce(arg[0], rhs, f, p0);
      if (!v) return -1;
      lhs = LiteralExpr(std::move(*v), rhs);
    } else {
      lhs = CompileExpr(arg[0], ctx, p0, {});
      rhs = CompileExpr(arg[1], ctx, p1, {});
      if (!lhs.ok() || !rhs.ok()) return -1;
    }
    const bool ordering = cmp != CompareOp::kEq && cmp != CompareOp::kNe;
    bool fits = false;
    if (IsNumeric(lhs.type) && IsNumeric(rhs.type)) {
      fits = true;
    } else if (lhs.type == rhs.type) {
      switch (lhs.type) {
        case ValueType::kDate:
          fits = true;
          break;
        case ValueType::kBool:
        case ValueType::kString:
          fits = !ordering;
          break;
        case ValueType::kEnum:
          fits = !ordering && (lhs.enum_fact == rhs.enum_fact ||
                               rs_.dictionary.at(static_cast<FactId>(lhs.enum_fact)).values ==
                                   rs_.dictionary.at(static_cast<FactId>(rhs.enum_fact)).values);
          break;
        default:
          fits = false;
      }
    }
    if (!fits) {
      Error("E024",
            fmt::format(
                "\"{}\" cannot compare {} with {}{}", op, ValueTypeName(lhs.type),
                ValueTypeName(rhs.type),
                ordering && lhs.type == rhs.type ? " (only eq and ne apply to this type)" : ""),
            f, pointer);
      return -1;
    }
    CondNode node;
    node.op = CondOp::kCompare;
    node.compare = cmp;
    node.lhs = lhs.index;
    node.rhs = rhs.index;
    return AddCondition(std::move(node));
  }

  int CompileMembership(const json& arg, const std::string& op, Context& ctx,
                        const std::string& pointer) {
    const std::uint16_t f = ctx.file;
    if (op == "in" && arg.is_array() && arg.size() == 2 && arg[1].is_object()) {
      return CompileInList(arg, ctx, pointer);
    }
    if (!arg.is_array() || arg.size() != 2 || !arg[1].is_array()) {
      Error("E011",
            fmt::format("\"{}\" takes [operand, [value, ...]]{}", op,
                        op == "in" ? " or [operand, list]" : ""),
            f, pointer);
      return -1;
    }
    Typed lhs = CompileExpr(arg[0], ctx, AppendPointer(pointer, 0), {});
    if (!lhs.ok()) return -1;
    Typed element = lhs;
    if (op != "in") {
      const ExprNode& e = rs_.expressions[static_cast<std::size_t>(lhs.index)];
      const bool scalar_list = e.op == ExprOp::kFact && rs_.dictionary.at(e.fact).item_type;
      if (!scalar_list) {
        Error("E024", fmt::format("\"{}\" needs a fact that is a list of scalars", op), f,
              AppendPointer(pointer, 0));
        return -1;
      }
      element.type = *rs_.dictionary.at(e.fact).item_type;
      element.enum_fact = e.fact;
    } else if (lhs.type == ValueType::kList) {
      Error("E024", "\"in\" needs a scalar operand; use \"overlaps\" for a list", f,
            AppendPointer(pointer, 0));
      return -1;
    }
    CondNode node;
    node.op = op == "in" ? CondOp::kIn : op == "overlaps" ? CondOp::kOverlaps : CondOp::kWithin;
    node.lhs = lhs.index;
    const std::string vp = AppendPointer(pointer, 1);
    if (arg[1].empty()) Error("E013", fmt::format("\"{}\" needs at least one value", op), f, vp);
    for (std::size_t i = 0; i < arg[1].size(); ++i) {
      if (!IsLiteral(arg[1][i])) {
        Error("E011", fmt::format("the values of \"{}\" must be literals", op), f,
              AppendPointer(vp, i));
        return -1;
      }
      auto v = Coerce(arg[1][i], element, f, AppendPointer(vp, i));
      if (!v) return -1;
      node.set.push_back(std::move(*v));
    }
    return AddCondition(std::move(node));
  }

  // `{"in": [a, {"fact": "list"}]}`: `a` is one of the elements of a list-of-scalars fact, such
  // as a country among the person's citizenships.
  int CompileInList(const json& arg, Context& ctx, const std::string& pointer) {
    const std::uint16_t f = ctx.file;
    Typed lhs = CompileExpr(arg[0], ctx, AppendPointer(pointer, 0), {});
    if (!lhs.ok()) return -1;
    const std::string lp = AppendPointer(pointer, 1);
    Typed list = CompileExpr(arg[1], ctx, lp, {});
    if (!list.ok()) return -1;
    const ExprNode& e = rs_.expressions[static_cast<std::size_t>(list.index)];
    if (e.op != ExprOp::kFact || !rs_.dictionary.at(e.fact).item_type) {
      Error("E024", "the list of \"in\" must be a fact that is a list of scalars", f, lp);
      return -1;
    }
    const FactDecl& decl = rs_.dictionary.at(e.fact);
    if (lhs.type == ValueType::kList) {
      Error("E024", "\"in\" needs a scalar operand; use \"overlaps\" for a list", f,
            AppendPointer(pointer, 0));
      return -1;
    }
    // Elements are matched as values of one type; enums only with the same values, since one
    // value's index means another value in another enum.
    const bool same_enum =
        lhs.type != ValueType::kEnum ||
        (lhs.enum_fact >= 0 &&
         rs_.dictionary.at(static_cast<FactId>(lhs.enum_fact)).values == decl.values);
    if (lhs.type != *decl.item_type || !same_enum) {
      Error("E024",
            fmt::format("\"in\" compares {} values with the elements of {}, a list of {}",
                        ValueTypeName(lhs.type), decl.path, ValueTypeName(*decl.item_type)),
            f, pointer);
      return -1;
    }
    CondNode node;
    node.op = CondOp::kInList;
    node.lhs = lhs.index;
    node.rhs = list.index;
    return AddCondition(std::move(node));
  }

  // {"disjoint": {"list": ..., "where": ..., "from": d1, "to": d2}}: lhs and rhs are the
  // period's ends, evaluated per record like the `of` of a sum.
  int CompileDisjoint(const json& arg, Context& ctx, const std::string& ap) {
    const std::uint16_t f = ctx.file;
    if (!arg.is_object()) {
      Error("E011", "\"disjoint\" takes {\"list\": ..., \"from\": ..., \"to\": ...}", f, ap);
      return -1;
    }
    CheckKeys(arg, {"list", "where", "from", "to"}, f, ap, "\"disjoint\"");
    auto list = ListFact(arg, ctx, ap);
    if (!list) return -1;
    Context inner = ctx;
    inner.list = *list;
    CondNode node;
    node.op = CondOp::kDisjoint;
    node.list = *list;
    if (auto it = arg.find("where"); it != arg.end()) {
      const int where = CompileCondition(*it, inner, AppendPointer(ap, "where"));
      if (where < 0) return -1;
      node.children.push_back(where);
    }
    for (auto [end, index] : {std::pair{"from", &node.lhs}, std::pair{"to", &node.rhs}}) {
      auto it = arg.find(end);
      if (it == arg.end()) {
        Error("E012", fmt::format("\"disjoint\" needs \"{}\"", end), f, ap);
        return -1;
      }
      Typed t = CompileExpr(*it, inner, AppendPointer(ap, end), Typed{0, ValueType::kDate});
      if (!t.ok()) return -1;
      if (t.type != ValueType::kDate) {
        Error("E024",
              fmt::format("\"disjoint\" takes dates in \"{}\", not {}", end, ValueTypeName(t.type)),
              f, AppendPointer(ap, end));
        return -1;
      }
      *index = t.index;
    }
    return AddCondition(std::move(node));
  }

  int CompileReference(const json& j, const std::string& op, Context& ctx,
                       const std::string& pointer) {
    const std::uint16_t f = ctx.file;
    const std::string ap = AppendPointer(pointer, op);
    if (!j[op].is_string()) {
      Error("E011", fmt::format("\"{}\" takes a string", op), f, ap);
      return -1;
    }
    const json* is = Member(j, "is", json::value_t::array, true, f, pointer,
                            fmt::format("a \"{}\" reference", op));
    if (is == nullptr) return -1;
    const std::string target = j[op].get<std::string>();
    CondNode node;
    std::string pathway_id = target;
    if (op == "item") {
      const std::size_t slash = target.find('/');
      if (slash == std::string::npos) {
        Error("E013", "\"item\" takes \"pathway-id/item-id\"", f, ap);
        return -1;
      }
      pathway_id = target.substr(0, slash);
      node.item_id = target.substr(slash + 1);
    }
    auto p = pathway_ids_.find(pathway_id);
    if (p == pathway_ids_.end()) {
      std::vector<std::string> ids;
      for (const auto& [id, index] : pathway_ids_) ids.push_back(id);
      Error("E022",
            WithSuggestion(fmt::format("no pathway with id \"{}\"", EscapeForDisplay(pathway_id)),
                           pathway_id, ids),
            f, ap);
      return -1;
    }
    node.target = p->second;
    const std::vector<std::string> words =
        op == "pathway"
            ? std::vector<std::string>(std::begin(kVerdictNames), std::end(kVerdictNames))
            : std::vector<std::string>{"met", "unmet", "unknown", "inactive"};
    for (std::size_t i = 0; i < is->size(); ++i) {
      const std::string ip = AppendPointer(AppendPointer(pointer, "is"), i);
      const json& w = (*is)[i];
      auto it =
          w.is_string() ? std::find(words.begin(), words.end(), w.get<std::string>()) : words.end();
      if (it == words.end()) {
        const std::string s = w.is_string() ? w.get<std::string>() : w.dump();
        Error("E026",
              WithSuggestion(fmt::format("\"{}\" is not one of: {}", EscapeForDisplay(s),
                                         fmt::join(words, ", ")),
                             s, words),
              f, ip);
        return -1;
      }
      node.accept |= static_cast<std::uint8_t>(1u << (it - words.begin()));
    }
    if (is->empty())
      Error("E013", "\"is\" needs at least one value", f, AppendPointer(pointer, "is"));
    if (op == "pathway") {
      node.op = CondOp::kPathway;
    } else {
      node.op = CondOp::kItem;
      if (node.target == ctx.pathway) {
        // Items of one pathway are evaluated in order; only earlier ones can be read.
        const auto& items = rs_.pathways[static_cast<std::size_t>(ctx.pathway)].items;
        const bool earlier =
            std::any_of(items.begin(),
                        items.begin() + static_cast<long>(std::min(ctx.item_count, items.size())),
                        [&](const Item& i) { return i.id == node.item_id; });
        if (!earlier) {
          Error("E023",
                fmt::format("item \"{}\" is not an earlier item of this pathway; an item can read "
                            "only items listed before it",
                            node.item_id),
                f, ap);
          return -1;
        }
        return AddCondition(std::move(node));
      }
      item_refs_.push_back({node.target, node.item_id, f, ap});
    }
    if (ctx.deps) ctx.deps->insert(node.target);
    return AddCondition(std::move(node));
  }

  // ---- expressions -------------------------------------------------------------------------

  Typed CompileExpr(const json& j, Context& ctx, const std::string& pointer, Typed hint) {
    const std::uint16_t f = ctx.file;
    if (IsLiteral(j)) {
      if (hint.ok()) {
        auto v = Coerce(j, hint, f, pointer);
        if (!v) return {};
        return LiteralExpr(std::move(*v), hint);
      }
      if (j.is_string())
        return LiteralExpr(Value::String(j.get<std::string>()), Typed{0, ValueType::kString});
      if (j.is_boolean())
        return LiteralExpr(Value::Bool(j.get<bool>()), Typed{0, ValueType::kBool});
      if (j.is_number_integer())
        return LiteralExpr(Value::Integer(j.get<std::int64_t>()), Typed{0, ValueType::kInteger});
      return LiteralExpr(Value::Number(j.get<double>()), Typed{0, ValueType::kNumber});
    }
    if (!j.is_object()) {
      Error("E011",
            fmt::format("an operand must be a literal or an object, not {}", JsonTypeName(j)), f,
            pointer);
      return {};
    }
    static const std::vector<std::string> ops(std::begin(kExpressionOps), std::end(kExpressionOps));
    auto op = OperatorOf(j, f, pointer, ops, "expression");
    if (!op) return {};
    const json& arg = j[*op];
    const std::string ap = AppendPointer(pointer, *op);
    ExprNode node;
    auto done = [&](ExprNode n) {
      const ValueType type = n.type;
      const int enum_fact = n.enum_fact;
      return Typed{AddExpression(std::move(n)), type, enum_fact};
    };
    if (*op == "fact" || *op == "field") {
      if (!arg.is_string()) {
        Error("E011", fmt::format("\"{}\" takes a name", *op), f, ap);
        return {};
      }
      const std::string name = arg.get<std::string>();
      std::optional<FactId> id;
      if (*op == "fact") {
        id = rs_.dictionary.Find(name);
        if (!id || rs_.dictionary.at(*id).list) {
          UnknownFact(name, f, ap);
          return {};
        }
        node.op = ExprOp::kFact;
      } else {
        if (!ctx.list) {
          Error("E027", "\"field\" is only meaningful inside some, every, count, sum or disjoint",
                f, ap);
          return {};
        }
        id = rs_.dictionary.FindField(*ctx.list, name);
        if (!id) {
          std::vector<std::string> names;
          for (FactId fid : rs_.dictionary.at(*ctx.list).fields)
            names.push_back(rs_.dictionary.at(fid).field_name);
          Error(
              "E021",
              WithSuggestion(fmt::format("\"{}\" has no field \"{}\"",
                                         rs_.dictionary.at(*ctx.list).path, EscapeForDisplay(name)),
                             name, names),
              f, ap);
          return {};
        }
        node.op = ExprOp::kField;
      }
      const FactDecl& decl = rs_.dictionary.at(*id);
      node.fact = *id;
      node.type = decl.type;
      if (decl.type == ValueType::kEnum) node.enum_fact = *id;
      return done(std::move(node));
    }
    if (*op == "as_of") {
      node.op = ExprOp::kAsOf;
      node.type = ValueType::kDate;
      return done(std::move(node));
    }
    if (*op == "date") {
      auto d = arg.is_string() ? ParseIsoDate(arg.get_ref<const std::string&>()) : std::nullopt;
      if (!d) {
        Error("E013", "\"date\" takes a date YYYY-MM-DD", f, ap);
        return {};
      }
      return LiteralExpr(Value::OfDate(*d), Typed{0, ValueType::kDate});
    }
    if (*op == "count" || *op == "sum") {
      if (!arg.is_object()) {
        Error("E011", fmt::format("\"{}\" takes {{\"list\": ..., ...}}", *op), f, ap);
        return {};
      }
      if (*op == "count") {
        CheckKeys(arg, {"list", "where"}, f, ap, "\"count\"");
      } else {
        CheckKeys(arg, {"list", "where", "of"}, f, ap, "\"sum\"");
      }
      auto list = ListFact(arg, ctx, ap);
      if (!list) return {};
      Context inner = ctx;
      inner.list = *list;
      node.op = *op == "count" ? ExprOp::kCount : ExprOp::kSum;
      node.fact = *list;
      node.type = ValueType::kInteger;
      if (auto it = arg.find("where"); it != arg.end()) {
        node.where = CompileCondition(*it, inner, AppendPointer(ap, "where"));
        if (node.where < 0) return {};
      }
      if (*op == "sum") {
        auto it = arg.find("of");
        if (it == arg.end()) {
          Error("E012", "\"sum\" needs \"of\"", f, ap);
          return {};
        }
        Typed of = CompileExpr(*it, inner, AppendPointer(ap, "of"), {});
        if (!of.ok()) return {};
        if (!IsNumeric(of.type)) {
          Error("E024", fmt::format("\"sum\" adds numbers, not {}", ValueTypeName(of.type)), f,
                AppendPointer(ap, "of"));
          return {};
        }
        node.of = of.index;
        node.type = of.type;
      }
      return done(std::move(node));
    }
    // The remaining operators take an array of operands.
    if (!arg.is_array() || arg.empty()) {
      Error("E011", fmt::format("\"{}\" takes an array of operands", *op), f, ap);
      return {};
    }
    std::vector<Typed> args;
    for (std::size_t i = 0; i < arg.size(); ++i) {
      Typed hint_for = {};
      if (*op == "months_between" || *op == "days_between" ||
          ((*op == "add_months" || *op == "add_days") && i == 0)) {
        hint_for = Typed{0, ValueType::kDate};
      } else if (*op == "add_months" || *op == "add_days") {
        hint_for = Typed{0, ValueType::kInteger};
      } else if (*op == "coalesce" && i > 0 && args[0].ok()) {
        hint_for = args[0];
      }
      Typed t = CompileExpr(arg[i], ctx, AppendPointer(ap, i), hint_for);
      if (!t.ok()) return {};
      args.push_back(t);
      node.args.push_back(t.index);
    }
    auto expect = [&](std::size_t n) {
      if (args.size() == n) return true;
      Error("E011", fmt::format("\"{}\" takes {} operands, not {}", *op, n, args.size()), f, ap);
      return false;
    };
    auto need = [&](std::size_t i, bool ok, std::string_view what) {
      if (ok) return true;
      Error("E024",
            fmt::format("operand {} of \"{}\" must be {}, not {}", i + 1, *op, what,
                        ValueTypeName(args[i].type)),
            f, AppendPointer(ap, i));
      return false;
    };
    if (*op == "months_between" || *op == "days_between") {
      if (!expect(2) || !need(0, args[0].type == ValueType::kDate, "a date") ||
          !need(1, args[1].type == ValueType::kDate, "a date")) {
        return {};
      }
      node.op = *op == "months_between" ? ExprOp::kMonthsBetween : ExprOp::kDaysBetween;
      node.type = ValueType::kInteger;
      return done(std::move(node));
    }
    if (*op == "add_months" || *op == "add_days") {
      if (!expect(2) || !need(0, args[0].type == ValueType::kDate, "a date") ||
          !need(1, args[1].type == ValueType::kInteger, "an integer")) {
        return {};
      }
      node.op = *op == "add_months" ? ExprOp::kAddMonths : ExprOp::kAddDays;
      node.type = ValueType::kDate;
      return done(std::move(node));
    }
    if (*op == "add" || *op == "sub") {
      if (!expect(2) || !need(0, IsNumeric(args[0].type), "a number") ||
          !need(1, IsNumeric(args[1].type), "a number")) {
        return {};
      }
      node.op = *op == "add" ? ExprOp::kAdd : ExprOp::kSub;
      node.type = args[0].type == ValueType::kInteger && args[1].type == ValueType::kInteger
                      ? ValueType::kInteger
                      : ValueType::kNumber;
      return done(std::move(node));
    }
    // coalesce
    for (std::size_t i = 1; i < args.size(); ++i) {
      const bool same =
          args[i].type == args[0].type || (IsNumeric(args[i].type) && IsNumeric(args[0].type));
      if (!need(i, same, ValueTypeName(args[0].type).data())) return {};
    }
    node.op = ExprOp::kCoalesce;
    node.type = args[0].type;
    node.enum_fact = args[0].enum_fact;
    return done(std::move(node));
  }

  // ---- ordering ----------------------------------------------------------------------------

  void OrderPathways() {
    for (const auto& ref : item_refs_) {
      const Pathway& p = rs_.pathways[static_cast<std::size_t>(ref.pathway)];
      const bool found = std::any_of(p.items.begin(), p.items.end(),
                                     [&](const Item& i) { return i.id == ref.item; });
      if (!found) {
        std::vector<std::string> ids;
        for (const Item& i : p.items) ids.push_back(i.id);
        Error("E022",
              WithSuggestion(fmt::format("pathway \"{}\" has no item \"{}\"", p.id,
                                         EscapeForDisplay(ref.item)),
                             ref.item, ids),
              ref.file, ref.pointer);
      }
    }
    // Depth-first topological order; a back edge is a reference cycle.
    std::vector<int> state(rs_.pathways.size(), 0);
    std::vector<int> stack;
    std::function<bool(int)> visit = [&](int p) {
      if (state[static_cast<std::size_t>(p)] == 2) return true;
      if (state[static_cast<std::size_t>(p)] == 1) {
        std::vector<std::string> cycle;
        auto from = std::find(stack.begin(), stack.end(), p);
        for (auto it = from; it != stack.end(); ++it)
          cycle.push_back(rs_.pathways[static_cast<std::size_t>(*it)].id);
        cycle.push_back(rs_.pathways[static_cast<std::size_t>(p)].id);
        const Origin& o = rs_.pathways[static_cast<std::size_t>(p)].origin;
        diagnostics_.push_back(Diagnostic{
            Severity::kError, "E023",
            fmt::format("pathways reference each other in a cycle: {}", fmt::join(cycle, " -> ")),
            rs_.files[o.file].name(), o.offset});
        return false;
      }
      state[static_cast<std::size_t>(p)] = 1;
      stack.push_back(p);
      for (int d : pathway_deps_[static_cast<std::size_t>(p)]) {
        if (!visit(d)) return false;
      }
      stack.pop_back();
      state[static_cast<std::size_t>(p)] = 2;
      rs_.evaluation_order.push_back(p);
      return true;
    };
    for (std::size_t p = 0; p < rs_.pathways.size(); ++p) {
      if (!visit(static_cast<int>(p))) return;
    }
  }

  void PresentationOrder() {
    std::vector<bool> placed(rs_.pathways.size(), false);
    if (order_ != nullptr) {
      for (std::size_t i = 0; i < order_->size(); ++i) {
        const std::string pointer = AppendPointer("/ruleset/order", i);
        const json& id = (*order_)[i];
        auto it = id.is_string() ? pathway_ids_.find(id.get<std::string>()) : pathway_ids_.end();
        if (it == pathway_ids_.end()) {
          Error("E022",
                fmt::format("\"order\" names {}, which is no pathway of the set", id.dump()),
                order_file_, pointer);
          continue;
        }
        if (placed[static_cast<std::size_t>(it->second)]) continue;
        placed[static_cast<std::size_t>(it->second)] = true;
        rs_.presentation_order.push_back(static_cast<std::size_t>(it->second));
      }
    }
    for (const auto& [id, index] : pathway_ids_) {  // std::map: by id
      if (!placed[static_cast<std::size_t>(index)]) {
        rs_.presentation_order.push_back(static_cast<std::size_t>(index));
      }
    }
  }

  struct ItemRef {
    int pathway;
    std::string item;
    std::uint16_t file;
    std::string pointer;
  };

  RuleSet rs_;
  std::vector<Diagnostic>& diagnostics_;
  std::string root_;
  bool positions_ = true;
  std::vector<JsonDocument> docs_;
  int manifests_ = 0;
  const json* order_ = nullptr;
  std::uint16_t order_file_ = 0;
  std::map<std::string, PendingDefinition> pending_definitions_;
  std::map<std::string, int> pathway_ids_;
  std::vector<std::pair<std::uint16_t, int>> pathway_sources_;
  std::vector<std::set<int>> pathway_deps_;
  std::vector<ItemRef> item_refs_;
};

}  // namespace

RuleSetLoad RuleSetFromFiles(std::vector<SourceFile> files, std::string_view root, bool positions) {
  RuleSetLoad load;
  Compiler compiler(std::move(files), root, positions, load.diagnostics);
  load.rules = compiler.Run();
  if (!positions && !load.ok()) {
    // Problems are reported with their places: compile again, this time recording them.
    load.diagnostics.clear();
    Compiler located(compiler.TakeFiles(), root, true, load.diagnostics);
    load.rules = located.Run();
  }
  SortByLocation(load.diagnostics);
  return load;
}

}  // namespace imgvisa

#include <fmt/format.h>

#include <algorithm>

#include "rules/compiler/compiler.h"

namespace imgvisa::compiler {
namespace {

std::optional<ValueType> ParseType(const std::string& name) {
  for (ValueType type : kValueTypes) {
    if (ValueTypeName(type) == name) return type;
  }
  return std::nullopt;
}

std::vector<std::string> TypeNames() {
  std::vector<std::string> names;
  for (ValueType type : kValueTypes) names.emplace_back(ValueTypeName(type));
  return names;
}

std::vector<std::string> EnumValues(CompileContext& c, const json& decl, std::uint16_t f,
                                    const std::string& pointer) {
  std::vector<std::string> values;
  const json* v = c.Member(decl, "values", json::value_t::array, true, f, pointer, "an enum fact");
  if (v == nullptr) return values;
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      c.Error("E011", "enum values must be strings", f,
              AppendPointer(AppendPointer(pointer, "values"), i));
      continue;
    }
    const std::string s = (*v)[i].get<std::string>();
    if (std::find(values.begin(), values.end(), s) != values.end()) {
      c.Error("E020", fmt::format("enum value \"{}\" is listed twice", EscapeForDisplay(s)), f,
              AppendPointer(AppendPointer(pointer, "values"), i));
    }
    values.push_back(s);
  }
  if (values.empty())
    c.Error("E013", "an enum needs at least one value", f, AppendPointer(pointer, "values"));
  return values;
}

// "labels": {"value": "what a person reads", …}, for enum values only.
void CompileLabels(CompileContext& c, FactDecl& d, const json& labels, std::uint16_t f,
                   const std::string& pointer) {
  if (d.values.empty()) {
    c.Error("E013", "\"labels\" applies only to enum facts and lists of enums", f, pointer, true);
    return;
  }
  d.labels.assign(d.values.size(), std::string());
  for (auto it = labels.begin(); it != labels.end(); ++it) {
    const int index = d.EnumIndex(it.key());
    if (index < 0) {
      c.Error("E026",
              fmt::format("\"labels\" names \"{}\", which is not a value of \"{}\"",
                          EscapeForDisplay(it.key()), d.path),
              f, AppendPointer(pointer, it.key()), true);
      continue;
    }
    if (!it->is_string() || it->get<std::string>().empty()) {
      c.Error("E011", "a label must be a non-empty string", f, AppendPointer(pointer, it.key()));
      continue;
    }
    d.labels[static_cast<std::size_t>(index)] = it->get<std::string>();
  }
}

// The type of a declaration (and its bounds and enum values); false when it has none.
bool CompileType(CompileContext& c, FactDecl& d, const json& decl, std::uint16_t f,
                 const std::string& pointer, const char* what) {
  const std::string type_name = c.StringMember(decl, "type", true, f, pointer, what);
  auto type = ParseType(type_name);
  if (!type) {
    if (!type_name.empty()) {
      c.Error("E013",
              WithSuggestion(fmt::format("unknown fact type \"{}\"", EscapeForDisplay(type_name)),
                             type_name, TypeNames()),
              f, AppendPointer(pointer, "type"));
    }
    return false;
  }
  d.type = *type;
  if (d.type == ValueType::kEnum) d.values = EnumValues(c, decl, f, pointer);
  for (const char* bound : {"minimum", "maximum"}) {
    if (const json* b =
            c.Member(decl, bound, json::value_t::number_float, false, f, pointer, what)) {
      if (d.type != ValueType::kInteger && d.type != ValueType::kNumber) {
        c.Error("E013", fmt::format("\"{}\" applies only to integer and number facts", bound), f,
                AppendPointer(pointer, bound), true);
      }
      (std::string_view(bound) == "minimum" ? d.minimum : d.maximum) = b->get<double>();
    }
  }
  return true;
}

// What a list holds: scalar "items" (their type recorded in `d`) or record "fields" (returned,
// compiled once the list has its id). False when the declaration is refused.
bool CompileListShape(CompileContext& c, FactDecl& d, const json& decl, std::uint16_t f,
                      const std::string& pointer, const char* what, bool is_field,
                      const json*& fields) {
  if (d.type != ValueType::kList) {
    for (const char* key : {"items", "fields"}) {
      if (decl.contains(key)) {
        c.Error("E013", fmt::format("\"{}\" applies only to list facts", key), f,
                AppendPointer(pointer, key), true);
      }
    }
    return true;
  }
  if (is_field) {
    c.Error("E013", "a record field cannot be a list (lists do not nest)", f,
            AppendPointer(pointer, "type"));
    return false;
  }
  const json* items = c.Member(decl, "items", json::value_t::object, false, f, pointer, what);
  fields = c.Member(decl, "fields", json::value_t::object, false, f, pointer, what);
  if ((items == nullptr) == (fields == nullptr)) {
    c.Error("E012", "a list fact needs exactly one of \"items\" (scalars) or \"fields\" (records)",
            f, pointer);
    return false;
  }
  if (items == nullptr) return true;
  const std::string ip = AppendPointer(pointer, "items");
  c.CheckKeys(*items, {"type", "values"}, f, ip, "list items");
  const std::string item_type = c.StringMember(*items, "type", true, f, ip, "list items");
  auto t = ParseType(item_type);
  if (!t || *t == ValueType::kList) {
    c.Error(
        "E013",
        fmt::format("list items must be a scalar type, not \"{}\"", EscapeForDisplay(item_type)), f,
        AppendPointer(ip, "type"));
    return false;
  }
  d.item_type = *t;
  if (*t == ValueType::kEnum) d.values = EnumValues(c, *items, f, ip);
  return true;
}

std::optional<FactChangeSpec> CompileChange(CompileContext& c, const json& change,
                                            const FactDecl& d, std::uint16_t f,
                                            const std::string& pointer) {
  c.CheckKeys(change, {"to", "step", "lead_time_days"}, f, pointer, "a change");
  if (d.type == ValueType::kList) {
    c.Error("E013", "only scalar facts can declare a change", f, pointer);
    return std::nullopt;
  }
  FactChangeSpec spec;
  spec.step = c.StringMember(change, "step", true, f, pointer, "a change");
  if (const json* days = c.Member(change, "lead_time_days", json::value_t::number_integer, true, f,
                                  pointer, "a change")) {
    spec.lead_time_days = days->get<int>();
    if (spec.lead_time_days < 0) {
      c.Error("E013", "\"lead_time_days\" must not be negative", f,
              AppendPointer(pointer, "lead_time_days"));
    }
  }
  auto to = change.find("to");
  if (to == change.end()) {
    c.Error("E012", "a change needs \"to\"", f, pointer);
    return std::nullopt;
  }
  Typed want{0, d.type, -1};
  if (d.type == ValueType::kEnum) {
    // The fact is not in the dictionary yet: check the value against its own list.
    if (!to->is_string() ||
        std::find(d.values.begin(), d.values.end(), to->get<std::string>()) == d.values.end()) {
      c.Error("E026", fmt::format("\"to\" must be one of {}", fmt::join(d.values, ", ")), f,
              AppendPointer(pointer, "to"));
      return std::nullopt;
    }
    spec.to = Value::Enum(std::find(d.values.begin(), d.values.end(), to->get<std::string>()) -
                          d.values.begin());
    return spec;
  }
  auto value = Coerce(c, *to, want, f, AppendPointer(pointer, "to"));
  if (!value) return std::nullopt;
  spec.to = std::move(*value);
  return spec;
}

}  // namespace

void CompileFact(CompileContext& c, std::uint16_t f, const std::string& path, const json& decl,
                 const std::string& pointer, std::optional<FactId> list) {
  const char* what = list ? "a record field" : "a fact";
  if (!ValidName(path, !list)) {
    c.Error("E013",
            fmt::format("\"{}\" is not a valid {} name (lower-case letters, digits and _{})",
                        EscapeForDisplay(path), list ? "field" : "fact",
                        list ? "" : ", segments joined by '.'"),
            f, pointer, true);
    return;
  }
  if (!decl.is_object()) {
    c.Error("E011", fmt::format("the declaration of \"{}\" must be an object", path), f, pointer);
    return;
  }
  c.CheckKeys(decl,
              {"type", "values", "items", "fields", "minimum", "maximum", "unit", "description",
               "question", "example", "change", "dated", "derive", "labels", "ask"},
              f, pointer, what);
  FactDecl d;
  d.path = path;
  d.field_name = path;
  d.file = c.rules.files[f].name();
  d.offset = c.docs[f].KeyOffsetOf(pointer);
  d.description = c.StringMember(decl, "description", true, f, pointer, what);
  d.question = c.StringMember(decl, "question", !list, f, pointer, what);
  d.unit = c.StringMember(decl, "unit", false, f, pointer, what);
  if (auto it = decl.find("example"); it != decl.end() && !it->is_null()) {
    d.example = it->dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }
  if (!CompileType(c, d, decl, f, pointer, what)) return;
  const json* fields = nullptr;
  if (!CompileListShape(c, d, decl, f, pointer, what, list.has_value(), fields)) return;
  if (const json* labels =
          c.Member(decl, "labels", json::value_t::object, false, f, pointer, what)) {
    CompileLabels(c, d, *labels, f, AppendPointer(pointer, "labels"));
  }
  if (const json* change =
          c.Member(decl, "change", json::value_t::object, false, f, pointer, what)) {
    d.change = CompileChange(c, *change, d, f, AppendPointer(pointer, "change"));
  }
  if (c.rules.dictionary.full()) {
    c.Error("E003",
            fmt::format("the rule set declares more facts than the limit of {}",
                        FactDictionary::kMaxFacts),
            f, pointer, true);
    return;
  }
  std::optional<FactId> id;
  if (list) {
    id = c.rules.dictionary.AddField(*list, d);
  } else {
    id = c.rules.dictionary.Add(d);
  }
  if (!id) {
    c.Error("E020",
            fmt::format("fact \"{}\" is declared twice, or clashes with the prefix of another fact",
                        path),
            f, pointer, true);
    return;
  }
  const json* dated = c.Member(decl, "dated", json::value_t::object, false, f, pointer, what);
  const json* derive = c.Member(decl, "derive", json::value_t::array, false, f, pointer, what);
  const json* ask = c.Member(decl, "ask", json::value_t::object, false, f, pointer, what);
  if (ask != nullptr && list) {
    c.Error("E013", "a record field cannot have \"ask\": its list is asked as a whole", f,
            AppendPointer(pointer, "ask"), true);
  } else if (ask != nullptr) {
    c.fact_extras.push_back({*id, f, pointer, nullptr, nullptr, ask});
  }
  if ((dated != nullptr || derive != nullptr) && list) {
    c.Error("E013", "a record field cannot be dated or derived: its list can be dated", f,
            AppendPointer(pointer, dated != nullptr ? "dated" : "derive"), true);
  } else if (dated != nullptr || derive != nullptr) {
    c.fact_extras.push_back({*id, f, pointer, dated, derive});
  }
  if (fields != nullptr) {
    const std::string fp = AppendPointer(pointer, "fields");
    for (auto it = fields->begin(); it != fields->end(); ++it) {
      CompileFact(c, f, it.key(), it.value(), AppendPointer(fp, it.key()), *id);
    }
  }
}

}  // namespace imgvisa::compiler

#include "output/schema.h"

#include <map>
#include <set>

#include "imgvisa/base/country.h"
#include "imgvisa/engine/verdict.h"

namespace imgvisa {
namespace {

using json = nlohmann::ordered_json;

constexpr const char* kDraft = "https://json-schema.org/draft/2020-12/schema";
constexpr const char* kDatePattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

json ScalarSchema(ValueType type, const std::vector<std::string>& values, const FactDecl* bounds) {
  json s = json::object();
  switch (type) {
    case ValueType::kBool:
      s["type"] = json::array({"boolean", "null"});
      break;
    case ValueType::kInteger:
    case ValueType::kNumber:
      s["type"] = json::array({type == ValueType::kInteger ? "integer" : "number", "null"});
      if (bounds && bounds->minimum) s["minimum"] = *bounds->minimum;
      if (bounds && bounds->maximum) s["maximum"] = *bounds->maximum;
      break;
    case ValueType::kString:
      s["type"] = json::array({"string", "null"});
      break;
    case ValueType::kEnum: {
      json e = json::array();
      for (const std::string& v : values) e.push_back(v);
      e.push_back(nullptr);
      s["enum"] = std::move(e);
      break;
    }
    case ValueType::kDate:
      s["type"] = json::array({"string", "null"});
      s["pattern"] = kDatePattern;
      s["format"] = "date";
      break;
    case ValueType::kCountry: {
      json e = json::array();
      for (const Country& c : Countries()) e.push_back(c.code);
      e.push_back(nullptr);
      s["enum"] = std::move(e);
      break;
    }
    case ValueType::kList:
      break;
  }
  return s;
}

json FactSchema(const RuleSet& rules, const FactDecl& d) {
  json s;
  if (d.type != ValueType::kList) {
    s = ScalarSchema(d.type, d.values, &d);
  } else if (d.item_type) {
    json item = ScalarSchema(*d.item_type, d.values, nullptr);
    // Items of a list are known values: null is not allowed inside.
    if (item.contains("enum")) item["enum"].erase(item["enum"].size() - 1);
    if (item.contains("type")) item["type"] = item["type"][0];
    s = {{"type", json::array({"array", "null"})}, {"items", std::move(item)}};
  } else {
    json props = json::object();
    for (FactId f : d.fields) {
      const FactDecl& field = rules.dictionary.at(f);
      json fs = ScalarSchema(field.type, field.values, &field);
      fs["description"] = field.description;
      props[field.field_name] = std::move(fs);
    }
    s = {{"type", json::array({"array", "null"})},
         {"items",
          {{"type", "object"}, {"additionalProperties", false}, {"properties", std::move(props)}}}};
  }
  std::string description = d.description;
  if (!d.question.empty()) description += " Question: " + d.question;
  s["description"] = description;
  if (!d.example.empty()) s["examples"] = json::array({json::parse(d.example)});
  return s;
}

// Inserts `schema` at the dotted `path` of a nested object schema.
void Insert(json& object, const std::string& path, json schema) {
  const std::size_t dot = path.find('.');
  json& props = object["properties"];
  if (dot == std::string::npos) {
    props[path] = std::move(schema);
    return;
  }
  const std::string head = path.substr(0, dot);
  if (!props.contains(head)) {
    props[head] = {{"type", json::array({"object", "null"})},
                   {"additionalProperties", false},
                   {"properties", json::object()}};
  }
  Insert(props[head], path.substr(dot + 1), std::move(schema));
}

json Strings(const std::vector<std::string>& values) {
  json a = json::array();
  for (const auto& v : values) a.push_back(v);
  return a;
}

// Several offers: "offers" is a list of what "offer" is, and a profile gives one or the other.
void AddAlternatives(json& schema, const RuleSet& rules) {
  const std::optional<Alternatives>& a = rules.dictionary.alternatives();
  if (!a || !schema["properties"].contains(a->prefix)) return;
  json one = schema["properties"][a->prefix];
  one["type"] = "object";
  schema["properties"][a->key] = {
      {"type", json::array({"array", "null"})},
      {"items", std::move(one)},
      {"description", "Several " + a->prefix + "s, each judged on its own; give \"" + a->prefix +
                          "\" or \"" + a->key + "\", not both."}};
  schema["not"] = {{"required", json::array({a->prefix, a->key})}};
}

}  // namespace

json ProfileSchema(const RuleSet& rules) {
  json schema = {
      {"$schema", kDraft},
      {"$id", "https://imgvisa.invalid/schema/profile.json"},
      {"title", "imgvisa profile (rules " + rules.name + " " + rules.version + ")"},
      {"description",
       "What a person knows. A fact left out, or null, is unknown: never false or zero."},
      {"type", "object"},
      {"additionalProperties", false},
      {"properties",
       {{"$schema", {{"type", "string"}}},
        {"$comment", {{"type", "string"}}},
        {"$id", {{"type", "string"}, {"description", "An identifier echoed in the output."}}}}}};
  for (const FactDecl& d : rules.dictionary.facts()) {
    if (d.list) continue;
    Insert(schema, d.path, FactSchema(rules, d));
  }
  AddAlternatives(schema, rules);
  return schema;
}

namespace {

// The names of a rule set that the schema offers for completion.
struct SchemaNames {
  std::vector<std::string> facts, lists, pathways, definitions, items, verdicts;
};

SchemaNames NamesOf(const RuleSet& rules) {
  SchemaNames names;
  for (const FactDecl& d : rules.dictionary.facts()) {
    if (d.list) continue;
    names.facts.push_back(d.path);
    if (d.is_record_list()) names.lists.push_back(d.path);
  }
  for (const Pathway& p : rules.pathways) {
    names.pathways.push_back(p.id);
    std::set<std::string> seen;
    for (const Item& i : p.items) {
      if (seen.insert(i.id).second) names.items.push_back(p.id + "/" + i.id);
    }
  }
  for (const auto& [name, c] : rules.definitions) names.definitions.push_back(name);
  std::sort(names.definitions.begin(), names.definitions.end());
  names.verdicts.assign(std::begin(kVerdictNames), std::end(kVerdictNames));
  return names;
}

// An object with the one member `key`: the shape of every operator.
json One(const char* key, json value) {
  return json{{"type", "object"},
              {"required", json::array({key})},
              {"additionalProperties", false},
              {"properties", {{key, std::move(value)}}}};
}

// Completion for names the set has, while still allowing new ones (the loader checks them).
json Known(const std::vector<std::string>& names) {
  return json{{"anyOf", json::array({json{{"enum", Strings(names)}}, json{{"type", "string"}}})}};
}

json ConditionRef() { return {{"$ref", "#/$defs/condition"}}; }
json ExpressionRef() { return {{"$ref", "#/$defs/expression"}}; }
json LiteralSchema() { return {{"type", json::array({"string", "number", "boolean"})}}; }
json DateSchema() { return {{"type", "string"}, {"pattern", kDatePattern}}; }
json ItemStatuses() { return json::array({"met", "unmet", "unknown", "inactive"}); }

// [operand, operand]
json PairSchema() {
  return {{"type", "array"}, {"minItems", 2}, {"maxItems", 2}, {"items", ExpressionRef()}};
}

// {"list": …, "where": …, "of": …}, the argument of some, every, count and sum.
json ListQuerySchema(const SchemaNames& names) {
  return {{"type", "object"},
          {"required", json::array({"list"})},
          {"additionalProperties", false},
          {"properties",
           {{"list", Known(names.lists)}, {"where", ConditionRef()}, {"of", ExpressionRef()}}}};
}

// $defs/condition: one schema per condition operator (docs/rule-language.md).
json ConditionSchemas(const SchemaNames& names) {
  const json literals = {{"type", "array"}, {"minItems", 1}, {"items", LiteralSchema()}};
  const json member = {{"type", "array"},
                       {"prefixItems", json::array({ExpressionRef(), literals})},
                       {"minItems", 2},
                       {"maxItems", 2}};
  json conditions = json::array();
  conditions.push_back(One("all", {{"type", "array"}, {"minItems", 1}, {"items", ConditionRef()}}));
  conditions.push_back(One("any", {{"type", "array"}, {"minItems", 1}, {"items", ConditionRef()}}));
  conditions.push_back(One("not", ConditionRef()));
  for (const char* op : {"eq", "ne", "lt", "le", "gt", "ge"}) {
    conditions.push_back(One(op, PairSchema()));
  }
  conditions.push_back(One("in", {{"anyOf", json::array({member, PairSchema()})}}));
  for (const char* op : {"overlaps", "within"}) conditions.push_back(One(op, member));
  conditions.push_back(
      One("exists", {{"anyOf", json::array({Known(names.facts), ExpressionRef()})}}));
  conditions.push_back(One("some", ListQuerySchema(names)));
  conditions.push_back(One("every", ListQuerySchema(names)));
  conditions.push_back(One("disjoint", {{"type", "object"},
                                        {"required", json::array({"list", "from", "to"})},
                                        {"additionalProperties", false},
                                        {"properties",
                                         {{"list", Known(names.lists)},
                                          {"where", ConditionRef()},
                                          {"from", ExpressionRef()},
                                          {"to", ExpressionRef()}}}}));
  conditions.push_back(One("ref", Known(names.definitions)));
  conditions.push_back(
      {{"type", "object"},
       {"required", json::array({"pathway", "is"})},
       {"additionalProperties", false},
       {"properties",
        {{"pathway", Known(names.pathways)},
         {"is", {{"type", "array"}, {"items", {{"enum", Strings(names.verdicts)}}}}}}}});
  conditions.push_back({{"type", "object"},
                        {"required", json::array({"item", "is"})},
                        {"additionalProperties", false},
                        {"properties",
                         {{"item", Known(names.items)},
                          {"is", {{"type", "array"}, {"items", {{"enum", ItemStatuses()}}}}}}}});
  conditions.push_back(One("unsettled", {{"type", "object"},
                                         {"required", json::array({"id", "reason", "decides"})},
                                         {"additionalProperties", false},
                                         {"properties",
                                          {{"id", {{"type", "string"}}},
                                           {"reason", {{"type", "string"}}},
                                           {"decides", {{"type", "string"}}}}}}));
  return conditions;
}

// $defs/expression: a literal, or one schema per expression operator.
json ExpressionSchemas(const SchemaNames& names) {
  json expressions = json::array();
  expressions.push_back(LiteralSchema());
  expressions.push_back(One("fact", Known(names.facts)));
  expressions.push_back(One("field", {{"type", "string"}}));
  expressions.push_back(One("as_of", {{"const", true}}));
  expressions.push_back(One("date", DateSchema()));
  for (const char* op :
       {"months_between", "days_between", "add_months", "add_days", "add", "sub"}) {
    expressions.push_back(One(op, PairSchema()));
  }
  expressions.push_back(One("count", ListQuerySchema(names)));
  expressions.push_back(One("sum", ListQuerySchema(names)));
  expressions.push_back(
      One("coalesce", {{"type", "array"}, {"minItems", 1}, {"items", ExpressionRef()}}));
  return expressions;
}

json EffectiveSchema() {
  return {{"type", "object"},
          {"additionalProperties", false},
          {"properties", {{"from", DateSchema()}, {"until", DateSchema()}}}};
}

json SourceSchema() {
  return {{"type", "object"},
          {"required", json::array({"instrument", "verified"})},
          {"additionalProperties", false},
          {"properties",
           {{"instrument", {{"type", "string"}, {"minLength", 1}}},
            {"section", {{"type", "string"}}},
            {"url", {{"type", "string"}}},
            {"verified", DateSchema()},
            {"read", {{"type", "string"}}}}}};
}

json ItemSchema() {
  return {{"type", "object"},
          {"required", json::array({"id", "kind", "title", "text", "sources"})},
          {"additionalProperties", false},
          {"properties",
           {{"id", {{"type", "string"}, {"pattern", "^[a-z0-9-]+$"}}},
            {"kind",
             {{"enum", json::array({"gate", "requirement", "restriction", "condition", "note",
                                    "consequence"})}}},
            {"title", {{"type", "string"}}},
            {"condition", ConditionRef()},
            {"at", ExpressionRef()},
            {"let", {{"type", "object"}, {"additionalProperties", ExpressionRef()}}},
            {"text",
             {{"type", "object"},
              {"required", json::array({"met"})},
              {"additionalProperties", false},
              {"properties",
               {{"met", {{"type", "string"}}},
                {"unmet", {{"type", "string"}}},
                {"unknown", {{"type", "string"}}}}}}},
            {"sources", {{"type", "array"}, {"minItems", 1}, {"items", SourceSchema()}}},
            {"effective", EffectiveSchema()},
            {"volatile", {{"type", "boolean"}}},
            {"$comment", {{"type", "string"}}}}}};
}

json PathwaySchema() {
  return {{"type", "object"},
          {"required", json::array({"id", "title", "summary", "sponsor", "items"})},
          {"additionalProperties", false},
          {"properties",
           {{"id", {{"type", "string"}, {"pattern", "^[a-z0-9-]+$"}}},
            {"title", {{"type", "string"}}},
            {"summary", {{"type", "string"}}},
            {"sponsor", {{"type", "string"}}},
            {"component", {{"type", "boolean"}}},
            {"effective", EffectiveSchema()},
            {"items", {{"type", "array"}, {"minItems", 1}, {"items", ItemSchema()}}}}}};
}

// The names of the fact types, the list's among them or not.
json TypeNames(bool with_list) {
  json names = json::array();
  for (ValueType type : kValueTypes) {
    if (with_list || type != ValueType::kList) names.push_back(ValueTypeName(type));
  }
  return names;
}

// $defs/fact: the declaration of a fact, or of a field of a list of records.
json FactDeclarationSchema() {
  const json scalar_decl_props = {{"type", {{"enum", TypeNames(false)}}},
                                  {"values", {{"type", "array"}, {"items", {{"type", "string"}}}}}};
  json fact_props = {
      {"type", {{"enum", TypeNames(true)}}},
      {"values", {{"type", "array"}, {"items", {{"type", "string"}}}}},
      {"items",
       {{"type", "object"}, {"additionalProperties", false}, {"properties", scalar_decl_props}}},
      {"fields", {{"type", "object"}, {"additionalProperties", {{"$ref", "#/$defs/fact"}}}}},
      {"minimum", {{"type", "number"}}},
      {"maximum", {{"type", "number"}}},
      {"unit", {{"type", "string"}}},
      {"description", {{"type", "string"}}},
      {"question", {{"type", "string"}}},
      {"example", json::object()},
      {"labels",
       {{"type", "object"}, {"additionalProperties", {{"type", "string"}, {"minLength", 1}}}}},
      {"ask",
       {{"type", "object"},
        {"required", json::array({"after"})},
        {"additionalProperties", false},
        {"properties",
         {{"after", {{"type", "string"}}},
          {"unless", {{"type", "array"}, {"items", LiteralSchema()}}}}}}},
      {"change",
       {{"type", "object"},
        {"required", json::array({"to", "step", "lead_time_days"})},
        {"additionalProperties", false},
        {"properties",
         {{"to", LiteralSchema()},
          {"step", {{"type", "string"}}},
          {"lead_time_days", {{"type", "integer"}, {"minimum", 0}}}}}}},
      {"dated",
       {{"type", "object"},
        {"required", json::array({"by"})},
        {"additionalProperties", false},
        {"properties",
         {{"by", {{"type", "string"}}},
          {"values", {{"type", "array"}, {"items", LiteralSchema()}}},
          {"before", LiteralSchema()}}}}},
      {"derive",
       {{"type", "array"},
        {"minItems", 1},
        {"items",
         {{"type", "object"},
          {"required", json::array({"when", "value"})},
          {"additionalProperties", false},
          {"properties",
           {{"when", ConditionRef()},
            {"value", LiteralSchema()},
            {"$comment", {{"type", "string"}}}}}}}}}};
  return {{"type", "object"},
          {"required", json::array({"type", "description"})},
          {"additionalProperties", false},
          {"properties", fact_props}};
}

// An element of "tests" (docs/rule-language.md, rule tests).
json TestCaseSchema(const SchemaNames& names) {
  return {{"type", "object"},
          {"required", json::array({"name", "as_of"})},
          {"additionalProperties", false},
          {"properties",
           {{"name", {{"type", "string"}}},
            {"as_of", DateSchema()},
            {"profile", {{"type", "object"}}},
            {"profile_file", {{"type", "string"}}},
            {"expect",
             {{"type", "object"}, {"additionalProperties", {{"enum", Strings(names.verdicts)}}}}},
            {"decisive",
             {{"type", "object"},
              {"additionalProperties", {{"type", "array"}, {"items", {{"type", "string"}}}}}}},
            {"whichever_way",
             {{"type", "object"},
              {"additionalProperties", {{"type", "array"}, {"items", {{"type", "string"}}}}}}},
            {"expect_items",
             {{"type", "object"}, {"additionalProperties", {{"enum", ItemStatuses()}}}}},
            {"expect_missing",
             {{"type", "object"},
              {"additionalProperties", {{"type", "array"}, {"items", {{"type", "string"}}}}}}},
            {"$comment", {{"type", "string"}}}}}};
}

json ManifestSchema(const SchemaNames& names) {
  return {
      {"type", "object"},
      {"required", json::array({"name", "version"})},
      {"additionalProperties", false},
      {"properties",
       {{"name", {{"type", "string"}}},
        {"version", {{"type", "string"}}},
        {"description", {{"type", "string"}}},
        {"order", {{"type", "array"}, {"items", Known(names.pathways)}}},
        {"alternatives", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}}}}};
}

}  // namespace

json RulesSchema(const RuleSet& rules) {
  const SchemaNames names = NamesOf(rules);
  return {{"$schema", kDraft},
          {"$id", "https://imgvisa.invalid/schema/rules.json"},
          {"title", "imgvisa rule file (docs/rule-language.md)"},
          {"type", "object"},
          {"additionalProperties", false},
          {"properties",
           {{"$schema", {{"type", "string"}}},
            {"$comment", {{"type", "string"}}},
            {"ruleset", ManifestSchema(names)},
            {"facts", {{"type", "object"}, {"additionalProperties", {{"$ref", "#/$defs/fact"}}}}},
            {"definitions", {{"type", "object"}, {"additionalProperties", ConditionRef()}}},
            {"pathway", PathwaySchema()},
            {"tests", {{"type", "array"}, {"items", TestCaseSchema(names)}}}}},
          {"$defs",
           {{"condition", {{"anyOf", ConditionSchemas(names)}}},
            {"expression", {{"anyOf", ExpressionSchemas(names)}}},
            {"fact", FactDeclarationSchema()}}}};
}

}  // namespace imgvisa

#include <fmt/format.h>

#include "rules/compiler/compiler.h"

namespace imgvisa::compiler {
namespace {

void ScanManifest(CompileContext& c, std::uint16_t f, const json& m) {
  ++c.manifests;
  if (c.manifests > 1) {
    c.Error("E030", "a second \"ruleset\" section: a rule set has exactly one", f, "/ruleset",
            true);
  }
  c.CheckKeys(m, {"name", "version", "description", "order", "alternatives"}, f, "/ruleset",
              "the ruleset section");
  if (const json* alternatives = c.Member(m, "alternatives", json::value_t::object, false, f,
                                          "/ruleset", "the ruleset section")) {
    c.alternatives = alternatives;
    c.alternatives_file = f;
  }
  if (const json* order =
          c.Member(m, "order", json::value_t::array, false, f, "/ruleset", "the ruleset section")) {
    c.order = order;
    c.order_file = f;
  }
  c.rules.name = c.StringMember(m, "name", true, f, "/ruleset", "the ruleset section");
  c.rules.version = c.StringMember(m, "version", true, f, "/ruleset", "the ruleset section");
  c.rules.description =
      c.StringMember(m, "description", false, f, "/ruleset", "the ruleset section");
}

void ScanDefinitions(CompileContext& c, std::uint16_t f, const json& defs) {
  for (auto it = defs.begin(); it != defs.end(); ++it) {
    const std::string pointer = AppendPointer("/definitions", it.key());
    if (c.pending_definitions.count(it.key())) {
      const auto& first = c.pending_definitions[it.key()];
      const LineCol at = c.rules.files[first.file].ToLineCol(c.OffsetOf(first.file, first.pointer));
      c.Error("E020",
              fmt::format("definition \"{}\" is defined twice (first in {}:{}:{})", it.key(),
                          c.rules.files[first.file].name(), at.line, at.column),
              f, pointer, true);
      continue;
    }
    c.pending_definitions[it.key()] = PendingDefinition{f, pointer, &it.value()};
  }
}

void ScanPathway(CompileContext& c, std::uint16_t f, const json& p) {
  const json* id = c.Member(p, "id", json::value_t::string, true, f, "/pathway", "a pathway");
  if (id == nullptr) return;
  const std::string& name = id->get_ref<const std::string&>();
  if (c.pathway_ids.count(name)) {
    c.Error("E020", fmt::format("pathway id \"{}\" is used twice", name), f, "/pathway/id");
    return;
  }
  const int index = static_cast<int>(c.rules.pathways.size());
  c.pathway_ids[name] = index;
  c.rules.pathways.emplace_back();
  c.rules.pathways.back().id = name;
  c.pathway_sources.emplace_back(f, index);
  c.pathway_deps.emplace_back();
}

}  // namespace

void ScanSections(CompileContext& c, std::uint16_t f) {
  const JsonDocument& doc = c.docs[f];
  if (!doc.ok) return;
  const json& root = doc.value;
  if (!root.is_object()) {
    c.Error("E011", fmt::format("a rule file must hold a JSON object, not {}", JsonTypeName(root)),
            f, "");
    return;
  }
  c.CheckKeys(root, {"$schema", "$comment", "ruleset", "facts", "definitions", "pathway", "tests"},
              f, "", "a rule file");
  if (const json* m =
          c.Member(root, "ruleset", json::value_t::object, false, f, "", "a rule file")) {
    ScanManifest(c, f, *m);
  }
  if (const json* facts =
          c.Member(root, "facts", json::value_t::object, false, f, "", "a rule file")) {
    for (auto it = facts->begin(); it != facts->end(); ++it) {
      CompileFact(c, f, it.key(), it.value(), AppendPointer("/facts", it.key()), std::nullopt);
    }
  }
  if (const json* defs =
          c.Member(root, "definitions", json::value_t::object, false, f, "", "a rule file")) {
    ScanDefinitions(c, f, *defs);
  }
  if (const json* p =
          c.Member(root, "pathway", json::value_t::object, false, f, "", "a rule file")) {
    ScanPathway(c, f, *p);
  }
}

}  // namespace imgvisa::compiler

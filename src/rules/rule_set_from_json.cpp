#include "imgvisa/rules/rule_set_from_json.h"

#include <utility>

#include "rules/compiler/compiler.h"

namespace imgvisa {
namespace {

// The passes of the compiler (rules/compiler/): the top level of every file first, so that
// facts, definitions and pathway ids are known wherever they are used; then definitions and
// pathways; then what links pathways to each other.
std::optional<RuleSet> Compile(compiler::CompileContext& c) {
  for (std::size_t i = 0; i < c.rules.files.size(); ++i) {
    std::vector<Diagnostic> parse_diagnostics;
    c.docs.push_back(ParseJson(c.rules.files[i], parse_diagnostics, c.positions));
    for (auto& d : parse_diagnostics) c.diagnostics.push_back(std::move(d));
  }
  if (c.rules.files.empty()) {
    c.diagnostics.push_back(
        Diagnostic{Severity::kError, "E030", "the rule set has no files", "<rules>", std::nullopt});
  }
  for (std::uint16_t f = 0; f < c.docs.size(); ++f) compiler::ScanSections(c, f);
  if (c.manifests == 0 && !c.rules.files.empty()) {
    c.diagnostics.push_back(Diagnostic{Severity::kError, "E030",
                                       "no file of the rule set has a \"ruleset\" section "
                                       "(name and version)",
                                       c.rules.files[0].name(), std::size_t{0}});
  }
  compiler::CompileAlternatives(c);
  compiler::CompileDatings(c);
  compiler::CompileAskOrders(c);
  for (auto& [name, def] : c.pending_definitions) compiler::CompileDefinition(c, name);
  compiler::CompileDerivations(c);
  for (auto& [file, index] : c.pathway_sources) compiler::CompilePathway(c, file, index);
  compiler::LinkPathways(c);
  c.rules.root = c.root;
  for (std::size_t i = 0; i < c.rules.files.size(); ++i) Locate(c.diagnostics, c.rules.files[i]);
  if (HasErrors(c.diagnostics)) return std::nullopt;
  return std::move(c.rules);
}

}  // namespace

RuleSetLoad RuleSetFromFiles(std::vector<SourceFile> files, std::string_view root, bool positions) {
  RuleSetLoad load;
  compiler::CompileContext context(std::move(files), root, positions, load.diagnostics);
  load.rules = Compile(context);
  if (!positions && !load.ok()) {
    // Problems are reported with their places: compile again, this time recording them.
    load.diagnostics.clear();
    compiler::CompileContext located(std::move(context.rules.files), root, true, load.diagnostics);
    load.rules = Compile(located);
  }
  SortByLocation(load.diagnostics);
  return load;
}

}  // namespace imgvisa

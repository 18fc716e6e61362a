#include "cli/load_rules.h"

#include <utility>

#include "imgvisa/rules/rule_set_from_json.h"
#include "imgvisa/rules/rule_source.h"

namespace imgvisa {

LoadedRules LoadedRules::Shared(const RuleSet& rules) {
  LoadedRules loaded;
  loaded.rules_ = &rules;
  return loaded;
}

LoadedRules LoadedRules::Owned(RuleSet rules) {
  LoadedRules loaded;
  loaded.owned_ = std::make_unique<const RuleSet>(std::move(rules));
  loaded.rules_ = loaded.owned_.get();
  return loaded;
}

RulesRead ReadRules(const std::vector<std::string>& paths, RulesWanted wanted) {
  RulesRead read;
  // The embedded set was compiled when the binary was built and is restored once per process;
  // the image keeps neither the files' texts nor positions. A binary without an image compiles
  // the embedded JSON below, which then says why it does not load.
  if (paths.empty() && !wanted.files && !wanted.positions) {
    if (const RuleSet* embedded = EmbeddedRuleSet()) {
      read.rules = LoadedRules::Shared(*embedded);
      return read;
    }
  }
  std::string root;
  std::vector<SourceFile> files = RuleFilesFromPaths(paths, &root, read.unreadable);
  if (!read.unreadable.empty()) return read;
  RuleSetLoad load = RuleSetFromFiles(std::move(files), root, wanted.positions);
  read.diagnostics = std::move(load.diagnostics);
  if (load.rules) read.rules = LoadedRules::Owned(std::move(*load.rules));
  return read;
}

LoadedRules LoadRules(const std::vector<std::string>& paths, const RulesFor& who, std::ostream& err,
                      RulesWanted wanted) {
  RulesRead read = ReadRules(paths, wanted);
  if (!read.rules) {
    std::vector<Diagnostic>& shown = read.unreadable.empty() ? read.diagnostics : read.unreadable;
    const std::vector<OmittedErrors> omitted = LimitErrors(shown, who.max_errors);
    for (const Diagnostic& d : shown) err << FormatDiagnostic(d) << "\n";
    for (const OmittedErrors& o : omitted) err << FormatOmittedErrors(o.file, o.count) << "\n";
    err << "imgvisa " << who.command << ": " << who.what << " does not load\n";
  }
  return std::move(read.rules);
}

LoadedRules LoadRules(const std::string& path, const RulesFor& who, std::ostream& err) {
  return LoadRules(path.empty() ? std::vector<std::string>{} : std::vector<std::string>{path}, who,
                   err);
}

}  // namespace imgvisa

#include "imgvisa/cli/cmd_explain.h"

#include "cli/load_rules.h"
#include "cli/options.h"
#include "imgvisa/base/diagnostic.h"
#include "imgvisa/cli/exit_code.h"
#include "imgvisa/cli/selection.h"
#include "imgvisa/output/explain.h"

namespace imgvisa {

int RunExplain(const ExplainOptions& options, std::ostream& out, std::ostream& err) {
  const std::optional<ExplainConfig> config = ResolveExplainOptions(options, err);
  if (!config) return kExitUsage;
  const LoadedRules rules =
      LoadRules(config->rules_path, {"explain", "the rule set", config->max_errors}, err);
  if (!rules) return kExitRules;
  std::string problem;
  auto selection = SelectPathways(*rules, config->pathways, &problem);
  if (!selection) {
    err << "imgvisa explain: " << EscapeForDisplay(problem, 400) << "\n";
    return kExitUsage;
  }
  ExplainPathways(out, *rules, *selection, config->as_of, std::string(FormatName(config->format)));
  return kExitOk;
}

int RunDocs(const std::string& which, const std::string& rules_path, std::ostream& out,
            std::ostream& err, std::size_t max_errors) {
  const std::optional<DocsPage> page = ParseDocsPage(which);
  const LoadedRules rules = LoadRules(rules_path, {"docs", "the rule set", max_errors}, err);
  if (!rules) return kExitRules;
  if (!page) {
    err << "imgvisa docs: choose pathways or profile\n";
    return kExitUsage;
  }
  switch (*page) {
    case DocsPage::kPathways:
      out << PathwaysDocument(*rules);
      break;
    case DocsPage::kProfile:
      out << ProfileDocument(*rules);
      break;
  }
  return kExitOk;
}

}  // namespace imgvisa

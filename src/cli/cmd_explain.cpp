#include "imgvisa/cli/cmd_explain.h"

#include "cli/load_rules.h"
#include "imgvisa/base/diagnostic.h"
#include "imgvisa/cli/as_of_option.h"
#include "imgvisa/cli/exit_code.h"
#include "imgvisa/cli/selection.h"
#include "imgvisa/output/explain.h"

namespace imgvisa {

int RunExplain(const ExplainOptions& options, std::ostream& out, std::ostream& err) {
  std::optional<Date> as_of;
  if (!options.all_versions) {
    as_of = ParseAsOfOption(options.as_of, "explain", err);
    if (!as_of) return kExitUsage;
  }
  if (options.format != "text" && options.format != "markdown" && options.format != "json") {
    err << "imgvisa explain: --format must be text, markdown or json\n";
    return kExitUsage;
  }
  const LoadedRules rules = LoadRules(options.rules_path, {"explain"}, err);
  if (!rules) return kExitRules;
  std::string problem;
  auto selection = SelectPathways(*rules, options.pathways, &problem);
  if (!selection) {
    err << "imgvisa explain: " << EscapeForDisplay(problem, 400) << "\n";
    return kExitUsage;
  }
  ExplainPathways(out, *rules, *selection, as_of, options.format);
  return kExitOk;
}

int RunDocs(const std::string& which, const std::string& rules_path, std::ostream& out,
            std::ostream& err) {
  const LoadedRules rules = LoadRules(rules_path, {"docs"}, err);
  if (!rules) return kExitRules;
  if (which == "pathways") {
    out << PathwaysDocument(*rules);
  } else if (which == "profile") {
    out << ProfileDocument(*rules);
  } else {
    err << "imgvisa docs: choose pathways or profile\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace imgvisa

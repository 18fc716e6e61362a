#include "imgvisa/cmd_schema.h"

#include "imgvisa/exit_code.h"
#include "imgvisa/rule_source.h"
#include "imgvisa/schema.h"

namespace imgvisa {

int RunSchema(const std::string& which, const std::string& rules_path, std::ostream& out,
              std::ostream& err) {
  if (which != "profile" && which != "rules") {
    err << "imgvisa schema: choose profile or rules\n";
    return kExitUsage;
  }
  RuleSetLoad load = LoadRuleSet(rules_path, /*positions=*/false);
  if (!load.ok()) {
    for (const Diagnostic& d : load.diagnostics) err << FormatDiagnostic(d) << "\n";
    err << "imgvisa schema: the rule set does not load\n";
    return kExitRules;
  }
  out << (which == "profile" ? ProfileSchema(*load.rules) : RulesSchema(*load.rules)).dump(2)
      << "\n";
  return kExitOk;
}

}  // namespace imgvisa

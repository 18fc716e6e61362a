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
  const std::optional<RuleSet> rules = LoadRuleSetOrReport(rules_path, err, "schema");
  if (!rules) return kExitRules;
  out << (which == "profile" ? ProfileSchema(*rules) : RulesSchema(*rules)).dump(2) << "\n";
  return kExitOk;
}

}  // namespace imgvisa

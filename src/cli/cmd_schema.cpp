#include "imgvisa/cli/cmd_schema.h"

#include "cli/load_rules.h"
#include "cli/options.h"
#include "imgvisa/cli/exit_code.h"
#include "output/schema.h"

namespace imgvisa {

int RunSchema(const std::string& which, const std::string& rules_path, std::ostream& out,
              std::ostream& err, std::size_t max_errors) {
  const std::optional<SchemaKind> kind = ParseSchemaKind(which);
  if (!kind) {
    err << "imgvisa schema: choose profile or rules\n";
    return kExitUsage;
  }
  const LoadedRules rules = LoadRules(rules_path, {"schema", "the rule set", max_errors}, err);
  if (!rules) return kExitRules;
  out << (*kind == SchemaKind::kProfile ? ProfileSchema(*rules) : RulesSchema(*rules)).dump(2)
      << "\n";
  return kExitOk;
}

}  // namespace imgvisa

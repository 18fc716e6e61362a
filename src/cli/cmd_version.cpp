#include "cli/cmd_version.h"

#include <fmt/format.h>

#include "imgvisa/cli/exit_code.h"
#include "imgvisa/rules/rule_source.h"

namespace imgvisa {

int RunVersion(std::ostream& out, std::ostream& err) {
  out << "imgvisa " << IMGVISA_VERSION << "\n";
  RuleSetLoad load = LoadRuleSet("", /*positions=*/false);
  if (!load.ok()) {
    err << "imgvisa: the embedded rule set does not load\n";
    return kExitRules;
  }
  out << fmt::format("rules {} {} sha256:{}\n", load.rules->name, load.rules->version,
                     load.rules->Sha256());
  return kExitOk;
}

}  // namespace imgvisa

#include "cli/cmd_version.h"

#include <fmt/format.h>

#include "cli/load_rules.h"
#include "imgvisa/cli/exit_code.h"

namespace imgvisa {

int RunVersion(std::ostream& out, std::ostream& err) {
  out << "imgvisa " << IMGVISA_VERSION << "\n";
  const RulesRead read = ReadRules({});
  if (!read.rules) {
    err << "imgvisa: the embedded rule set does not load\n";
    return kExitRules;
  }
  out << fmt::format("rules {} {} sha256:{}\n", read.rules->name, read.rules->version,
                     read.rules->Sha256());
  return kExitOk;
}

}  // namespace imgvisa

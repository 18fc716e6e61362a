#include "imgvisa/cli/selection.h"

#include <fmt/format.h>

#include <algorithm>

#include "imgvisa/base/suggest.h"
#include "imgvisa/rules/rule_set_from_json.h"

namespace imgvisa {

std::optional<std::vector<std::size_t>> SelectPathways(const RuleSet& rules,
                                                       const std::vector<std::string>& ids,
                                                       std::string* problem) {
  std::vector<std::size_t> out;
  if (ids.empty()) {
    for (std::size_t p : rules.presentation_order) {
      if (!rules.pathways[p].component) out.push_back(p);
    }
    return out;
  }
  for (const std::string& id : ids) {
    auto p = rules.FindPathway(id);
    if (!p) {
      std::vector<std::string> known;
      for (const Pathway& pathway : rules.pathways) known.push_back(pathway.id);
      *problem = fmt::format("no pathway \"{}\"", id);
      if (auto s = Suggest(id, known)) *problem += fmt::format("; did you mean \"{}\"?", *s);
      return std::nullopt;
    }
    if (std::find(out.begin(), out.end(), *p) == out.end()) out.push_back(*p);
  }
  return out;
}

}  // namespace imgvisa

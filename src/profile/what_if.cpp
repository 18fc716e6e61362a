#include "imgvisa/profile/what_if.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "imgvisa/base/json_document.h"
#include "imgvisa/base/suggest.h"
#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/rules/rule_set_from_json.h"

namespace imgvisa {

std::optional<FactChange> ParseFactChange(const FactDictionary& dictionary, const std::string& spec,
                                          std::string* problem) {
  using json = nlohmann::ordered_json;
  const std::size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0) {
    *problem = fmt::format("--what-if takes PATH=VALUE, not \"{}\"", EscapeForDisplay(spec));
    return std::nullopt;
  }
  const std::string path = spec.substr(0, eq);
  const std::string text = spec.substr(eq + 1);
  auto id = dictionary.Find(path);
  if (!id || dictionary.at(*id).list) {
    std::vector<std::string> paths;
    for (const FactDecl& d : dictionary.facts()) {
      if (!d.list) paths.push_back(d.path);
    }
    *problem = fmt::format("--what-if: no fact \"{}\"", EscapeForDisplay(path));
    if (auto s = Suggest(path, paths)) *problem += fmt::format("; did you mean \"{}\"?", *s);
    return std::nullopt;
  }
  json value = json::parse(text, nullptr, false);
  if (value.is_discarded()) value = text;
  // Reuse the profile reader for validation: a one-fact profile.
  json profile = json::object();
  json* node = &profile;
  std::size_t start = 0;
  for (std::size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', start)) {
    node = &(*node)[path.substr(start, dot - start)];
    start = dot + 1;
  }
  (*node)[path.substr(start)] = value;
  SourceFile source("--what-if " + path,
                    profile.dump(-1, ' ', false, json::error_handler_t::replace));
  FactsLoad load = FactsFromJson(dictionary, source);
  if (!load.ok) {
    *problem = "--what-if: " + (load.diagnostics.empty() ? std::string("invalid value")
                                                         : load.diagnostics.front().message);
    return std::nullopt;
  }
  return FactChange{*id, load.facts.values[*id], spec};
}

Facts ApplyChanges(const Facts& facts, const std::vector<FactChange>& changes) {
  Facts out = facts;
  for (const FactChange& c : changes) {
    out.values[c.fact] = c.value;
    // With several offers each carries its own offer facts, which would hide the change: it
    // applies to every one of them (a fact no offer holds is the same for all anyway).
    for (auto& alternative : out.alternatives) {
      auto same = std::find_if(alternative.begin(), alternative.end(),
                               [&](const auto& fact) { return fact.first == c.fact; });
      if (same != alternative.end()) {
        same->second = c.value;
      } else {
        alternative.emplace_back(c.fact, c.value);
      }
    }
  }
  return out;
}

}  // namespace imgvisa

#include "imgvisa/base/country.h"

#include <algorithm>
#include <vector>

#include "imgvisa/base/suggest.h"

namespace imgvisa {

namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool SameIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && Upper(a) == Upper(b);
}

}  // namespace

const Country* FindCountry(std::string_view code) {
  for (const Country& c : Countries()) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

std::optional<std::string> SuggestCountry(std::string_view text) {
  const std::string upper = Upper(text);
  std::vector<std::string> names;
  std::vector<std::string_view> codes;
  for (const Country& c : Countries()) {
    if (c.code == upper || c.alpha3 == upper) return std::string(c.code);
    for (std::string_view n : {c.name, c.common_name, c.official_name}) {
      if (n.empty()) continue;
      if (SameIgnoringCase(n, text)) return std::string(c.code);
      names.push_back(Upper(n));
      codes.push_back(c.code);
    }
  }
  // A misspelt name: only text long enough to be a name, so that a mistyped code is never
  // taken for a country it merely resembles.
  if (text.size() < 4) return std::nullopt;
  const std::optional<std::string> near = Suggest(upper, names);
  if (!near) return std::nullopt;
  const auto at = std::find(names.begin(), names.end(), *near) - names.begin();
  return std::string(codes[static_cast<std::size_t>(at)]);
}

}  // namespace imgvisa

#include "imgvisa/base/country.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <vector>

#include "imgvisa/base/diagnostic.h"
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

// The place of a two-letter upper-case code in a 26×26 table, or -1 for anything else.
int Slot(std::string_view code) {
  if (code.size() != 2) return -1;
  const auto letter = [](char c) { return c >= 'A' && c <= 'Z'; };
  if (!letter(code[0]) || !letter(code[1])) return -1;
  return (code[0] - 'A') * 26 + (code[1] - 'A');
}

}  // namespace

const Country* FindCountry(std::string_view code) {
  static const std::array<const Country*, 26 * 26> kByCode = [] {
    std::array<const Country*, 26 * 26> table{};
    for (const Country& c : Countries()) table[static_cast<std::size_t>(Slot(c.code))] = &c;
    return table;
  }();
  const int slot = Slot(code);
  return slot < 0 ? nullptr : kByCode[static_cast<std::size_t>(slot)];
}

std::vector<const Country*> CountriesNamed(std::string_view text) {
  std::vector<const Country*> named;
  if (text.empty()) return named;
  const std::string upper = Upper(text);
  for (const Country& c : Countries()) {
    bool match = c.code == upper || c.alpha3 == upper;
    for (std::string_view n : {c.name, c.common_name, c.official_name}) {
      if (match || n.empty()) continue;
      match = SameIgnoringCase(n, text) || SameIgnoringCase(n.substr(0, n.find(", ")), text);
    }
    if (match) named.push_back(&c);
  }
  return named;
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

namespace {

// The countries with a name nearest to `text`, within the distance Suggest allows a typo; several
// when they are equally near ("Nigera" is a letter from both Niger and Nigeria). Only text long
// enough to be a name, as in SuggestCountry.
std::vector<const Country*> NearestByName(std::string_view text) {
  std::vector<const Country*> nearest;
  if (text.size() < 4) return nearest;
  const std::string upper = Upper(text);
  std::size_t best = std::max<std::size_t>(2, text.size() / 3) + 1;  // Suggest's limit
  for (const Country& c : Countries()) {
    std::size_t distance = best + 1;
    for (std::string_view n : {c.name, c.common_name, c.official_name}) {
      if (!n.empty()) distance = std::min(distance, EditDistance(upper, Upper(n)));
    }
    if (distance < best) {
      best = distance;
      nearest = {&c};
    } else if (distance == best && !nearest.empty()) {
      nearest.push_back(&c);
    }
  }
  return nearest;
}

}  // namespace

std::string CountryDidYouMean(std::string_view text) {
  std::vector<const Country*> named = CountriesNamed(text);
  if (named.empty()) named = NearestByName(text);
  if (named.size() > 1) {
    std::string each;
    for (std::size_t i = 0; i < named.size(); ++i) {
      if (i > 0) each += i + 1 == named.size() ? " or " : ", ";
      each += fmt::format("\"{}\" ({})", named[i]->code, named[i]->DisplayName());
    }
    return fmt::format("did you mean {}?", each);
  }
  return named.empty() ? std::string() : fmt::format("did you mean \"{}\"?", named[0]->code);
}

std::string CountryCodeProblem(std::string_view text) {
  if (FindCountry(text) != nullptr) return "";
  const std::string shown = EscapeForDisplay(text);
  if (const Country* other_case = FindCountry(Upper(text))) {
    return fmt::format("\"{}\": country codes are upper case; did you mean \"{}\"?", shown,
                       other_case->code);
  }
  std::string message = fmt::format("\"{}\" is not an ISO 3166-1 alpha-2 country code", shown);
  if (const std::string suggestion = CountryDidYouMean(text); !suggestion.empty()) {
    message += "; " + suggestion;
  }
  return message;
}

}  // namespace imgvisa

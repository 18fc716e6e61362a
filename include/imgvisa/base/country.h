#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace imgvisa {

/// A country of ISO 3166-1, as Debian's iso-codes package lists it (generated at build time by
/// cmake/CountryCodes.cmake). US territories (PR, GU, VI, AS, MP, UM) are countries of their
/// own here, as in the standard: what they mean is for the rules to say.
struct Country {
  std::string_view code;    ///< alpha-2, upper case: the form profiles and rules use
  std::string_view alpha3;  ///< alpha-3, for suggestions only
  std::string_view name;
  std::string_view common_name;    ///< "" when the standard gives none
  std::string_view official_name;  ///< "" when the standard gives none

  /// The name people use: the common name where the standard gives one ("Iran" rather than
  /// "Iran, Islamic Republic of").
  std::string_view DisplayName() const { return common_name.empty() ? name : common_name; }
};

/// Every country, in the order of the iso-codes list.
std::span<const Country> Countries();

/// The country whose alpha-2 code is exactly `code` (upper case), or null. A table lookup: the
/// profile readers call it for every country they read.
const Country* FindCountry(std::string_view code);

/// Every country `text` names exactly, in any case: an alpha-2 or alpha-3 code, a name, common
/// name or official name, or a name's part before its comma ("Congo" for "Congo, The Democratic
/// Republic of the"). One for "india", "IND" or "in"; several for a name that more than one
/// country answers to ("Congo", "Korea"); none for anything else, a misspelling included.
std::vector<const Country*> CountriesNamed(std::string_view text);

/// For text that is not a country code, the code it most likely means, for a "did you mean":
/// the same code in lower case ("ng"), an alpha-3 code ("NGA"), a name, common name or official
/// name in any case ("Nigeria", "iran"), or a name within a small edit distance ("Nigera").
/// Nothing when no country is close.
std::optional<std::string> SuggestCountry(std::string_view text);

/// "did you mean \"NG\"?" for text that is not a code: the countries it names (CountriesNamed)
/// or else those whose name it nearly spells, each with its name when there are several ("did
/// you mean \"KR\" (South Korea) or \"KP\" (North Korea)?"); empty when no country is close.
std::string CountryDidYouMean(std::string_view text);

/// Why `text` is not a country code, for an error, with a did-you-mean where there is one:
/// "\"ng\": country codes are upper case; did you mean \"NG\"?" for a code in another case,
/// "\"Nigeria\" is not an ISO 3166-1 alpha-2 country code; did you mean \"NG\"?" for anything
/// else. Empty when `text` is a code. A code in the wrong case is never read as a country: each
/// profile and rule says exactly which one it means.
std::string CountryCodeProblem(std::string_view text);

}  // namespace imgvisa

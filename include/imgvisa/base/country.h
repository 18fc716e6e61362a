#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

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

/// The country whose alpha-2 code is exactly `code` (upper case), or null.
const Country* FindCountry(std::string_view code);

/// For text that is not a country code, the code it most likely means, for a "did you mean":
/// the same code in lower case ("ng"), an alpha-3 code ("NGA"), a name, common name or official
/// name in any case ("Nigeria", "iran"), or a name within a small edit distance ("Nigera").
/// Nothing when no country is close.
std::optional<std::string> SuggestCountry(std::string_view text);

}  // namespace imgvisa

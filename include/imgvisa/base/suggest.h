#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imgvisa {

/// Edit distance, for "did you mean" suggestions.
std::size_t EditDistance(std::string_view a, std::string_view b);
/// The candidate closest to `word`, if it is close enough to be a plausible typo.
std::optional<std::string> Suggest(std::string_view word,
                                   const std::vector<std::string>& candidates);

}  // namespace imgvisa

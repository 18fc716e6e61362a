#pragma once

#include <optional>
#include <ostream>
#include <string_view>

#include "imgvisa/base/date.h"

namespace imgvisa {

/// Reads a command's `--as-of` value. On failure writes the one-line usage error
/// "imgvisa COMMAND: --as-of must be a date YYYY-MM-DD, not "...""
/// to `err` and returns nullopt (the command then exits 2).
std::optional<Date> ParseAsOfOption(std::string_view text, std::string_view command,
                                    std::ostream& err);

}  // namespace imgvisa

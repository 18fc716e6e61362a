#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace imgvisa {

/// Columns `text` takes on a terminal: its UTF-8 code points (every one taken as one column).
std::size_t DisplayWidth(std::string_view text);

/// `text` broken at spaces into lines: the first at most `first_width` columns, the others at
/// most `width`. A word longer than its line (a URL) stands alone, unbroken.
std::vector<std::string> WrapWords(std::string_view text, std::size_t first_width,
                                   std::size_t width);

/// `text` wrapped to `columns` with a hanging indent: the first line after `first_prefix`, the
/// others after as many spaces as `hang` says; each line ends in a newline. `first_prefix` may
/// hold escape sequences: `prefix_width` is the columns it takes.
std::string HangingIndent(std::string_view first_prefix, std::size_t prefix_width,
                          std::string_view text, std::size_t hang, std::size_t columns);

}  // namespace imgvisa

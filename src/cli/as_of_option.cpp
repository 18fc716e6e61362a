#include "imgvisa/cli/as_of_option.h"

#include <fmt/format.h>

#include "imgvisa/base/diagnostic.h"

namespace imgvisa {

std::optional<Date> ParseAsOfOption(std::string_view text, std::string_view command,
                                    std::ostream& err) {
  auto date = ParseIsoDate(text);
  if (!date) {
    err << fmt::format("imgvisa {}: --as-of must be a date YYYY-MM-DD, not \"{}\"\n", command,
                       EscapeForDisplay(text));
  }
  return date;
}

}  // namespace imgvisa

#include "imgvisa/output/text_wrap.h"

#include <algorithm>

namespace imgvisa {
namespace {

// A line keeps at least this many columns for words, however deep the indent.
constexpr std::size_t kMinLine = 16;

}  // namespace

std::size_t DisplayWidth(std::string_view text) {
  std::size_t width = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::vector<std::string> WrapWords(std::string_view text, std::size_t first_width,
                                   std::size_t width) {
  std::vector<std::string> lines(1);
  std::size_t used = 0;
  std::size_t limit = first_width;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size()) break;
    std::size_t end = text.find(' ', i);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(i, end - i);
    const std::size_t w = DisplayWidth(word);
    if (used > 0 && used + 1 + w > limit) {
      lines.emplace_back();
      used = 0;
      limit = width;
    }
    if (used > 0) {
      lines.back() += ' ';
      ++used;
    }
    lines.back() += word;
    used += w;
    i = end;
  }
  return lines;
}

std::string HangingIndent(std::string_view first_prefix, std::size_t prefix_width,
                          std::string_view text, std::size_t hang, std::size_t columns) {
  const std::size_t first = std::max(kMinLine, columns > prefix_width ? columns - prefix_width : 0);
  const std::size_t rest = std::max(kMinLine, columns > hang ? columns - hang : 0);
  std::string out(first_prefix);
  bool first_line = true;
  for (const std::string& line : WrapWords(text, first, rest)) {
    if (!first_line) out.append(hang, ' ');
    out += line;
    out += '\n';
    first_line = false;
  }
  return out;
}

}  // namespace imgvisa

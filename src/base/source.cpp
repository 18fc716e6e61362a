#include "imgvisa/base/source.h"

#include <algorithm>
#include <cstring>

namespace imgvisa {

SourceFile::SourceFile(std::string name, std::string text, std::size_t first_line)
    : name_(std::move(name)), text_(std::move(text)), first_line_(first_line) {
  // memchr: an NDJSON line has no newline, and a stream makes a SourceFile per line (which
  // then allocates nothing here).
  const char* begin = text_.data();
  const char* end = begin + text_.size();
  for (const char* p = begin; p < end;) {
    const void* found = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (found == nullptr) break;
    p = static_cast<const char*>(found) + 1;
    line_starts_.push_back(static_cast<std::size_t>(p - begin));
  }
}

std::size_t SourceFile::LineIndex(std::size_t offset) const {
  return static_cast<std::size_t>(
      std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) - line_starts_.begin());
}

std::size_t SourceFile::LineStart(std::size_t index) const {
  return index == 0 ? 0 : line_starts_[index - 1];
}

LineCol SourceFile::ToLineCol(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  const std::size_t index = LineIndex(offset);
  const std::size_t begin = LineStart(index);
  return {index + first_line_, offset - begin + 1};
}

std::string_view SourceFile::LineAt(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  const std::size_t index = LineIndex(offset);
  const std::size_t begin = LineStart(index);
  std::size_t end = index < line_starts_.size() ? line_starts_[index] : text_.size();
  while (end > begin && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) --end;
  return std::string_view(text_).substr(begin, end - begin);
}

}  // namespace imgvisa

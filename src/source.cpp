#include "imgvisa/source.h"

#include <algorithm>
#include <cstring>

namespace imgvisa {

SourceFile::SourceFile(std::string name, std::string text, std::size_t first_line)
    : name_(std::move(name)), text_(std::move(text)), first_line_(first_line) {
  line_starts_.push_back(0);
  // memchr: an NDJSON line has no newline, and a stream makes a SourceFile per line.
  const char* begin = text_.data();
  const char* end = begin + text_.size();
  for (const char* p = begin; p < end;) {
    const void* found = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (found == nullptr) break;
    p = static_cast<const char*>(found) + 1;
    line_starts_.push_back(static_cast<std::size_t>(p - begin));
  }
}

LineCol SourceFile::ToLineCol(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const std::size_t index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  return {index + first_line_, offset - line_starts_[index] + 1};
}

std::string_view SourceFile::LineAt(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const std::size_t begin = *(it - 1);
  std::size_t end = it == line_starts_.end() ? text_.size() : *it;
  while (end > begin && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) --end;
  return std::string_view(text_).substr(begin, end - begin);
}

}  // namespace imgvisa

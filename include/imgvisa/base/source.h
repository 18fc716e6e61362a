#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace imgvisa {

/// 1-based line and 1-based column (in bytes), the GNU convention editors expect.
struct LineCol {
  std::size_t line = 0;
  std::size_t column = 0;
};

/// The text of one input (a rule file, a profile, one NDJSON line) and its name as the user
/// gave it. Positions elsewhere are byte offsets into `text`; they become line:column only when
/// a diagnostic is printed.
class SourceFile {
 public:
  SourceFile() = default;
  SourceFile(std::string name, std::string text, std::size_t first_line = 1);

  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }

  LineCol ToLineCol(std::size_t offset) const;
  /// The line holding `offset`, without its newline.
  std::string_view LineAt(std::size_t offset) const;

  bool operator==(const SourceFile&) const = default;

  /// Hands the text back (its storage, for the next line of a stream to reuse); the source is
  /// left empty.
  std::string TakeText() && {
    line_starts_.clear();
    return std::move(text_);
  }

 private:
  std::string name_;
  std::string text_;
  /// Where each line after the first starts (the first starts at 0).
  std::vector<std::size_t> line_starts_;
  /// The 0-based line of `offset`: how many lines after the first start at or before it.
  std::size_t LineIndex(std::size_t offset) const;
  /// Where the line of 0-based `index` starts.
  std::size_t LineStart(std::size_t index) const;
  // An NDJSON record is one line of a larger stream; its positions are reported in stream lines.
  std::size_t first_line_ = 1;
};

}  // namespace imgvisa

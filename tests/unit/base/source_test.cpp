#include "imgvisa/base/source.h"

#include <catch2/catch.hpp>
#include <string>

using imgvisa::SourceFile;

TEST_CASE("SourceFile maps every offset to the line and column counted by hand") {
  for (const std::string text : {std::string(""), std::string("{}"), std::string("a\nbc\n\nd\r\ne"),
                                 std::string("\n\nx\n"), std::string("one line, no newline")}) {
    for (std::size_t first_line : {1, 7}) {
      const SourceFile file("f.json", text, first_line);
      std::size_t line = first_line, column = 1, line_begin = 0;
      for (std::size_t offset = 0; offset <= text.size(); ++offset) {
        INFO("text " << text << " offset " << offset);
        CHECK(file.ToLineCol(offset).line == line);
        CHECK(file.ToLineCol(offset).column == column);
        std::size_t end = text.find('\n', line_begin);
        if (end == std::string::npos) end = text.size();
        while (end > line_begin && (text[end - 1] == '\r' || text[end - 1] == '\n')) --end;
        CHECK(file.LineAt(offset) == text.substr(line_begin, end - line_begin));
        if (offset < text.size() && text[offset] == '\n') {
          ++line;
          column = 1;
          line_begin = offset + 1;
        } else {
          ++column;
        }
      }
      // Past the end: the last line.
      CHECK(file.ToLineCol(text.size() + 5).line == line);
    }
  }
}

TEST_CASE("SourceFile gives its text back for reuse") {
  SourceFile file("f.json", "a\nb", 1);
  const std::string text = std::move(file).TakeText();
  CHECK(text == "a\nb");
  CHECK(file.text().empty());
}

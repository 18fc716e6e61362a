#include "imgvisa/base/diagnostic.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using imgvisa::Diagnostic;
using imgvisa::Severity;
using imgvisa::SourceFile;

namespace {

Diagnostic At(const SourceFile& file, std::size_t offset) {
  std::vector<Diagnostic> d = {
      Diagnostic{Severity::kError, "E040", "unknown fact", file.name(), offset}};
  imgvisa::Locate(d, file);
  return d.front();
}

}  // namespace

TEST_CASE("a located diagnostic keeps a bounded excerpt of its line, never the whole line") {
  // One line of a megabyte, as a minified profile is: thousands of diagnostics on it must not
  // each hold a copy.
  const std::string text = "{" + std::string(1024 * 1024, ' ') + "\"x\": 1}";
  const SourceFile file("p.json", text);
  const std::size_t offset = text.find('"');
  const Diagnostic d = At(file, offset);
  CHECK(d.position.line == 1);
  CHECK(d.position.column == offset + 1);
  CHECK(d.excerpt.size() <= imgvisa::kExcerptBytes);
  CHECK(d.excerpt_begin == offset - imgvisa::kExcerptBefore);
  // The caret still points at the key.
  const std::string shown = imgvisa::FormatDiagnostic(d);
  const std::size_t excerpt_line = shown.find('\n') + 1;
  const std::size_t caret_line = shown.find('\n', excerpt_line) + 1;
  const std::size_t caret = shown.find('^', caret_line) - caret_line;
  CHECK(shown.substr(excerpt_line + caret, 3) == "\"x\"");
}

TEST_CASE("a short line is kept whole, with the caret under the column") {
  const SourceFile file("p.json", "{\"a\": 1,\n \"b\": 2}\n");
  const Diagnostic d = At(file, 10);
  CHECK(d.excerpt == " \"b\": 2}");
  CHECK(d.excerpt_begin == 0);
  CHECK(imgvisa::FormatDiagnostic(d) ==
        "p.json:2:2: error[E040]: unknown fact\n   \"b\": 2}\n   ^");
}

TEST_CASE(
    "LimitErrors keeps the first errors of each file and every warning, and counts the rest") {
  std::vector<Diagnostic> d;
  for (int i = 0; i < 5; ++i) d.push_back({Severity::kError, "E040", "a" + std::to_string(i), "a"});
  d.push_back({Severity::kWarning, "W001", "w", "a"});
  for (int i = 0; i < 2; ++i) d.push_back({Severity::kError, "E040", "b" + std::to_string(i), "b"});
  d.push_back({Severity::kError, "E040", "a5", "a"});

  std::vector<Diagnostic> all = d;
  CHECK(imgvisa::LimitErrors(all, 0).empty());  // 0: no limit
  CHECK(all.size() == d.size());

  const auto omitted = imgvisa::LimitErrors(d, 2);
  std::vector<std::string> kept;
  for (const Diagnostic& x : d) kept.push_back(x.message);
  CHECK(kept == std::vector<std::string>{"a0", "a1", "w", "b0", "b1"});
  REQUIRE(omitted.size() == 1);
  CHECK(omitted[0].file == "a");
  CHECK(omitted[0].count == 4);
  CHECK(imgvisa::FormatOmittedErrors("a", 4) ==
        "a: and 4 more errors (--max-errors 0 shows them all)");
  CHECK(imgvisa::FormatOmittedErrors("-:3", 1) ==
        "-:3: and 1 more error (--max-errors 0 shows them all)");
}

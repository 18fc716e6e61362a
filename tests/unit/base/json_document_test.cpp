#include "imgvisa/base/json_document.h"

#include <catch2/catch.hpp>

using imgvisa::Diagnostic;
using imgvisa::FormatDiagnostic;
using imgvisa::JsonDocument;
using imgvisa::JsonLimits;
using imgvisa::ParseJson;
using imgvisa::SourceFile;

namespace {

struct Parsed {
  JsonDocument doc;
  std::vector<Diagnostic> diagnostics;
  std::string first;  // the first diagnostic, formatted
};

Parsed Parse(const std::string& text, const JsonLimits& limits = {}) {
  SourceFile file("in.json", text);
  Parsed p;
  p.doc = ParseJson(file, p.diagnostics, true, limits);
  imgvisa::Locate(p.diagnostics, file);
  if (!p.diagnostics.empty()) p.first = FormatDiagnostic(p.diagnostics.front());
  return p;
}

}  // namespace

TEST_CASE("positions of keys and values are exact") {
  SourceFile file("in.json", "{\n  \"a\": {\"b\": [1, 38700.5, \"x\"]},\n  \"a/b\": true\n}\n");
  std::vector<Diagnostic> d;
  JsonDocument doc = ParseJson(file, d);
  REQUIRE(doc.ok);
  auto at = [&](std::size_t offset) { return file.ToLineCol(offset); };
  CHECK(at(doc.value_offsets.at("/a/b/1")).line == 2);
  CHECK(at(doc.value_offsets.at("/a/b/1")).column == 18);
  CHECK(at(doc.value_offsets.at("/a/b/2")).column == 27);
  CHECK(at(doc.key_offsets.at("/a~1b")).line == 3);
  CHECK(at(doc.key_offsets.at("/a~1b")).column == 3);
  CHECK(at(doc.value_offsets.at("/a~1b")).column == 10);
  CHECK(doc.value["a"]["b"][1].get<double>() == 38700.5);
}

TEST_CASE("a duplicate key is an error naming both places") {
  Parsed p = Parse("{\"x\": 1,\n \"x\": 2}");
  CHECK_FALSE(p.doc.ok);
  CHECK(p.first ==
        "in.json:2:2: error[E002]: duplicate key \"x\" (first at line 1, column 2); JSON objects "
        "here must not repeat a key\n"
        "   \"x\": 2}\n"
        "   ^");
}

TEST_CASE("an object of 40,000 keys keeps its order, and a duplicate among them is found") {
  // Duplicates are found through a hash table past the first keys, and members are appended
  // without ordered_json's search: both were a scan of every earlier key, quadratic in all.
  std::string text = "{";
  for (int i = 0; i < 40000; ++i)
    text += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",";
  text += "\"last\": true}";
  JsonLimits limits;
  limits.max_object_keys = 50000;  // above the limit every input has, to time the table itself
  Parsed p = Parse(text, limits);
  REQUIRE(p.doc.ok);
  REQUIRE(p.doc.value.size() == 40001);
  CHECK(p.doc.value.begin().key() == "k0");
  CHECK(p.doc.value["k39999"] == 39999);
  CHECK(p.doc.key_offsets.at("/k20000") == text.find("\"k20000\""));

  // Only the duplicate differs from the valid document: first seen among the scanned keys, and
  // among the hashed ones.
  for (const std::string key : {"k3", "k30000"}) {
    std::string repeated = text;
    repeated.insert(repeated.size() - 1, ", \"" + key + "\": 0");
    Parsed d = Parse(repeated, limits);
    CHECK_FALSE(d.doc.ok);
    const std::size_t first = text.find("\"" + key + "\"") + 1;
    CHECK(d.first.find("duplicate key \"" + key + "\" (first at line 1, column " +
                       std::to_string(first) + ")") != std::string::npos);
  }
}

TEST_CASE("an object with more keys than the limit is refused at the first key over it") {
  std::string text = "{";
  for (int i = 0; i < 10000; ++i) text += "\"k" + std::to_string(i) + "\": 0,";
  text += "\"over\": 1}";
  Parsed p = Parse(text);
  CHECK_FALSE(p.doc.ok);
  CHECK(p.first.find("in.json:1:" + std::to_string(text.find("\"over\"") + 1) +
                     ": error[E003]: object with more keys than the limit of 10000") == 0);
  text.erase(text.find(",\"over\": 1"), std::string(",\"over\": 1").size());
  CHECK(Parse(text).doc.ok);  // 10,000 keys are allowed
}

TEST_CASE("syntax errors are located, truncated input too") {
  CHECK(Parse("{\"a\": tru}")
            .first.rfind("in.json:1:10: error[E001]: invalid JSON: syntax error while parsing "
                         "value - invalid literal",
                         0) == 0);
  Parsed truncated = Parse("{\"a\": [1, 2");
  CHECK_FALSE(truncated.doc.ok);
  CHECK(truncated.first.rfind("in.json:1:12: error[E001]: invalid JSON: syntax error while parsing "
                              "array - unexpected end of input",
                              0) == 0);
  CHECK(Parse("").first == "in.json:1:1: error[E001]: invalid JSON: the input is empty");
  CHECK(Parse("  \n ").first.find("the input is empty") != std::string::npos);
}

TEST_CASE("1e400 is reported as a number out of range, not thrown") {
  Parsed p = Parse("{\"n\": 1e400}");
  CHECK_FALSE(p.doc.ok);
  CHECK(p.first.find("number overflow") != std::string::npos);
}

TEST_CASE("a NUL byte is an error rather than a silent end of input") {
  Parsed p = Parse(std::string("{}\0{\"x\":1}", 10));
  CHECK_FALSE(p.doc.ok);
  CHECK(p.first.rfind("in.json:1:3: error[E001]: invalid JSON: NUL byte", 0) == 0);
}

TEST_CASE("invalid UTF-8 is reported with the bad byte escaped") {
  Parsed p = Parse("{\"a\": \"\xff\xfe\"}");
  CHECK_FALSE(p.doc.ok);
  CHECK(p.first.find("\\xff") != std::string::npos);
  CHECK(p.first.find('\xff') == std::string::npos);
}

TEST_CASE("nesting deeper than the limit stops the parse without recursion") {
  std::string deep(100000, '[');
  Parsed p = Parse(deep);
  CHECK_FALSE(p.doc.ok);
  CHECK(p.first.find("nesting deeper than the limit of 64 levels") != std::string::npos);
}

TEST_CASE("long strings and arrays hit their limits") {
  JsonLimits limits;
  limits.max_string_bytes = 4;
  limits.max_array_items = 2;
  CHECK(Parse("[\"abcde\"]", limits).first.find("E003") != std::string::npos);
  CHECK(Parse("[1, 2, 3]", limits).first.find("array longer than the limit of 2 items") !=
        std::string::npos);
  CHECK(Parse("[1, 2]", limits).doc.ok);
}

TEST_CASE("escaping for display keeps valid UTF-8 and escapes the rest") {
  CHECK(imgvisa::EscapeForDisplay("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(imgvisa::EscapeForDisplay("a\nb\x01") == "a\\nb\\x01");
  CHECK(imgvisa::EscapeForDisplay("\xc3") == "\\xc3");
  CHECK(imgvisa::EscapeForDisplay(std::string(100, 'x'), 10) == "xxxxxxxxxx...");
}

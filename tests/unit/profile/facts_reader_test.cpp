#include "imgvisa/profile/facts_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/rules/rule_source.h"
#include "test_support.h"

using imgvisa::FactsFromJson;
using imgvisa::FactsLoad;
using imgvisa::FactsReader;
using imgvisa::SourceFile;

namespace {

const imgvisa::FactDictionary& Dictionary() { return imgvisa::EmbeddedRuleSet()->dictionary; }

// Everything FactsFromJson gives that a caller can see.
std::string Describe(const FactsLoad& load) {
  std::string out = load.ok ? "ok" : "failed";
  out += " id=" + load.facts.id + "\n";
  for (const auto& d : load.diagnostics) {
    out += imgvisa::FormatDiagnosticLine(d) + " @" + std::to_string(d.position.line) + ":" +
           std::to_string(d.position.column) + "\n";
  }
  return out;
}

void RequireSameValues(const FactsLoad& got, const FactsLoad& want) {
  REQUIRE(got.facts.values.size() == want.facts.values.size());
  for (std::size_t f = 0; f < want.facts.values.size(); ++f) {
    INFO("fact " << Dictionary().at(static_cast<imgvisa::FactId>(f)).path);
    CHECK(got.facts.values[f] == want.facts.values[f]);
  }
  CHECK(got.facts.alternatives == want.facts.alternatives);
}

// One result read into again and again, as `check` does, so the storage kept from earlier
// profiles is what gets filled; every other profile's facts are copied and held meanwhile (as
// a what-if trial holds them), and must come through the next read unchanged.
struct Reused {
  FactsLoad load;
  std::size_t reads = 0;
  bool holding = false;
  imgvisa::Facts held;       ///< shares the reader's lists and records
  imgvisa::Facts held_want;  ///< FactsFromJson's, which nothing else holds
  std::string held_text;
};
Reused& Reuse() {
  static Reused reused;
  return reused;
}

// The reader gives what FactsFromJson gives: the same diagnostics and the same values, read
// into a new result and into a reused one.
void CheckSame(FactsReader& reader, const std::string& text) {
  const SourceFile source("-", text, 7);
  const FactsLoad want = FactsFromJson(Dictionary(), source);
  const FactsLoad got = reader.Read(source);
  INFO("profile: " << text);
  REQUIRE(Describe(got) == Describe(want));
  if (want.ok) RequireSameValues(got, want);

  Reused& reused = Reuse();
  reader.Read(source, reused.load);
  REQUIRE(Describe(reused.load) == Describe(want));
  if (want.ok) RequireSameValues(reused.load, want);
  if (reused.holding) {
    INFO("held: " << reused.held_text);
    CHECK(reused.held.values == reused.held_want.values);
    reused.holding = false;
    reused.held = {};
  }
  if (want.ok && ++reused.reads % 2 == 0) {
    reused.holding = true;
    reused.held = reused.load.facts;
    reused.held_want = want.facts;
    reused.held_text = text;
  }
}

// Where each JSON scalar token of `text` starts and ends (strings with their quotes).
std::vector<std::pair<std::size_t, std::size_t>> ScalarTokens(const std::string& text) {
  std::vector<std::pair<std::size_t, std::size_t>> tokens;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '"') {
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != '"') j += text[j] == '\\' ? 2 : 1;
      tokens.emplace_back(i, j + 1);
      i = j + 1;
    } else if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
      std::size_t j = i;
      while (j < text.size() && text[j] != ',' && text[j] != '}' && text[j] != ']') ++j;
      tokens.emplace_back(i, j);
      i = j;
    } else {
      ++i;
    }
  }
  return tokens;
}

}  // namespace

TEST_CASE("FactsReader reads every example profile itself, into what FactsFromJson gives") {
  FactsReader reader(Dictionary());
  const auto profiles = imgvisa::testing::ExampleProfileLines();
  REQUIRE(profiles.size() > 5);
  std::size_t several_offers = 0;
  for (const std::string& p : profiles) {
    CheckSame(reader, p);
    several_offers += p.find("\"offers\":") != std::string::npos;
  }
  // Not one went to the slow path: the fast one is what was compared. Several offers are left
  // to FactsFromJson: they are rare, and each offer is evaluated as a profile of its own.
  // CheckSame reads each profile twice.
  CHECK(reader.fallbacks() == 2 * several_offers);
  // Whitespace of every kind JSON allows, and a multi-line file, change nothing.
  std::string spaced;
  bool in_string = false;
  for (char c : profiles[0]) {
    spaced += c;
    if (c == '"') in_string = !in_string;  // the examples hold no escaped quotes
    if (!in_string && (c == ',' || c == ':' || c == '{' || c == '[')) spaced += " \t\r\n";
  }
  CheckSame(reader, " \n" + spaced + "\r\n ");
  CHECK(reader.fallbacks() == 2 * several_offers);
}

TEST_CASE("FactsReader agrees with FactsFromJson when any value of a profile is replaced") {
  // Each scalar of each example profile in turn, by values of every type, out-of-range and
  // malformed numbers, escapes, non-ASCII and malformed UTF-8, and non-scalars.
  const std::vector<std::string> replacements = {"null",
                                                 "true",
                                                 "false",
                                                 "0",
                                                 "-0",
                                                 "-1",
                                                 "7",
                                                 "1.5",
                                                 "1e2",
                                                 "1E+2",
                                                 "-2.5e-3",
                                                 "01",
                                                 "1.",
                                                 ".5",
                                                 "+1",
                                                 "99999999999999999999",
                                                 "9223372036854775807",
                                                 "-9223372036854775808",
                                                 "1e400",
                                                 "1e-400",
                                                 "\"\"",
                                                 "\"x\"",
                                                 "\"passed\"",
                                                 "\"2020-02-29\"",
                                                 "\"2021-02-29\"",
                                                 "\"\\u0041\"",
                                                 "\"\\ud800\"",
                                                 "\"caf\xc3\xa9\"",
                                                 "\"\xff\"",
                                                 "\"\xc0\xaf\"",
                                                 "\"\xed\xa0\x80\"",
                                                 "\"\xf4\x90\x80\x80\"",
                                                 "[]",
                                                 "{}",
                                                 "[null]",
                                                 "[\"US\",\"US\"]",
                                                 "[{}]",
                                                 "{\"a\":1}",
                                                 "tru",
                                                 "nul"};
  // Under the sanitizers and coverage instrumentation (81 s of CI's time with every other
  // replacement), each value gets every third replacement, in turn: every replacement still
  // reaches every profile, and every value a third of them.
#ifdef IMGVISA_SANITIZED
  constexpr std::size_t kStride = 3;
#else
  constexpr std::size_t kStride = 1;
#endif
  FactsReader reader(Dictionary());
  for (const std::string& profile : imgvisa::testing::ExampleProfileLines()) {
    std::size_t value = 0;
    for (const auto& [begin, end] : ScalarTokens(profile)) {
      for (std::size_t r = value++ % kStride; r < replacements.size(); r += kStride) {
        CheckSame(reader, profile.substr(0, begin) + replacements[r] + profile.substr(end));
      }
    }
  }
}

TEST_CASE("FactsReader agrees with FactsFromJson on damaged and unusual profiles") {
  FactsReader reader(Dictionary());
  const std::string p = imgvisa::testing::ExampleProfileLines()[0];
  // Every prefix: truncated at each byte.
  for (std::size_t n = 0; n < p.size(); ++n) CheckSame(reader, p.substr(0, n));
  const std::string first_member = p.substr(1, p.find(',') - 1);
  const std::vector<std::string> cases = {
      "",
      " ",
      "[]",
      "null",
      "{}",
      "{} {}",
      "{},",
      "\xef\xbb\xbf{}",
      "{\"$id\":\"a\",\"$id\":\"b\"}",
      "{\"$id\":7}",
      "{\"$id\":\"a\\u0041\"}",
      "{\"$comment\":{\"x\":1},\"$schema\":[1,2]}",
      "{\"$comment\":\"c\",\"$schema\":\"s\",\"$id\":\"x\"}",
      "{\"usmle.step1.status\":\"passed\"}",
      "{\"usmle\":{\"step1\":{\"status\":\"passed\",\"status\":\"failed\"}}}",
      "{\"usmle\":null,\"school\":{}}",
      "{\"usmle\":[]}",
      "{\"unknown\":1}",
      "{\"school\":{\"countr\":\"IN\"}}",
      "{\"immigration\":{\"history\":[{}, null]}}",
      "{\"immigration\":{\"history\":[{\"category\":null,\"category\":null}]}}",
      "{\"immigration\":{\"history\":[{\"bogus\":1}]}}",
      "{\"citizenship\":[\"IN\",null]}",
      "{\"citizenship\":\"IN\"}",
      "{\"citizenship\":[]}",
      "{" + first_member + "," + first_member + "}",
      p + "x",
      p + ",",
      p.substr(0, p.size() - 1) + ",}",
      "{\"a\" \"b\"}",
      "{\"$id\":\"\x01\"}",
      "{\"$id\":\"" + std::string(70 * 1024, 'x') + "\"}"};
  for (const std::string& c : cases) CheckSame(reader, c);
}

namespace {

// `object` with its members in reverse order, and so every object inside it.
nlohmann::ordered_json Reversed(const nlohmann::ordered_json& value) {
  if (value.is_array()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& v : value) out.push_back(Reversed(v));
    return out;
  }
  if (!value.is_object()) return value;
  std::vector<std::pair<std::string, nlohmann::ordered_json>> members;
  for (const auto& [key, v] : value.items()) members.emplace_back(key, Reversed(v));
  std::reverse(members.begin(), members.end());
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (auto& [key, v] : members) out[key] = std::move(v);
  return out;
}

}  // namespace

TEST_CASE("FactsReader agrees with FactsFromJson whatever order the keys come in") {
  // The reader expects each object's keys in the order of the last one read; every profile is
  // read twice in a row, so the second read meets what the first taught it.
  FactsReader reader(Dictionary());
  const auto read_each_twice = [&reader](const std::vector<std::string>& variants) {
    for (const std::string& v : variants) {
      CheckSame(reader, v);
      CheckSame(reader, v);
    }
  };
  for (const std::string& p : imgvisa::testing::ExampleProfileLines()) {
    const auto json = nlohmann::ordered_json::parse(p);
    std::vector<std::string> variants = {p, Reversed(json).dump()};
    // The first key dropped, moved to the end, and repeated.
    auto rest = json;
    const std::string first = json.begin().key();
    rest.erase(first);
    variants.push_back(rest.dump());
    auto moved = rest;
    moved[first] = json[first];
    variants.push_back(moved.dump());
    // These are plain: read by the scanner itself, expected keys or not; except several
    // offers, which the scanner leaves to FactsFromJson (they are rare, and each is a profile).
    const std::size_t fallbacks = reader.fallbacks();
    read_each_twice(variants);
    if (json.contains("offers")) {
      CHECK(reader.fallbacks() > fallbacks);
    } else {
      CHECK(reader.fallbacks() == fallbacks);
    }
    variants.clear();
    const std::string member = "\"" + first + "\":" + json[first].dump();
    variants.push_back("{" + member + "," + p.substr(1));
    // The first key escaped, cut short by a byte, longer by one, and its last byte changed.
    const std::string key = "\"" + first + "\"";
    std::string other = first;
    other.back() = other.back() == 'x' ? 'y' : 'x';
    for (const std::string& changed :
         {"\"\\u00" + fmt::format("{:02x}", first[0]) + first.substr(1) + "\"",
          "\"" + first.substr(0, first.size() - 1) + "\"", "\"" + first + "x\"",
          "\"" + other + "\""}) {
      variants.push_back("{" + changed + p.substr(1 + key.size()));
    }
    read_each_twice(variants);
  }
}

TEST_CASE("FactsReader tells an expected key from one that differs in any byte") {
  // Expected keys are compared a word at a time; a byte changed anywhere in any key, its quotes
  // included, must be seen, also near the end of the text where the words would run past it.
  FactsReader reader(Dictionary());
  const std::string p = imgvisa::testing::ExampleProfileLines()[0];
  const auto tokens = ScalarTokens(p);
  std::size_t keys = 0;
  for (const auto& [begin, end] : tokens) {
    if (end >= p.size() || p[end] != ':') continue;  // a value, not a key
    ++keys;
    for (std::size_t at = begin; at < end; ++at) {
      std::string changed = p;
      changed[at] = changed[at] == 'q' ? 'r' : 'q';
      CheckSame(reader, p);  // teaches the reader the order of p's keys
      CheckSame(reader, changed);
    }
  }
  CHECK(keys > 20);
}

TEST_CASE("FactsReader tells an enum value from one that differs in any byte or in length") {
  // Enum values of up to 32 bytes are compared as masked words. A string value of every
  // example profile changed in each byte, cut short by one and lengthened by one must read as
  // FactsFromJson reads it (another value, or no value of the enum), also near the end of the
  // text, where the words would run past it.
  FactsReader reader(Dictionary());
  std::size_t values = 0;
  for (const std::string& p : imgvisa::testing::ExampleProfileLines()) {
    for (const auto& [begin, end] : ScalarTokens(p)) {
      if (p[begin] != '"' || (end < p.size() && p[end] == ':')) continue;  // a key, or no string
      ++values;
      const std::size_t first = begin + 1;
      const std::size_t last = end - 1;  // the closing quote
      for (std::size_t at = first; at < last; ++at) {
        std::string changed = p;
        changed[at] = changed[at] == 'q' ? 'r' : 'q';
        CheckSame(reader, changed);
      }
      if (last > first) CheckSame(reader, p.substr(0, last - 1) + p.substr(last));
      CheckSame(reader, p.substr(0, last) + "s" + p.substr(last));
    }
  }
  CHECK(values > 100);
}

TEST_CASE("FactsReader stops at the limits FactsFromJson enforces") {
  FactsReader reader(Dictionary());
  std::string deep = "{\"$comment\":";
  for (int i = 0; i < 70; ++i) deep += "[";
  for (int i = 0; i < 70; ++i) deep += "]";
  CheckSame(reader, deep + "}");
  std::string many = "{\"citizenship\":[";
  for (int i = 0; i < 10001; ++i) many += i == 0 ? "\"US\"" : ",\"US\"";
  CheckSame(reader, many + "]}");
}

TEST_CASE("FactsReader reads countries as FactsFromJson does: codes itself, the rest refused") {
  FactsReader reader(Dictionary());
  // Every country fact of the shipped rules, as a member of a small profile.
  const auto profiles = [](const std::string& value) {
    return std::vector<std::string>{
        "{\"school\":{\"country\":" + value + ",\"accreditor\":\"other\"}}",
        "{\"last_permanent_residence\":" + value + "}", "{\"son\":{\"country\":" + value + "}}",
        "{\"citizenship\":[" + value + "]}", "{\"citizenship\":[\"IN\"," + value + ",\"CA\"]}"};
  };
  for (const char* code : {"\"NG\"", "\"PR\"", "\"AD\"", "\"ZW\"", "\"US\""}) {
    const std::size_t fallbacks = reader.fallbacks();
    for (const std::string& p : profiles(code)) CheckSame(reader, p);
    // Read by the scanner itself.
    CHECK(reader.fallbacks() == fallbacks);
  }
  const SourceFile ng("-", "{\"school\":{\"country\":\"NG\"}}");
  CHECK(reader.Read(ng).facts.values[*Dictionary().Find("school.country")] ==
        imgvisa::Value::String("NG"));
  // Anything else goes to FactsFromJson, which refuses it (E045, or E041 for another JSON type)
  // but for a code written with an escape.
  for (const char* other :
       {"\"ng\"", "\"Ng\"", "\"nG\"", "\"NGA\"", "\"Nigeria\"", "\"XX\"", "\"2020-05-01\"", "\"\"",
        "\"N\"", "\"NG \"", "\" NG\"", "\"@A\"", "\"[A\"", "\"A@\"", "\"Z[\"", "\"\xc3\x91G\""}) {
    for (const std::string& p : profiles(other)) {
      CheckSame(reader, p);
      const FactsLoad load = reader.Read(SourceFile("-", p));
      INFO(p);
      REQUIRE_FALSE(load.ok);
      CHECK(load.diagnostics[0].code == "E045");
    }
  }
  for (const char* other : {"\"N\\u0047\"", "566", "true", "[\"NG\"]", "{}"}) {
    for (const std::string& p : profiles(other)) CheckSame(reader, p);
  }
}

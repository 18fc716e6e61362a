// End-to-end checks of the real binary: exit statuses, stdout/stderr separation, bad input.

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "imgvisa/base/country.h"
#include "imgvisa/rules/rule_source.h"
#include "test_support.h"

using imgvisa::testing::RunImgvisa;
using imgvisa::testing::SourcePath;

namespace {

std::string TempFile(const std::string& name, const std::string& content) {
  const std::string path = "/tmp/imgvisa-cli-test-" + std::to_string(getpid()) + "-" + name;
  imgvisa::testing::WriteText(path, content);
  return path;
}

// A US citizen who studied abroad and holds the certificate: ECFMG certification is eligible.
const char* kOpen =
    R"({"us_status": "citizen", "school": {"country": "GD"}, "ecfmg": {"certificate": {"status": "issued"}},
  "usmle": {"step1": {"status": "passed"}, "step2ck": {"status": "passed"}, "step2cs": {"status": "not_taken"}, "step3": {"status": "not_taken"}}})";

}  // namespace

TEST_CASE("exit 0 when some pathway is open, 1 when none is") {
  const std::string img = TempFile(
      "img.json",
      R"({"school": {"country": "IN"}, "usmle": {"step1": {"status": "failed", "attempts": 1}},
     "ecfmg": {"certificate": {"status": "not_issued"}}})");
  auto r = RunImgvisa({"check", "--as-of", "2026-11-21", "--pathway", "ecfmg-certification", img});
  CHECK(r.status == 1);
  CHECK(r.err.empty());
  const std::string ok = TempFile(
      "ok.json",
      R"({"school": {"country": "PK"}, "ecfmg": {"certificate": {"status": "issued"}}, "usmle": {"step1": {"status": "passed"}, "step2ck": {"status": "passed"}, "step2cs": {"status": "not_taken"}, "step3": {"status": "not_taken"}}})");
  r = RunImgvisa({"check", "--as-of", "2026-11-21", "--pathway", "ecfmg-certification", ok});
  CHECK(r.status == 0);
  unlink(img.c_str());
  unlink(ok.c_str());
}

TEST_CASE("usage errors exit 2, never CLI11's own codes") {
  CHECK(RunImgvisa({"check"}).status == 2);
  CHECK(RunImgvisa({"check", "--format", "xml", "x.json"}).status == 2);
  CHECK(RunImgvisa({"check", "--bogus", "x.json"}).status == 2);
  CHECK(RunImgvisa({"frobnicate"}).status == 2);
  CHECK(RunImgvisa({}).status == 2);
  auto help = RunImgvisa({"--help"});
  CHECK(help.status == 0);
  CHECK(help.out.find("check") != std::string::npos);
}

TEST_CASE("usage errors: one line in our words with a suggestion, a hint, exit 2") {
  auto r = RunImgvisa({"chek", "x.json"});
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "imgvisa: unknown command \"chek\" (did you mean \"check\"?)\n"
        "Run 'imgvisa --help' for the commands.\n");
  r = RunImgvisa({"check", "--fromat", "json", "x.json"});
  CHECK(r.status == 2);
  CHECK(r.err ==
        "imgvisa check: unknown option \"--fromat\" (did you mean \"--format\"?)\n"
        "Run 'imgvisa help check' for its options.\n");
  r = RunImgvisa({"lint", "--format", "sarf"});
  CHECK(r.status == 2);
  CHECK(r.err.rfind("imgvisa lint: --format takes text, json, github or sarif, not \"sarf\" (did "
                    "you mean \"sarif\"?)\n",
                    0) == 0);
  r = RunImgvisa({"check"});
  CHECK(r.err == "imgvisa check: missing PROFILE\nRun 'imgvisa help check' for its options.\n");
  // What only the parser sees is said in the same form.
  r = RunImgvisa({"check", "--jobs", "999", "x.json"});
  CHECK(r.status == 2);
  CHECK(r.err.rfind("imgvisa check: --jobs: ", 0) == 0);
  CHECK(r.err.find("\nRun 'imgvisa help check' for its options.\n") != std::string::npos);
  // None of CLI11's own words.
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"chek", "x.json"}, {"check", "--bogus", "x.json"}, {"check"}, {"diff", "a.json"}}) {
    r = RunImgvisa(args);
    CHECK(r.err.find("not expected") == std::string::npos);
    CHECK(r.err.find("Run with --help") == std::string::npos);
    CHECK(r.err.find("is required") == std::string::npos);
  }
}

TEST_CASE("imgvisa help COMMAND prints that command's help, imgvisa help the program's") {
  auto help = RunImgvisa({"help", "check"});
  CHECK(help.status == 0);
  CHECK(help.err.empty());
  CHECK(help.out == RunImgvisa({"check", "--help"}).out);
  CHECK(help.out.find("--format") != std::string::npos);
  auto top = RunImgvisa({"help"});
  CHECK(top.status == 0);
  CHECK(top.out == RunImgvisa({"--help"}).out);
  CHECK(top.out.find("help ") != std::string::npos);
  auto unknown = RunImgvisa({"help", "chek"});
  CHECK(unknown.status == 2);
  CHECK(unknown.out.empty());
  CHECK(unknown.err ==
        "imgvisa: unknown command \"chek\" (did you mean \"check\"?)\n"
        "Run 'imgvisa --help' for the commands.\n");
}

TEST_CASE("version flag prints the program and the rule set's version and hash") {
  auto r = RunImgvisa({"--version"});
  CHECK(r.status == 0);
  CHECK(r.out.rfind("imgvisa 0.1.0\nrules imgvisa-us ", 0) == 0);
  CHECK(r.out.find("sha256:") != std::string::npos);
}

TEST_CASE("bad inputs: one clear line on stderr, nothing on stdout, exit 2") {
  struct Case {
    const char* name;
    std::string content;
    const char* expect;
  };
  const std::vector<Case> cases = {
      {"malformed", "{\"school\": [1,}",
       "malformed.json:1:15: error[E001]: invalid JSON: syntax error while parsing value - "
       "unexpected '}'"},
      {"truncated", "{\"school\": {\"country\": \"IN\"",
       "truncated.json:1:28: error[E001]: invalid JSON: syntax error while parsing object - "
       "unexpected end of input"},
      {"utf8", "{\"school\": {\"country\": \"\xc3\x28\"}}",
       "utf8.json:1:26: error[E001]: invalid JSON: syntax error while parsing value - invalid "
       "string: ill-formed UTF-8 byte"},
      {"overflow", "{\"oet\": {\"writing\": 1e400}}",
       "overflow.json:1:21: error[E001]: invalid JSON: number overflow"},
      {"empty", "", "empty.json:1:1: error[E001]: invalid JSON: the input is empty"},
      {"not-object", "42",
       "not-object.json:1:1: error[E041]: a profile must be a JSON object, not an integer"},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      const std::string path = TempFile(std::string(c.name) + ".json", c.content);
      auto r = RunImgvisa({"check", "--as-of", "2026-11-21", path});
      CHECK(r.status == 2);
      CHECK(r.out.empty());
      INFO(r.err);
      CHECK(r.err.find(std::string(c.expect).substr(0, std::string(c.expect).find(':'))) !=
            std::string::npos);
      CHECK(r.err.find(std::string(c.expect).substr(std::string(c.expect).find(':') + 1)) !=
            std::string::npos);
      CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
      unlink(path.c_str());
    }
  }
  SECTION("a directory") {
    auto r = RunImgvisa({"check", "/tmp"});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "/tmp: error[E050]: cannot read the profile: is a directory, not a file\n");
  }
  SECTION("a missing file") {
    auto r = RunImgvisa({"check", "/nonexistent/profile.json"});
    CHECK(r.status == 2);
    CHECK(r.err ==
          "/nonexistent/profile.json: error[E050]: cannot read the profile: No such file or "
          "directory\n");
  }
  SECTION("other profiles are still evaluated") {
    const std::string good = TempFile("good.json", kOpen);
    auto r = RunImgvisa(
        {"check", "--as-of", "2026-11-21", "--format", "ndjson", "/nonexistent.json", good});
    CHECK(r.status == 2);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);
    unlink(good.c_str());
  }
}

TEST_CASE("a country that is not an upper-case ISO 3166-1 code is a located error, exit 2") {
  struct Case {
    const char* name;
    const char* profile;
    const char* expect;  ///< after the file's name
  };
  // A partial-ban national outside the US: were "ng" or "Nigeria" read as a country that is on
  // no list, the J-1 travel ban would read met and the verdict change without a word.
  const std::string rest =
      R"(, "us_status": "none", "location": {"in_us": false}, "visa": {"valid_us_visa": false}})";
  const std::vector<Case> cases = {
      {"lower", R"({"citizenship": ["ng"])",
       ":1:18: error[E045]: citizenship: \"ng\": country codes are upper case; did you "
       "mean \"NG\"?\n"},
      {"name", R"({"citizenship": ["Nigeria"])",
       ":1:18: error[E045]: citizenship: \"Nigeria\" is not an ISO 3166-1 alpha-2 "
       "country code; did you mean \"NG\"?\n"},
      {"unknown", R"({"citizenship": ["XX"])",
       ":1:18: error[E045]: citizenship: \"XX\" is not an ISO 3166-1 alpha-2 "
       "country code\n"},
      {"date", R"({"school": {"country": "2020-05-01"})",
       ":1:24: error[E045]: school.country: \"2020-05-01\" is not an ISO 3166-1 alpha-2 "
       "country code\n"},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      const std::string path = TempFile(std::string(c.name) + ".json", c.profile + rest);
      for (const char* format : {"text", "json"}) {
        auto r = RunImgvisa({"check", "--as-of", "2026-11-21", "--format", format, path});
        CHECK(r.status == 2);
        if (std::string(format) == "text") {
          CHECK(r.out.empty());
          CHECK(r.err == path + c.expect);
        } else {
          CHECK(r.out.find("\"code\": \"E045\"") != std::string::npos);
          CHECK(r.out.find("\"verdicts\"") == std::string::npos);
        }
      }
      unlink(path.c_str());
    }
  }
  SECTION("the code itself gives a verdict") {
    const std::string path = TempFile("code.json", R"({"citizenship": ["NG"])" + rest);
    auto r = RunImgvisa({"check", "--as-of", "2026-11-21", "--pathway", "j1-clinical", path});
    CHECK((r.status == 0 || r.status == 1));
    CHECK(r.err.empty());
    unlink(path.c_str());
  }
}

namespace {

using json = nlohmann::ordered_json;

// Whether the fact at `path` (a record field when `list` is set) holds countries.
bool HoldsCountries(const imgvisa::FactDictionary& d, const std::string& path,
                    std::optional<imgvisa::FactId> list) {
  const auto id = list ? d.FindField(*list, path) : d.Find(path);
  if (!id) return false;
  const imgvisa::FactDecl& decl = d.at(*id);
  return decl.type == imgvisa::ValueType::kCountry ||
         decl.item_type == imgvisa::ValueType::kCountry;
}

// Every country code in `value`, a profile or a part of it at `path`, as the JSON pointer of
// the string that holds it.
void CountryPointers(const imgvisa::FactDictionary& d, const json& value, const std::string& path,
                     std::optional<imgvisa::FactId> list, const std::string& pointer,
                     std::vector<std::string>& out) {
  if (value.is_object()) {
    for (const auto& [key, v] : value.items()) {
      const std::string p = list || path.empty() ? key : path + "." + key;
      CountryPointers(d, v, p, list, pointer + "/" + key, out);
    }
  } else if (value.is_array()) {
    const auto records = list ? std::nullopt : d.Find(path);
    const bool record_list = records && d.at(*records).is_record_list();
    for (std::size_t i = 0; i < value.size(); ++i) {
      CountryPointers(d, value[i], record_list ? "" : path, record_list ? records : list,
                      pointer + "/" + std::to_string(i), out);
    }
  } else if (value.is_string() && HoldsCountries(d, path, list)) {
    out.push_back(pointer);
  }
}

}  // namespace

TEST_CASE("a country spelt any other way never gives a verdict: check refuses it with E045") {
  const imgvisa::FactDictionary& dictionary = imgvisa::EmbeddedRuleSet()->dictionary;
  std::string stream;
  std::size_t variants = 0;
  std::set<std::string> codes_seen;
  for (const std::string& line : imgvisa::testing::ExampleProfileLines()) {
    const json profile = json::parse(line);
    std::vector<std::string> pointers;
    CountryPointers(dictionary, profile, "", std::nullopt, "", pointers);
    for (const std::string& pointer : pointers) {
      const json::json_pointer at(pointer);
      const std::string code = profile[at].get<std::string>();
      const imgvisa::Country* country = imgvisa::FindCountry(code);
      REQUIRE(country != nullptr);
      codes_seen.insert(code);
      std::string lower = code, alpha3_lower(country->alpha3);
      for (char& ch : lower) ch = static_cast<char>(ch - 'A' + 'a');
      for (char& ch : alpha3_lower) ch = static_cast<char>(ch - 'A' + 'a');
      std::vector<std::string> spellings = {lower, std::string(country->alpha3), alpha3_lower,
                                            std::string(country->name)};
      if (!country->common_name.empty()) spellings.emplace_back(country->common_name);
      for (const std::string& spelt : spellings) {
        json changed = profile;
        changed[at] = spelt;
        stream += changed.dump() + "\n";
        ++variants;
      }
    }
  }
  // The examples hold codes of several countries, in every kind of country fact.
  CHECK(codes_seen.size() >= 5);
  REQUIRE(variants >= 50);
  auto r = RunImgvisa({"check", "--as-of", "2026-01-15", "--format", "ndjson", "-"}, stream);
  CHECK(r.status == 2);
  std::size_t refused = 0;
  std::istringstream lines(r.out);
  for (std::string record; std::getline(lines, record);) {
    const json j = json::parse(record);
    INFO(record);
    CHECK(j["type"] == "error");
    CHECK_FALSE(j.contains("verdicts"));
    REQUIRE(j["errors"].size() == 1);
    CHECK(j["errors"][0]["code"] == "E045");
    CHECK(j["errors"][0]["message"].get<std::string>().find("did you mean") != std::string::npos);
    ++refused;
  }
  CHECK(refused == variants);
  // The profiles as they are give verdicts.
  std::string examples;
  for (const std::string& line : imgvisa::testing::ExampleProfileLines()) examples += line + "\n";
  const auto originals =
      RunImgvisa({"check", "--as-of", "2026-01-15", "--format", "ndjson", "-"}, examples);
  CHECK(originals.out.find("\"type\":\"error\"") == std::string::npos);
  CHECK(originals.out.find("E045") == std::string::npos);
}

TEST_CASE("the profile schema lists the country codes for every country fact") {
  auto r = RunImgvisa({"schema", "profile"});
  REQUIRE(r.status == 0);
  const json schema = json::parse(r.out);
  json codes = json::array();
  for (const imgvisa::Country& c : imgvisa::Countries()) codes.push_back(std::string(c.code));
  json or_null = codes;
  or_null.push_back(nullptr);
  const json& props = schema["properties"];
  CHECK(props["citizenship"]["items"]["enum"] == codes);
  CHECK(props["school"]["properties"]["country"]["enum"] == or_null);
  CHECK(props["last_permanent_residence"]["enum"] == or_null);
  CHECK(props["son"]["properties"]["country"]["enum"] == or_null);
  // US states are not countries.
  CHECK_FALSE(props["offer"]["properties"]["state"].contains("enum"));
  auto rules = RunImgvisa({"schema", "rules"});
  REQUIRE(rules.status == 0);
  const json fact = json::parse(rules.out)["$defs"]["fact"]["properties"];
  const auto has_country = [](const json& names) {
    return std::find(names.begin(), names.end(), "country") != names.end();
  };
  CHECK(has_country(fact["type"]["enum"]));
  CHECK(has_country(fact["items"]["properties"]["type"]["enum"]));
}

TEST_CASE("check reads standard input and works from any directory with the embedded rules") {
  auto r = RunImgvisa({"check", "--as-of", "2026-11-21", "-"}, kOpen);
  CHECK(r.status == 0);
  CHECK(r.out.rfind("- — as of 2026-11-21 (rules imgvisa-us", 0) == 0);
}

TEST_CASE("NO_COLOR and --color never keep escape codes out; always adds them") {
  auto plain = RunImgvisa({"check", "--as-of", "2026-11-21", "--color", "always", "-"}, kOpen,
                          {"NO_COLOR=1"});
  CHECK(plain.out.find("\x1b[") == std::string::npos);
  auto colored = RunImgvisa({"check", "--as-of", "2026-11-21", "--color", "always", "-"}, kOpen);
  CHECK(colored.out.find("\x1b[") != std::string::npos);
  auto piped = RunImgvisa({"check", "--as-of", "2026-11-21", "-"}, kOpen);
  CHECK(piped.out.find("\x1b[") == std::string::npos);
}

#include "imgvisa/output/result_writer.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "imgvisa/cli/cmd_check.h"
#include "imgvisa/cli/selection.h"
#include "imgvisa/engine/evaluator.h"
#include "imgvisa/output/render.h"
#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/rules/rule_source.h"
#include "test_support.h"

using nlohmann::ordered_json;

namespace {

std::string Dump(const ordered_json& j) {
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

// Profiles from the benchmark's generator: the realistic spread the fast path must match on.
std::vector<std::string> GeneratedProfiles(int count) {
  const std::string command = "python3 '" + imgvisa::testing::SourcePath("bench/gen_profiles.py") +
                              "' " + std::to_string(count) + " --seed 11 --rules '" +
                              imgvisa::testing::SourcePath("rules") + "'";
  std::vector<std::string> lines;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string line;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    line += buffer;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      lines.push_back(line);
      line.clear();
    }
  }
  REQUIRE(::pclose(pipe) == 0);
  REQUIRE(lines.size() == static_cast<std::size_t>(count));
  return lines;
}

}  // namespace

TEST_CASE("JSON strings are escaped exactly as nlohmann dumps them") {
  const std::vector<std::string> cases = {
      "",
      "plain text",
      "quote \" and backslash \\ and slash /",
      "controls \b\f\n\r\t and \x01\x1f and DEL \x7f",
      std::string("a NUL \0 inside", 14),
      "UTF-8: caf\xc3\xa9, \xe2\x82\xac, \xf0\x9f\x98\x80",
      "invalid: \xff lone byte",
      "truncated: \xe2\x82",
      "overlong: \xc0\xaf",
      "surrogate: \xed\xa0\x80",
      "above U+10FFFF: \xf4\x90\x80\x80",
  };
  for (const std::string& s : cases) {
    std::string ours;
    imgvisa::AppendJsonString(ours, s);
    CHECK(ours == Dump(ordered_json(s)));
  }
}

TEST_CASE("JSON string escaping finds a character to escape at any offset of a long string") {
  // The writer skips eight plain bytes at a time; each kind of byte at each offset of the first
  // and the last word (and beside bytes >= 0x80) must still be seen.
  for (const char special : {'"', '\\', '\n', '\x01', '\x1f', '\0', '\x7f', ' ', '\x21'}) {
    for (std::size_t at = 0; at < 24; ++at) {
      for (const char filler : {'a', '\x20'}) {
        std::string s(24, filler);
        s[at] = special;
        if (at + 2 < s.size()) s.replace(at + 1, 2, "\xc3\xa9");  // a two-byte sequence after it
        std::string ours;
        imgvisa::AppendJsonString(ours, s);
        INFO("special " << static_cast<int>(special) << " at " << at);
        CHECK(ours == Dump(ordered_json(s)));
      }
    }
  }
}

TEST_CASE("the NDJSON record writer gives the bytes of the record built as a DOM") {
  imgvisa::RuleSetLoad load = imgvisa::LoadRuleSet("");
  REQUIRE(load.ok());
  const imgvisa::RuleSet& rules = *load.rules;
  std::string problem;
  const std::vector<std::size_t> all = *imgvisa::SelectPathways(rules, {}, &problem);
  const std::vector<std::size_t> two =
      *imgvisa::SelectPathways(rules, {"h1b", "j1-clinical"}, &problem);
  const imgvisa::ResultWriter writer(rules);
  std::vector<std::string> profiles = GeneratedProfiles(150);
  profiles.push_back(R"({"$id": "esc \"q\" \u0001 caf\u00e9"})");
  std::size_t line = 0;
  for (const char* date : {"2026-01-15", "2019-06-01"}) {
    const imgvisa::Date as_of = *imgvisa::ParseIsoDate(date);
    for (const std::string& text : profiles) {
      ++line;
      imgvisa::FactsLoad facts =
          imgvisa::FactsFromJson(rules.dictionary, imgvisa::SourceFile("-", text, line));
      REQUIRE(facts.ok);
      const auto verdicts = imgvisa::Evaluate(rules, facts.facts, as_of);
      for (const auto* selection : {&all, &two}) {
        ordered_json record = ordered_json::object();
        record["type"] = "result";
        record["format"] = imgvisa::kCheckFormat;
        record["input"] = "-";
        record["line"] = line;
        if (!facts.facts.id.empty()) record["id"] = facts.facts.id;
        record["as_of"] = as_of.ToString();
        ordered_json list = ordered_json::array();
        imgvisa::CitedSources cited;
        for (std::size_t p : *selection) {
          list.push_back(imgvisa::VerdictToJson(rules, verdicts[p]));
          cited.Add(rules, verdicts[p]);
        }
        record["verdicts"] = std::move(list);
        record["sources"] = cited.ToJson();
        std::string fast;
        writer.AppendResult(fast, "-", line, facts.facts.id, as_of, verdicts, *selection);
        REQUIRE(fast == Dump(record) + "\n");
      }
    }
  }
}

TEST_CASE("a summary element is the bytes of its DOM, up to the longest element there can be") {
  // Summary elements are copied in 16-byte blocks into room sized for the longest element of
  // any pathway: each kind of verdict with every item decisive and every fact and unsettled
  // point missing must still come out whole, as must the shortest (nothing listed).
  imgvisa::RuleSetLoad load = imgvisa::LoadRuleSet("");
  REQUIRE(load.ok());
  const imgvisa::RuleSet& rules = *load.rules;
  const imgvisa::ResultWriter writer(rules);
  for (std::size_t p = 0; p < rules.pathways.size(); ++p) {
    for (const bool everything : {false, true}) {
      for (std::size_t k = 0; k < std::size(imgvisa::kVerdictNames); ++k) {
        imgvisa::Verdict v;
        v.pathway = p;
        v.kind = static_cast<imgvisa::VerdictKind>(k);
        v.items.resize(rules.pathways[p].items.size());
        for (std::size_t i = 0; i < v.items.size(); ++i) {
          v.items[i].item = i;
          if (everything) v.decisive.push_back(i);
        }
        if (everything) {
          for (std::size_t f = 0; f < rules.dictionary.facts().size(); ++f) {
            v.missing.AddFact(static_cast<std::uint16_t>(f));
          }
          for (std::size_t u = 0; u < rules.unsettled.size(); ++u) {
            v.missing.AddUnsettled(static_cast<std::uint16_t>(u));
          }
        }
        std::string fast = "[";  // something before, which the element must leave alone
        writer.AppendVerdictSummary(fast, v);
        INFO(rules.pathways[p].id << " kind " << k << (everything ? " everything" : " nothing"));
        REQUIRE(fast == "[" + Dump(imgvisa::VerdictSummaryToJson(rules, v)));
      }
    }
  }
}

TEST_CASE("check's NDJSON stream equals the records of its JSON document") {
  // --format json still builds every record as a DOM; --format ndjson takes the fast path.
  std::string stream;
  // Fewer profiles under the sanitizers, where each of these RunCheck calls costs ten times more.
#ifdef IMGVISA_SANITIZED
  constexpr std::size_t kProfiles = 30;
#else
  constexpr std::size_t kProfiles = 120;
#endif
  for (const std::string& p : GeneratedProfiles(kProfiles)) stream += p + "\n";
  for (bool next_steps : {true, false}) {
    imgvisa::CheckOptions options;
    options.inputs = {"-"};
    options.as_of = "2026-01-15";
    options.next_steps = next_steps;
    options.format = "ndjson";
    std::istringstream in1(stream);
    std::ostringstream ndjson, err1;
    const int rc1 = imgvisa::RunCheck(options, in1, ndjson, err1);
    // Generated profiles may contradict themselves: warnings, never errors.
    CHECK(err1.str().find("error[") == std::string::npos);

    // The same profiles as separate JSON documents, one per line-numbered record.
    options.format = "json";
    std::vector<std::string> expected;
    std::istringstream lines(stream);
    std::string profile;
    std::size_t number = 0;
    while (std::getline(lines, profile)) {
      ++number;
      options.inputs = {"-"};
      std::istringstream one(profile);
      std::ostringstream out, err;
      imgvisa::RunCheck(options, one, out, err);
      const ordered_json doc = ordered_json::parse(out.str());
      CHECK(doc["format"] == imgvisa::kCheckFormat);
      ordered_json record = doc["results"][0];
      // A document lists the sources once, after its records; a stream's record lists its own.
      if (record["type"] == "result") record["sources"] = doc["sources"];
      // A warning's line is the stream's line, as for the record.
      if (record.contains("warnings")) {
        for (auto& w : record["warnings"]) w["line"] = number;
      }
      // A whole document has no line numbers; the stream's records carry theirs after "input".
      ordered_json with_line = ordered_json::object();
      for (auto it = record.begin(); it != record.end(); ++it) {
        with_line[it.key()] = it.value();
        if (it.key() == "input") with_line["line"] = number;
      }
      expected.push_back(Dump(with_line));
    }
    std::istringstream got(ndjson.str());
    std::string line;
    std::size_t i = 0;
    while (std::getline(got, line)) {
      REQUIRE(i < expected.size());
      CHECK(line == expected[i]);
      ++i;
    }
    CHECK(i == expected.size());
    CHECK((rc1 == 0 || rc1 == 1));
  }
}

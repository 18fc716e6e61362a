#include "imgvisa/profile/answer.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ask_rule_files.h"
#include "test_support.h"

using imgvisa::Answer;
using imgvisa::ParseAnswer;
using imgvisa::RuleSet;
using json = nlohmann::ordered_json;
using imgvisa::testing::AskRuleFiles;

TEST_CASE("answers are read by type and checked by the profile loader") {
  RuleSet rules = imgvisa::testing::MustLoad(AskRuleFiles());
  auto id = [&](const char* path) { return *rules.dictionary.Find(path); };
  auto parse = [&](const char* path, const char* text) {
    return ParseAnswer(rules.dictionary, id(path), text);
  };
  CHECK(parse("status", "2").value == "none");
  CHECK(parse("status", " None ").value == "none");
  CHECK(parse("status", "3").kind == Answer::Kind::kInvalid);
  CHECK(parse("status", "3").hint == "choose a number from 1 to 2");
  CHECK(parse("status", "noen").hint == "choose a number from 1 to 2, or one of: citizen, none");
  CHECK(parse("exam", "Yes").value == true);
  CHECK(parse("exam", "n").value == false);
  CHECK(parse("exam", "maybe").hint == "answer y or n");
  CHECK(parse("score", "350").value == 350);
  CHECK(parse("score", "600").kind == Answer::Kind::kInvalid);
  CHECK(parse("score", "600").hint.find("outside 0 to 500") != std::string::npos);
  CHECK(parse("score", "3.5").hint == "answer a whole number 0-500");
  CHECK(parse("grad", "2023-02-28").value == "2023-02-28");
  CHECK(parse("grad", "2023-02-30").kind == Answer::Kind::kInvalid);
  CHECK(parse("grad", "2023-02-30").hint.find("a real calendar date") != std::string::npos);
  CHECK(parse("countries", "IN, CA").value == json::array({"IN", "CA"}));
  CHECK(parse("countries", "none").value == json::array());
  CHECK(parse("countries", "\xff").kind == Answer::Kind::kInvalid);
  CHECK(parse("history[].kind", "h1b").value == "h1b");
  CHECK(parse("history[].start", "1999-13-01").kind == Answer::Kind::kInvalid);
  for (const char* dont_know : {"", "  ", "?", "don't know", "Dont know", "idk"}) {
    CHECK(parse("score", dont_know).kind == Answer::Kind::kDontKnow);
  }
  CHECK(parse("score", "q").kind == Answer::Kind::kQuit);
  CHECK(parse("score", "help").kind == Answer::Kind::kHelp);
  CHECK(imgvisa::ParseYesNo("y").value == true);
  CHECK(imgvisa::ParseYesNo("x").kind == Answer::Kind::kInvalid);
  CHECK(imgvisa::TypeHint(rules.dictionary.at(id("score"))) == "whole number 0-500 points");
  CHECK(imgvisa::TypeHint(rules.dictionary.at(id("status"))) == "1-2");
  CHECK(imgvisa::TypeHint(rules.dictionary.at(id("countries"))) ==
        "text, comma-separated, or none");
}

TEST_CASE("answers: numbers, enum lists with a none value, and the words of the interview") {
  RuleSet rules = imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(
      R"({"ratio": {"type": "number", "minimum": 0, "description": "d", "question": "Ratio?"},
          "visas": {"type": "list", "items": {"type": "enum", "values": ["none", "j1", "not_taken"]},
                    "description": "d", "question": "Visas?"}})",
      R"({"pathway": {"id": "p", "title": "T", "summary": "S", "sponsor": "X", "items": [
        {"id": "r", "kind": "requirement", "title": "t",
         "condition": {"all": [{"ge": [{"fact": "ratio"}, 1]},
                               {"overlaps": [{"fact": "visas"}, ["j1"]]}]},
         "text": {"met": "m", "unmet": "u"}, "sources": [{"instrument": "x", "verified": "2026-01-01"}]}]}})"));
  const auto ratio = *rules.dictionary.Find("ratio");
  const auto visas = *rules.dictionary.Find("visas");
  auto parse = [&](imgvisa::FactId fact, const char* text) {
    return ParseAnswer(rules.dictionary, fact, text);
  };
  CHECK(parse(ratio, "2.5").value == 2.5);
  CHECK(parse(ratio, "3.0").value.is_number_integer());
  CHECK(parse(ratio, "3.0").value == 3);
  CHECK(parse(ratio, "abc").hint == "answer a number from 0");
  CHECK(parse(ratio, "-1").kind == Answer::Kind::kInvalid);
  CHECK(imgvisa::TypeHint(rules.dictionary.at(ratio)) == "number from 0");
  // "none" is one of the values, so it is that value, not the empty list.
  CHECK(parse(visas, "none").value == json::array({"none"}));
  CHECK(parse(visas, "J1, Not taken").value == json::array({"j1", "not_taken"}));
  CHECK(parse(visas, "j1, x").hint ==
        "\"x\": choose a number from 1 to 3, or one of: none, j1, not_taken");
  CHECK(imgvisa::TypeHint(rules.dictionary.at(visas)) == "1-3, comma-separated");
  CHECK(parse(visas, "quit").kind == Answer::Kind::kQuit);
  CHECK(parse(visas, "unknown").kind == Answer::Kind::kDontKnow);
  CHECK(imgvisa::ParseYesNo("No").value == false);
  CHECK(imgvisa::ParseYesNo("?").kind == Answer::Kind::kDontKnow);
  CHECK(imgvisa::ParseYesNo("help").kind == Answer::Kind::kHelp);
}

TEST_CASE("answers for a country: a code, or one country named exactly, else asked again") {
  RuleSet rules = imgvisa::testing::MustLoad(imgvisa::testing::TinyRuleSet(
      R"({"school.country": {"type": "country", "description": "d", "question": "Where?"},
          "citizenship": {"type": "list", "items": {"type": "country"}, "description": "d",
                          "question": "Citizen of?"}})",
      R"({"pathway": {"id": "p", "title": "T", "summary": "S", "sponsor": "X", "items": [
        {"id": "r", "kind": "requirement", "title": "t",
         "condition": {"all": [{"in": [{"fact": "school.country"}, ["US", "CA"]]},
                               {"overlaps": [{"fact": "citizenship"}, ["CA"]]}]},
         "text": {"met": "m", "unmet": "u"}, "sources": [{"instrument": "x", "verified": "2026-01-01"}]}]}})"));
  const auto school = *rules.dictionary.Find("school.country");
  const auto citizenship = *rules.dictionary.Find("citizenship");
  auto parse = [&](imgvisa::FactId fact, const char* text) {
    return ParseAnswer(rules.dictionary, fact, text);
  };
  // A code as typed is taken as typed.
  CHECK(parse(school, "IN").value == "IN");
  CHECK(parse(school, "IN").read_as.empty());
  CHECK(parse(school, "PR").value == "PR");
  // A name, an alpha-3 code or a code in lower case, when it names one country only, is that
  // country's code, and the person is told how it was read.
  for (const char* india : {"India", "india", "ind", "in", " INDIA "}) {
    INFO(india);
    const Answer a = parse(school, india);
    CHECK(a.kind == Answer::Kind::kValue);
    CHECK(a.value == "IN");
    CHECK(a.read_as == "read as IN (India)");
  }
  CHECK(parse(school, "iran").read_as == "read as IR (Iran)");
  // Anything else is asked again, with what it might mean.
  CHECK(parse(school, "2020-05-01").kind == Answer::Kind::kInvalid);
  CHECK(parse(school, "2020-05-01").hint == "not a country code (two capital letters, e.g. IN)");
  CHECK(parse(school, "XX").hint == "not a country code (two capital letters, e.g. IN)");
  CHECK(parse(school, "Nigerria").hint == "not a country code; did you mean \"NG\"?");
  CHECK(parse(school, "Nigera").hint ==
        "not a country code; did you mean \"NE\" (Niger) or \"NG\" (Nigeria)?");
  CHECK(parse(school, "Congo").kind == Answer::Kind::kInvalid);
  CHECK(parse(school, "Congo").hint ==
        "not a country code; did you mean \"CD\" (Congo, The Democratic Republic of the) or "
        "\"CG\" (Congo)?");
  // Lists: each item so, and every reading shown.
  const Answer list = parse(citizenship, "India, ng,CA");
  CHECK(list.value == json::array({"IN", "NG", "CA"}));
  CHECK(list.read_as == "read as IN (India), NG (Nigeria)");
  CHECK(parse(citizenship, "IN, CA").read_as.empty());
  CHECK(parse(citizenship, "none").value == json::array());
  CHECK(parse(citizenship, "IN, Korea").hint ==
        "\"Korea\": not a country code; did you mean \"KR\" (South Korea) or \"KP\" (North "
        "Korea)?");
  CHECK(imgvisa::TypeHint(rules.dictionary.at(school)) == "country code or name");
  CHECK(imgvisa::TypeHint(rules.dictionary.at(citizenship)) ==
        "country code or name, comma-separated, or none");
}

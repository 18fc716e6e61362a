#include "ask_rule_files.h"

namespace imgvisa::testing {
namespace {

const char* kFacts = R"({"facts": {
  "status": {"type": "enum", "values": ["citizen", "none"], "description": "Status today.",
             "question": "Status?", "example": "none"},
  "exam": {"type": "bool", "description": "d", "question": "Passed the exam?"},
  "score": {"type": "integer", "minimum": 0, "maximum": 500, "unit": "points",
            "description": "d", "question": "Score?"},
  "grad": {"type": "date", "description": "d", "question": "Graduation date?"},
  "history": {"type": "list", "description": "Periods in status.", "question": "History?",
              "fields": {"kind": {"type": "enum", "values": ["j1", "h1b"], "description": "d",
                                  "question": "Kind?"},
                         "start": {"type": "date", "description": "d", "question": "Start?"},
                         "end": {"type": "date", "description": "d", "question": "End?"}}},
  "countries": {"type": "list", "items": {"type": "string"}, "description": "d",
                "question": "Countries?"},
  "decided": {"type": "bool", "description": "d", "question": "Decided?"},
  "tip": {"type": "bool", "description": "d", "question": "Tip?"}
}})";

std::string Item(const std::string& id, const std::string& kind, const std::string& condition) {
  return "{\"id\": \"" + id + "\", \"kind\": \"" + kind + "\", \"title\": \"" + id +
         "\", \"condition\": " + condition + ", \"text\": {\"met\": \"" + id +
         " met\", \"unmet\": \"" + id +
         " unmet\"}, \"sources\": [{\"instrument\": \"Test Act\", \"verified\": \"2026-01-01\"}]}";
}

std::string Pathway(const std::string& id, const std::vector<std::string>& items) {
  std::string list;
  for (const auto& i : items) list += (list.empty() ? "" : ",") + i;
  return "{\"pathway\": {\"id\": \"" + id + "\", \"title\": \"" + id +
         " title\", \"summary\": \"S\", \"sponsor\": \"X\", \"items\": [" + list + "]}}";
}

}  // namespace

std::vector<SourceFile> AskRuleFiles() {
  const std::string gate = Item("gate", "gate", R"({"eq": [{"fact": "status"}, "none"]})");
  const std::string exam = Item("exam", "requirement", R"({"eq": [{"fact": "exam"}, true]})");
  const std::string months =
      R"({"sum": {"list": "history", "where": {"eq": [{"field": "kind"}, "j1"]},
          "of": {"months_between": [{"field": "start"},
                                    {"coalesce": [{"field": "end"}, {"as_of": true}]}]}}})";
  return {
      SourceFile("ruleset.json", R"({"ruleset": {"name": "tiny", "version": "1"}})"),
      SourceFile("facts.json", kFacts),
      SourceFile(
          "alpha.json",
          Pathway("alpha",
                  {gate, exam, Item("score", "requirement", R"({"ge": [{"fact": "score"}, 300]})"),
                   Item("decided", "condition", R"({"eq": [{"fact": "decided"}, true]})"),
                   Item("tip", "note", R"({"eq": [{"fact": "tip"}, true]})")})),
      SourceFile("beta.json",
                 Pathway("beta", {gate, exam,
                                  Item("recent", "restriction",
                                       R"({"ge": [{"fact": "grad"}, "2020-01-01"]})")})),
      SourceFile(
          "gamma.json",
          Pathway("gamma", {gate, Item("clock", "requirement", "{\"lt\": [" + months + ", 84]}"),
                            Item("home", "requirement",
                                 R"({"not": {"overlaps": [{"fact": "countries"}, ["XX"]]}})")})),
  };
}

}  // namespace imgvisa::testing

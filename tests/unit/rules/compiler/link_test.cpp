// The links between pathways (src/rules/compiler/link.cpp), seen through RuleSetFromFiles.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "imgvisa/rules/rule_set_from_json.h"
#include "test_support.h"

using imgvisa::SourceFile;

namespace {

// A pathway file whose one item holds `condition`.
SourceFile PathwayFile(const std::string& id, const std::string& condition) {
  return SourceFile(id + ".json", R"({"pathway": {"id": ")" + id +
                                      R"(", "title": "T", "summary": "S", "sponsor": "X", "items": [
      {"id": "i", "kind": "requirement", "title": "t", "condition": )" +
                                      condition + R"(, "text": {"met": "m", "unmet": "u"},
       "sources": [{"instrument": "Act", "verified": "2026-01-01"}]}]}})");
}

SourceFile Manifest(const std::string& order = "") {
  return SourceFile(
      "ruleset.json",
      R"({"ruleset": {"name": "n", "version": "1")" +
          (order.empty() ? std::string() : ", \"order\": " + order) +
          R"(}, "facts": {"ok": {"type": "bool", "description": "d", "question": "OK?"}}})");
}

const char* kOwn = R"({"eq": [{"fact": "ok"}, true]})";

std::vector<std::string> Ids(const imgvisa::RuleSet& rules, const auto& order) {
  std::vector<std::string> ids;
  for (auto p : order) ids.push_back(rules.pathways[static_cast<std::size_t>(p)].id);
  return ids;
}

}  // namespace

TEST_CASE("a pathway is evaluated after the pathways and items it reads") {
  // Files in the order a, b, c, d: a reads b's verdict, b reads an item of c; d reads nothing.
  const imgvisa::RuleSet rules = imgvisa::testing::MustLoad(
      {Manifest(), PathwayFile("a", R"({"pathway": "b", "is": ["eligible"]})"),
       PathwayFile("b", R"({"item": "c/i", "is": ["met"]})"), PathwayFile("c", kOwn),
       PathwayFile("d", kOwn)});
  CHECK(Ids(rules, rules.evaluation_order) == std::vector<std::string>{"c", "b", "a", "d"});
}

TEST_CASE("a definition's references order the pathways that use it") {
  std::vector<SourceFile> files = {
      Manifest(), PathwayFile("a", R"({"ref": "b-open"})"), PathwayFile("b", kOwn),
      SourceFile("definitions.json",
                 R"({"definitions": {"b-open": {"pathway": "b", "is": ["eligible"]}}})")};
  const imgvisa::RuleSet rules = imgvisa::testing::MustLoad(std::move(files));
  CHECK(Ids(rules, rules.evaluation_order) == std::vector<std::string>{"b", "a"});
}

TEST_CASE("pathways are presented in the manifest's order, then the others by id") {
  const imgvisa::RuleSet rules = imgvisa::testing::MustLoad(
      {Manifest(R"(["c", "a", "c"])"), PathwayFile("d", kOwn), PathwayFile("b", kOwn),
       PathwayFile("a", kOwn), PathwayFile("c", kOwn)});
  CHECK(Ids(rules, rules.presentation_order) == std::vector<std::string>{"c", "a", "b", "d"});
  CHECK(Ids(rules, rules.evaluation_order) == std::vector<std::string>{"d", "b", "a", "c"});
}

TEST_CASE("an order that names no pathway is refused, at its place") {
  const SourceFile manifest = Manifest(R"(["a", "nope", 3])");
  auto load = imgvisa::RuleSetFromFiles({manifest, PathwayFile("a", kOwn)});
  CHECK_FALSE(load.ok());
  std::vector<std::string> messages;
  for (const auto& d : load.diagnostics) messages.push_back(d.code + " " + d.message);
  CHECK(messages ==
        std::vector<std::string>{R"(E022 "order" names "nope", which is no pathway of the set)",
                                 R"(E022 "order" names 3, which is no pathway of the set)"});
  REQUIRE(load.diagnostics.size() == 2);
  for (const auto& d : load.diagnostics) CHECK(d.file == "ruleset.json");
  CHECK(manifest.text().substr(*load.diagnostics[0].offset, 6) == R"("nope")");
  CHECK(manifest.text().substr(*load.diagnostics[1].offset, 2) == "3]");
}

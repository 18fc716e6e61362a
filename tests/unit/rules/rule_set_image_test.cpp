#include "imgvisa/rules/rule_set_image.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <random>

#include "imgvisa/rules/rule_source.h"
#include "test_support.h"

namespace fs = std::filesystem;
using imgvisa::RuleSet;
using imgvisa::RuleSetFromImage;
using imgvisa::RuleSetImage;
using imgvisa::SourceFile;

namespace {

// What an image can give back: the image keeps file names, not their text.
RuleSet WithoutFileTexts(RuleSet rules) {
  rules.Sha256();  // kept in the image, so computed while the texts are there
  for (SourceFile& f : rules.files) f = SourceFile(f.name(), "");
  return rules;
}

RuleSet FromJson(std::vector<SourceFile> files, const std::string& root) {
  auto load = imgvisa::RuleSetFromFiles(std::move(files), root, /*positions=*/false);
  REQUIRE(load.ok());
  return std::move(*load.rules);
}

}  // namespace

TEST_CASE("the image linked into the binary is the embedded rule set, compiled") {
  REQUIRE_FALSE(imgvisa::EmbeddedRuleSetImage().empty());
  const RuleSet expected = WithoutFileTexts(FromJson(imgvisa::EmbeddedRuleFiles(), "rules/"));
  const std::optional<RuleSet> restored = RuleSetFromImage(imgvisa::EmbeddedRuleSetImage());
  REQUIRE(restored.has_value());
  CHECK(restored->Sha256() == expected.Sha256());
  CHECK(restored->pathways == expected.pathways);
  CHECK(restored->dictionary == expected.dictionary);
  CHECK(restored->conditions == expected.conditions);
  CHECK(restored->expressions == expected.expressions);
  CHECK(*restored == expected);

  // What check, explain and ask load is the image; lint asks for positions and reads the JSON.
  auto fast = imgvisa::LoadRuleSet("", /*positions=*/false);
  REQUIRE(fast.ok());
  CHECK(fast.rules->files.front().text().empty());
  CHECK(*fast.rules == expected);
  auto located = imgvisa::LoadRuleSet("", /*positions=*/true);
  REQUIRE(located.ok());
  CHECK_FALSE(located.rules->files.front().text().empty());
}

TEST_CASE("an image gives back the rule set it was made from") {
  SECTION("the source tree's rules/") {
    std::vector<imgvisa::Diagnostic> problems;
    std::string root;
    auto files = imgvisa::RuleFilesFrom(imgvisa::testing::SourcePath("rules"), &root, problems);
    REQUIRE(problems.empty());
    const RuleSet rules = FromJson(std::move(files), root);
    const std::string image = RuleSetImage(rules);
    const std::optional<RuleSet> restored = RuleSetFromImage(image);
    REQUIRE(restored.has_value());
    CHECK(*restored == WithoutFileTexts(rules));
    CHECK(RuleSetImage(*restored) == image);
  }
  SECTION("every loader and lint case that loads") {
    // These exercise constructs the shipped rules may not use (aggregates, every operator).
    int cases = 0;
    for (const char* dir : {"tests/golden/load", "tests/golden/lint"}) {
      for (const auto& entry :
           fs::recursive_directory_iterator(imgvisa::testing::SourcePath(dir))) {
        if (!entry.is_directory()) continue;
        std::vector<imgvisa::Diagnostic> problems;
        std::string root;
        auto files = imgvisa::RuleFilesFrom(entry.path().string(), &root, problems);
        if (!problems.empty() || files.empty()) continue;
        auto load = imgvisa::RuleSetFromFiles(std::move(files), root, /*positions=*/false);
        if (!load.ok()) continue;
        INFO(entry.path().string());
        const std::optional<RuleSet> restored = RuleSetFromImage(RuleSetImage(*load.rules));
        REQUIRE(restored.has_value());
        CHECK(*restored == WithoutFileTexts(*load.rules));
        ++cases;
      }
    }
    CHECK(cases >= 10);
  }
}

TEST_CASE("a damaged image is refused or read safely, never misread into a crash") {
  const std::string image(imgvisa::EmbeddedRuleSetImage());
  REQUIRE(image.size() > 1000);
  CHECK_FALSE(RuleSetFromImage("").has_value());
  CHECK_FALSE(RuleSetFromImage("not an image").has_value());
  std::string foreign = image;
  foreign[10] ^= 0x20;  // inside the magic tag
  CHECK_FALSE(RuleSetFromImage(foreign).has_value());
  CHECK_FALSE(RuleSetFromImage(image + "x").has_value());

  // Every cut is refused: the reader needs all of it.
  std::mt19937 random(20261122);
#ifdef IMGVISA_SANITIZED
  const int trials = 40;
#else
  const int trials = 200;
#endif
  for (int i = 0; i < trials; ++i) {
    const std::size_t cut = std::uniform_int_distribution<std::size_t>(0, image.size() - 1)(random);
    INFO("cut at " << cut);
    CHECK_FALSE(RuleSetFromImage(std::string_view(image).substr(0, cut)).has_value());
  }
  // Flipped bytes either fail the checks or give a set whose indexes stay in bounds; ASan and
  // UBSan (scripts/test-sanitizers) are what make this test bite.
  int refused = 0;
  for (int i = 0; i < trials; ++i) {
    std::string damaged = image;
    const std::size_t at = std::uniform_int_distribution<std::size_t>(0, image.size() - 1)(random);
    damaged[at] = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(random));
    if (!RuleSetFromImage(damaged)) ++refused;
  }
  CHECK(refused > 0);
}

#include "imgvisa/rules/rule_set_from_json.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "imgvisa/base/suggest.h"
#include "test_support.h"

namespace fs = std::filesystem;
using imgvisa::SourceFile;

namespace {

// Loads every file of a golden case directory and renders the diagnostics as a user sees them.
std::string LoadCase(const std::string& name) {
  const std::string relative = "tests/golden/load/" + name;
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(imgvisa::testing::SourcePath(relative))) {
    if (entry.path().extension() == ".json") paths.push_back(entry.path().filename().string());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<SourceFile> files;
  for (const auto& p : paths) {
    files.emplace_back(relative + "/" + p, imgvisa::testing::ReadText(
                                               imgvisa::testing::SourcePath(relative + "/" + p)));
  }
  auto load = imgvisa::RuleSetFromFiles(std::move(files), relative + "/");
  std::string out = load.ok() ? "loads\n" : "does not load\n";
  for (const auto& d : load.diagnostics) out += imgvisa::FormatDiagnostic(d) + "\n";
  return out;
}

}  // namespace

TEST_CASE("rule loader diagnostics, golden cases") {
  for (const char* name :
       {"syntax", "unknown-keys", "types", "countries", "countries-good", "references", "effective",
        "texts-and-sources", "duplicates", "facts-in-time", "good"}) {
    SECTION(name) {
      imgvisa::testing::CheckGolden(std::string("tests/golden/load/") + name + ".expected",
                                    LoadCase(name));
    }
  }
}

TEST_CASE("did-you-mean suggests only close words") {
  CHECK(imgvisa::Suggest("condtion", {"condition", "kind"}) == "condition");
  CHECK_FALSE(imgvisa::Suggest("xyz", {"condition", "kind"}).has_value());
  CHECK(imgvisa::EditDistance("kitten", "sitting") == 3);
}

TEST_CASE("the shipped rule set loads with no diagnostics") {
  std::vector<SourceFile> files;
  std::vector<std::string> paths;
  for (const auto& e : fs::recursive_directory_iterator(imgvisa::testing::SourcePath("rules"))) {
    if (e.path().extension() == ".json") paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) files.emplace_back(p, imgvisa::testing::ReadText(p));
  auto load = imgvisa::RuleSetFromFiles(std::move(files));
  std::string report;
  for (const auto& d : load.diagnostics) report += imgvisa::FormatDiagnostic(d) + "\n";
  INFO(report);
  CHECK(load.diagnostics.empty());
  CHECK(load.ok());
}

#include "imgvisa/rules/rule_source.h"

#include <algorithm>
#include <filesystem>

#include "imgvisa/engine/evaluator.h"
#include "imgvisa/rules/rule_set_image.h"
#include "imgvisa/sys/read_file.h"

namespace imgvisa {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t kMaxRuleFileBytes = 16 * 1024 * 1024;
}

std::vector<SourceFile> RuleFilesFrom(const std::string& path, std::string* root,
                                      std::vector<Diagnostic>& problems) {
  if (path.empty()) {
    *root = "rules/";
    return EmbeddedRuleFiles();
  }
  std::vector<std::string> names;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    *root = path.back() == '/' ? path : path + "/";
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec) && it->path().extension() == ".json") {
        names.push_back(it->path().string());
      }
    }
    if (ec) {
      problems.push_back(Diagnostic{Severity::kError, "E050",
                                    "cannot read the rule directory: " + ec.message(), path,
                                    std::nullopt});
    }
    std::sort(names.begin(), names.end());
    if (names.empty() && !ec) {
      problems.push_back(Diagnostic{Severity::kError, "E050",
                                    "the rule directory holds no .json file", path, std::nullopt});
    }
  } else {
    const auto slash = path.rfind('/');
    *root = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    names.push_back(path);
  }
  std::vector<SourceFile> files;
  for (const std::string& name : names) {
    FileRead read = ReadFile(name, kMaxRuleFileBytes);
    if (!read.ok) {
      problems.push_back(Diagnostic{Severity::kError, "E050",
                                    "cannot read the rule file: " + read.error, name,
                                    std::nullopt});
      continue;
    }
    files.emplace_back(name, std::move(read.text));
  }
  return files;
}

std::vector<SourceFile> RuleFilesFromPaths(const std::vector<std::string>& paths, std::string* root,
                                           std::vector<Diagnostic>& problems) {
  if (paths.empty()) return RuleFilesFrom("", root, problems);
  std::vector<SourceFile> files;
  root->clear();
  for (const std::string& path : paths) {
    std::string path_root;
    for (SourceFile& f : RuleFilesFrom(path, &path_root, problems)) files.push_back(std::move(f));
    if (root->empty()) *root = path_root;
  }
  return files;
}

namespace {

std::optional<RuleSet> RestoreEmbeddedRuleSet() { return RuleSetFromImage(EmbeddedRuleSetImage()); }

}  // namespace

const RuleSet* EmbeddedRuleSet() {
  // A leaked pointer rather than a static object, so nothing runs at exit; it stays reachable,
  // so leak checkers do not count it.
  static const RuleSet* const rules = []() -> const RuleSet* {
    std::optional<RuleSet> restored = RestoreEmbeddedRuleSet();
    return restored ? new RuleSet(std::move(*restored)) : nullptr;
  }();
  return rules;
}

RuleSetLoad LoadRuleSet(const std::string& path, bool positions) {
  // The embedded set was compiled when the binary was built; only lint needs its positions,
  // which the image does not keep.
  if (path.empty() && !positions) {
    if (std::optional<RuleSet> rules = RestoreEmbeddedRuleSet()) {
      RuleSetLoad load;
      load.rules = std::move(rules);
      return load;
    }
  }
  std::vector<Diagnostic> problems;
  std::string root;
  std::vector<SourceFile> files = RuleFilesFrom(path, &root, problems);
  if (!problems.empty()) {
    RuleSetLoad load;
    load.diagnostics = std::move(problems);
    return load;
  }
  return RuleSetFromFiles(std::move(files), root, positions);
}

}  // namespace imgvisa

#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "imgvisa/base/source.h"
#include "imgvisa/rules/rule_set_from_json.h"

namespace imgvisa {

/// The rule files compiled into the binary at build time (rules/ of the source tree), named
/// "rules/<relative path>", in byte order of their names.
std::vector<SourceFile> EmbeddedRuleFiles();

/// Loads the rule set from `path` (a file, or a directory read recursively for *.json), or the
/// embedded set when `path` is empty. An unreadable path becomes a diagnostic of the load.
/// `positions` as in RuleSetFromFiles: only lint needs the places of elements that load.
RuleSetLoad LoadRuleSet(const std::string& path, bool positions = true);

/// The files of several paths taken as one rule set (so a pathway file can go with the fact
/// dictionary it reads); the embedded set when `paths` is empty. `root` is the first path's.
std::vector<SourceFile> RuleFilesFromPaths(const std::vector<std::string>& paths, std::string* root,
                                           std::vector<Diagnostic>& problems);

/// The embedded rule set, restored from the build-time image on first use and kept for the rest
/// of the process (never freed: a short check would spend time tearing it down). nullptr when the
/// binary carries no image; LoadRuleSet("") then reports why the embedded JSON does not load.
const RuleSet* EmbeddedRuleSet();

/// The test-case files of the set (those holding "tests"), for `imgvisa test`.
std::vector<SourceFile> RuleFilesFrom(const std::string& path, std::string* root,
                                      std::vector<Diagnostic>& problems);

}  // namespace imgvisa

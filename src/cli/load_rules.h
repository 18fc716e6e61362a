#pragma once

// How every command gets its rule set: the embedded one, or the files of --rules PATH (lint and
// test take several paths forming one set), and how a set that does not load is reported.

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "imgvisa/base/diagnostic.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// The rule set a command runs on: the process's embedded set, shared, or one it loaded and
/// owns. Empty when the set did not load.
class LoadedRules {
 public:
  LoadedRules() = default;
  static LoadedRules Shared(const RuleSet& rules);
  static LoadedRules Owned(RuleSet rules);

  explicit operator bool() const { return rules_ != nullptr; }
  const RuleSet& operator*() const { return *rules_; }
  const RuleSet* operator->() const { return rules_; }

 private:
  std::unique_ptr<const RuleSet> owned_;  // where rules_ points when the set is not shared
  const RuleSet* rules_ = nullptr;
};

/// What a command needs of its rules beyond evaluating with them.
struct RulesWanted {
  /// The set compiled from its JSON files, which it keeps: the test cases and lint read them.
  /// Without, the embedded set is the image compiled into the binary at build time, which
  /// keeps the files' names but not their texts.
  bool files = false;
  /// Every element located in its file (lint); a set with problems is always located.
  bool positions = false;
};

/// A rule set read from its files, or why it could not be.
struct RulesRead {
  LoadedRules rules;
  std::vector<Diagnostic> unreadable;   ///< files that could not be read (nothing was compiled)
  std::vector<Diagnostic> diagnostics;  ///< otherwise, why the set does not compile
};

/// Reads the rule set of `paths` (several form one set, so a pathway file can go with the fact
/// dictionary it reads; none: the embedded set), without reporting anything.
RulesRead ReadRules(const std::vector<std::string>& paths, RulesWanted wanted = {});

/// Who reports a set that does not load: "imgvisa COMMAND: WHAT does not load".
struct RulesFor {
  std::string_view command;
  std::string what = "the rule set";
  std::size_t max_errors = kDefaultMaxErrors;  ///< errors reported per file; 0: all
};

/// ReadRules for a command that cannot go on without its rules: on failure the diagnostics (the
/// first `who.max_errors` errors of each file, then how many more) and "imgvisa COMMAND: WHAT
/// does not load" go to `err`, and the result is empty (the command then exits 3).
LoadedRules LoadRules(const std::vector<std::string>& paths, const RulesFor& who, std::ostream& err,
                      RulesWanted wanted = {});

/// The same for the one path of --rules (empty: the embedded set).
LoadedRules LoadRules(const std::string& path, const RulesFor& who, std::ostream& err);

}  // namespace imgvisa

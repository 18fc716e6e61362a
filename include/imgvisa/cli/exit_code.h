#pragma once

namespace imgvisa {

/// The exit statuses of the imgvisa executable, a contract documented in docs/cli.md.
enum ExitCode : int {
  /// check: at least one selected pathway is eligible or conditional; lint/test: clean.
  kExitOk = 0,
  /// check: evaluated, and no selected pathway is eligible or conditional; lint/test: findings.
  kExitNoneOpen = 1,
  kExitFindings = 1,
  /// Usage error, or an input that could not be read or is not a valid profile.
  kExitUsage = 2,
  /// The rule set does not load.
  kExitRules = 3,
};

}  // namespace imgvisa

#pragma once

#include <string_view>
#include <vector>

#include "imgvisa/base/date.h"
#include "imgvisa/base/diagnostic.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// One documented diagnostic code: what SARIF calls a rule. Loader codes (E0xx) and lint
/// checks (E1xx, W1xx) share the table so every report can name and describe its codes.
struct DiagnosticCode {
  std::string_view code;
  std::string_view name;
  std::string_view description;
  Severity severity;
};

/// Every code imgvisa can report, in code order (docs/diagnostics.md describes each).
const std::vector<DiagnosticCode>& AllDiagnosticCodes();
const DiagnosticCode* FindDiagnosticCode(std::string_view code);

struct LintOptions {
  Date as_of;
  int stale_after_days = 365;
  int stale_after_days_volatile = 180;
};

/// The lint checks that run on a rule set that loaded: stale sources, conditions that can
/// never be met or never be unmet, facts and definitions nothing reads. Each finding is
/// located in its rule file.
std::vector<Diagnostic> Lint(const RuleSet& rules, const LintOptions& options);

}  // namespace imgvisa

#pragma once

// The flags of each command resolved once into typed settings. The XxxOptions structs of
// imgvisa/cli/cmd_*.h hold the flags as given (main fills them from CLI11; tests build them);
// each command first resolves them here, where every value is checked and every usage error is
// worded, and then works with enums and dates rather than comparing strings.

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "imgvisa/base/date.h"
#include "imgvisa/cli/cmd_check.h"
#include "imgvisa/cli/cmd_diff.h"
#include "imgvisa/cli/cmd_explain.h"
#include "imgvisa/cli/cmd_lint.h"

namespace imgvisa {

/// --color: auto | always | never.
enum class ColorChoice { kAuto, kAlways, kNever };
/// check --format: text | json | ndjson.
enum class CheckFormat { kText, kJson, kNdjson };
/// check --detail: short (text only, its default) | full | summary (json and ndjson only).
enum class CheckDetail { kFull, kSummary, kShort };
/// diff --format: text | ndjson.
enum class DiffFormat { kText, kNdjson };
/// explain --format: text | markdown | json.
enum class ExplainFormat { kText, kMarkdown, kJson };
/// lint --format: text | json | github | sarif.
enum class LintFormat { kText, kJson, kGithub, kSarif };
/// docs PAGE: pathways | profile.
enum class DocsPage { kPathways, kProfile };
/// schema KIND: profile | rules.
enum class SchemaKind { kProfile, kRules };

/// Each flag value by its name on the command line; nullopt for any other text.
std::optional<ColorChoice> ParseColorChoice(std::string_view text);
std::optional<CheckFormat> ParseCheckFormat(std::string_view text);
std::optional<CheckDetail> ParseCheckDetail(std::string_view text);
std::optional<DiffFormat> ParseDiffFormat(std::string_view text);
std::optional<ExplainFormat> ParseExplainFormat(std::string_view text);
std::optional<LintFormat> ParseLintFormat(std::string_view text);
std::optional<DocsPage> ParseDocsPage(std::string_view text);
std::optional<SchemaKind> ParseSchemaKind(std::string_view text);

/// The name of a format on the command line (the explain renderer takes it so).
std::string_view FormatName(ExplainFormat format);

/// Whether output gets color: never with NO_COLOR set to anything but the empty string, else
/// as chosen, `auto` meaning when standard output is a terminal. main asks the environment.
bool UseColor(ColorChoice choice, const char* no_color, bool stdout_is_terminal);

/// `imgvisa check`, resolved.
struct CheckConfig {
  std::vector<std::string> inputs;  ///< at least one; "-" is standard input
  Date as_of;
  std::vector<std::string> pathways;
  std::string rules_path;
  CheckFormat format = CheckFormat::kText;
  CheckDetail detail = CheckDetail::kFull;  ///< kSummary only with json or ndjson, kShort text
  std::size_t columns = 80;                 ///< what the short text answer is wrapped to
  bool color = false;
  std::vector<std::string> what_if;
  bool next_steps = true;
  std::size_t jobs = 1;                        ///< at least 1: 0 on the command line is one per CPU
  std::size_t max_errors = kDefaultMaxErrors;  ///< 0: no limit
};

/// `imgvisa diff`, resolved.
struct DiffConfig {
  std::string old_rules;            ///< not empty
  std::string new_rules;            ///< not empty
  std::vector<std::string> inputs;  ///< at least one; "-" is NDJSON on standard input
  Date as_of;
  std::vector<std::string> pathways;
  DiffFormat format = DiffFormat::kText;
  std::size_t max_errors = kDefaultMaxErrors;  ///< 0: no limit
};

/// `imgvisa explain`, resolved.
struct ExplainConfig {
  std::vector<std::string> pathways;
  ExplainFormat format = ExplainFormat::kText;
  std::optional<Date> as_of;  ///< none with --all-versions
  std::string rules_path;
  std::size_t max_errors = kDefaultMaxErrors;  ///< 0: no limit
};

/// `imgvisa lint`, resolved.
struct LintConfig {
  std::vector<std::string> paths;
  LintFormat format = LintFormat::kText;
  Date as_of;
  int stale_after = 365;           ///< not negative
  int stale_after_volatile = 180;  ///< not negative
  bool strict = false;
  std::vector<std::string> allow;
  std::size_t max_errors = kDefaultMaxErrors;  ///< 0: no limit
};

/// Each command's flags, resolved. On a usage error a one-line message naming the command goes to
/// `err` (only the first problem found) and the result is empty: the command then exits 2.
std::optional<CheckConfig> ResolveCheckOptions(const CheckOptions& options, std::ostream& err);
std::optional<DiffConfig> ResolveDiffOptions(const DiffOptions& options, std::ostream& err);
std::optional<ExplainConfig> ResolveExplainOptions(const ExplainOptions& options,
                                                   std::ostream& err);
std::optional<LintConfig> ResolveLintOptions(const LintCommandOptions& options, std::ostream& err);

}  // namespace imgvisa

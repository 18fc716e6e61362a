#include "cli/options.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>
#include <utility>

#include "imgvisa/base/diagnostic.h"
#include "imgvisa/cli/as_of_option.h"

namespace imgvisa {
namespace {

template <typename Enum>
struct Choice {
  std::string_view name;
  Enum value;
};

template <typename Enum, std::size_t N>
std::optional<Enum> Parse(std::string_view text, const Choice<Enum> (&choices)[N]) {
  for (const Choice<Enum>& c : choices) {
    if (c.name == text) return c.value;
  }
  return std::nullopt;
}

constexpr Choice<ExplainFormat> kExplainFormats[] = {{"text", ExplainFormat::kText},
                                                     {"markdown", ExplainFormat::kMarkdown},
                                                     {"json", ExplainFormat::kJson}};

}  // namespace

std::optional<ColorChoice> ParseColorChoice(std::string_view text) {
  static constexpr Choice<ColorChoice> kChoices[] = {{"auto", ColorChoice::kAuto},
                                                     {"always", ColorChoice::kAlways},
                                                     {"never", ColorChoice::kNever}};
  return Parse(text, kChoices);
}

std::optional<CheckFormat> ParseCheckFormat(std::string_view text) {
  static constexpr Choice<CheckFormat> kChoices[] = {
      {"text", CheckFormat::kText}, {"json", CheckFormat::kJson}, {"ndjson", CheckFormat::kNdjson}};
  return Parse(text, kChoices);
}

std::optional<CheckDetail> ParseCheckDetail(std::string_view text) {
  static constexpr Choice<CheckDetail> kChoices[] = {{"full", CheckDetail::kFull},
                                                     {"summary", CheckDetail::kSummary},
                                                     {"short", CheckDetail::kShort}};
  return Parse(text, kChoices);
}

std::optional<DiffFormat> ParseDiffFormat(std::string_view text) {
  static constexpr Choice<DiffFormat> kChoices[] = {{"text", DiffFormat::kText},
                                                    {"ndjson", DiffFormat::kNdjson}};
  return Parse(text, kChoices);
}

std::optional<ExplainFormat> ParseExplainFormat(std::string_view text) {
  return Parse(text, kExplainFormats);
}

std::optional<LintFormat> ParseLintFormat(std::string_view text) {
  static constexpr Choice<LintFormat> kChoices[] = {{"text", LintFormat::kText},
                                                    {"json", LintFormat::kJson},
                                                    {"github", LintFormat::kGithub},
                                                    {"sarif", LintFormat::kSarif}};
  return Parse(text, kChoices);
}

std::optional<DocsPage> ParseDocsPage(std::string_view text) {
  static constexpr Choice<DocsPage> kChoices[] = {{"pathways", DocsPage::kPathways},
                                                  {"profile", DocsPage::kProfile}};
  return Parse(text, kChoices);
}

std::optional<SchemaKind> ParseSchemaKind(std::string_view text) {
  static constexpr Choice<SchemaKind> kChoices[] = {{"profile", SchemaKind::kProfile},
                                                    {"rules", SchemaKind::kRules}};
  return Parse(text, kChoices);
}

std::string_view FormatName(ExplainFormat format) {
  for (const Choice<ExplainFormat>& c : kExplainFormats) {
    if (c.value == format) return c.name;
  }
  return "text";
}

bool UseColor(ColorChoice choice, const char* no_color, bool stdout_is_terminal) {
  if (no_color != nullptr && *no_color != '\0') return false;
  switch (choice) {
    case ColorChoice::kAlways:
      return true;
    case ColorChoice::kNever:
      return false;
    case ColorChoice::kAuto:
      break;
  }
  return stdout_is_terminal;
}

std::optional<CheckConfig> ResolveCheckOptions(const CheckOptions& options, std::ostream& err) {
  const std::optional<Date> as_of = ParseAsOfOption(options.as_of, "check", err);
  if (!as_of) return std::nullopt;
  const std::optional<CheckFormat> format = ParseCheckFormat(options.format);
  if (!format) {
    err << fmt::format("imgvisa check: --format must be text, json or ndjson, not \"{}\"\n",
                       EscapeForDisplay(options.format));
    return std::nullopt;
  }
  if (options.inputs.empty()) {
    err << "imgvisa check: name at least one profile, or - for standard input\n";
    return std::nullopt;
  }
  // Unset, text gives the short answer for people and json or ndjson the full records.
  const std::string_view detail_name = !options.detail.empty()
                                           ? std::string_view(options.detail)
                                           : (*format == CheckFormat::kText ? "short" : "full");
  const std::optional<CheckDetail> detail = ParseCheckDetail(detail_name);
  if (!detail) {
    err << fmt::format("imgvisa check: --detail must be short, full or summary, not \"{}\"\n",
                       EscapeForDisplay(options.detail));
    return std::nullopt;
  }
  if (*detail == CheckDetail::kSummary && *format == CheckFormat::kText) {
    err << "imgvisa check: --detail summary is for --format json or ndjson; text output always "
           "gives the reasons\n";
    return std::nullopt;
  }
  if (*detail == CheckDetail::kShort && *format != CheckFormat::kText) {
    err << "imgvisa check: --detail short is for text output; json and ndjson take full or "
           "summary\n";
    return std::nullopt;
  }
  CheckConfig config;
  config.inputs = options.inputs;
  config.as_of = *as_of;
  config.pathways = options.pathways;
  config.rules_path = options.rules_path;
  config.format = *format;
  config.detail = *detail;
  config.columns = options.columns;
  config.color = options.color;
  config.what_if = options.what_if;
  config.next_steps = options.next_steps;
  config.jobs = options.jobs > 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  config.max_errors = options.max_errors;
  return config;
}

std::optional<DiffConfig> ResolveDiffOptions(const DiffOptions& options, std::ostream& err) {
  const std::optional<Date> as_of = ParseAsOfOption(options.as_of, "diff", err);
  if (!as_of) return std::nullopt;
  const std::optional<DiffFormat> format = ParseDiffFormat(options.format);
  if (!format) {
    err << fmt::format("imgvisa diff: --format must be text or ndjson, not \"{}\"\n",
                       EscapeForDisplay(options.format));
    return std::nullopt;
  }
  if (options.old_rules.empty() || options.new_rules.empty()) {
    err << "imgvisa diff: name both rule sets with --old and --new\n";
    return std::nullopt;
  }
  if (options.inputs.empty()) {
    err << "imgvisa diff: name at least one profile, or - for NDJSON on standard input\n";
    return std::nullopt;
  }
  DiffConfig config;
  config.old_rules = options.old_rules;
  config.new_rules = options.new_rules;
  config.inputs = options.inputs;
  config.as_of = *as_of;
  config.pathways = options.pathways;
  config.format = *format;
  config.max_errors = options.max_errors;
  return config;
}

std::optional<ExplainConfig> ResolveExplainOptions(const ExplainOptions& options,
                                                   std::ostream& err) {
  ExplainConfig config;
  if (!options.all_versions) {
    config.as_of = ParseAsOfOption(options.as_of, "explain", err);
    if (!config.as_of) return std::nullopt;
  }
  const std::optional<ExplainFormat> format = ParseExplainFormat(options.format);
  if (!format) {
    err << "imgvisa explain: --format must be text, markdown or json\n";
    return std::nullopt;
  }
  config.pathways = options.pathways;
  config.format = *format;
  config.rules_path = options.rules_path;
  config.max_errors = options.max_errors;
  return config;
}

std::optional<LintConfig> ResolveLintOptions(const LintCommandOptions& options, std::ostream& err) {
  const std::optional<Date> as_of = ParseAsOfOption(options.as_of, "lint", err);
  if (!as_of) return std::nullopt;
  const std::optional<LintFormat> format = ParseLintFormat(options.format);
  if (!format) {
    err << "imgvisa lint: --format must be text, json, github or sarif\n";
    return std::nullopt;
  }
  if (options.stale_after < 0 || options.stale_after_volatile < 0) {
    err << "imgvisa lint: staleness limits must not be negative\n";
    return std::nullopt;
  }
  LintConfig config;
  config.paths = options.paths;
  config.format = *format;
  config.as_of = *as_of;
  config.stale_after = options.stale_after;
  config.stale_after_volatile = options.stale_after_volatile;
  config.strict = options.strict;
  config.allow = options.allow;
  config.max_errors = options.max_errors;
  return config;
}

}  // namespace imgvisa

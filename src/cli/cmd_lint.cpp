#include "imgvisa/cli/cmd_lint.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cli/load_rules.h"
#include "cli/options.h"
#include "imgvisa/checks/lint.h"
#include "imgvisa/checks/rule_cases.h"
#include "imgvisa/cli/exit_code.h"

namespace imgvisa {
namespace {

using json = nlohmann::ordered_json;

// GitHub workflow commands need %, CR and LF escaped in messages, and also : and , in properties.
std::string GithubEscape(std::string_view s, bool property) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A file name as a URI reference (RFC 3986): relative names stay relative, absolute ones get
// the file scheme, and every byte outside the unreserved set and '/' is percent-encoded.
std::string FileUri(std::string_view path) {
  std::string out = !path.empty() && path.front() == '/' ? "file://" : "";
  for (char ch : path) {
    const unsigned char c = static_cast<unsigned char>(ch);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    out += plain ? std::string(1, ch) : fmt::format("%{:02X}", c);
  }
  return out;
}

// What --allow took out of the report: counted, so that a silenced code is still seen to occur.
struct Silenced {
  std::vector<std::string> codes;  ///< as given with --allow; empty: no --allow
  std::size_t count = 0;

  // ", N silenced by --allow CODE..." for summary lines, or nothing without --allow.
  std::string Summary() const {
    if (codes.empty()) return "";
    return fmt::format(", {} silenced by --allow {}", count, fmt::join(codes, " "));
  }
};

// The findings a report shows: the first --max-errors errors of each file and every warning,
// with how many errors it leaves out; the totals count them all, but not the silenced.
struct Report {
  std::vector<Diagnostic> shown;
  std::vector<OmittedErrors> omitted;
  std::size_t errors = 0, warnings = 0;
  Silenced silenced;

  std::size_t OmittedCount() const {
    std::size_t n = 0;
    for (const OmittedErrors& o : omitted) n += o.count;
    return n;
  }
};

Report MakeReport(std::vector<Diagnostic> findings, std::size_t max_errors, Silenced silenced) {
  Report report;
  report.silenced = std::move(silenced);
  for (const Diagnostic& d : findings) {
    (d.severity == Severity::kError ? report.errors : report.warnings) += 1;
  }
  report.omitted = LimitErrors(findings, max_errors);
  report.shown = std::move(findings);
  return report;
}

void WriteText(std::ostream& out, const Report& report) {
  for (const Diagnostic& d : report.shown) out << FormatDiagnostic(d) << "\n";
  for (const OmittedErrors& o : report.omitted) {
    out << FormatOmittedErrors(o.file, o.count) << "\n";
  }
  out << fmt::format("{} error{}, {} warning{}{}\n", report.errors, report.errors == 1 ? "" : "s",
                     report.warnings, report.warnings == 1 ? "" : "s", report.silenced.Summary());
}

json Location(const Diagnostic& d) {
  json loc = {{"file", d.file}};
  if (d.position.line > 0) {
    loc["line"] = d.position.line;
    loc["column"] = d.position.column;
  }
  return loc;
}

void WriteJson(std::ostream& out, const Report& report) {
  json list = json::array();
  for (const Diagnostic& d : report.shown) {
    const DiagnosticCode* code = FindDiagnosticCode(d.code);
    list.push_back({{"code", d.code},
                    {"check", code ? std::string(code->name) : std::string()},
                    {"severity", SeverityName(d.severity)},
                    {"message", d.message},
                    {"location", Location(d)}});
  }
  json summary = {{"errors", report.errors},
                  {"warnings", report.warnings},
                  {"silenced", report.silenced.count}};
  if (const std::size_t more = report.OmittedCount(); more > 0) summary["more_errors"] = more;
  out << json{{"diagnostics", std::move(list)}, {"summary", std::move(summary)}}.dump(2) << "\n";
}

// Silenced findings are no annotation at all: GitHub shows only the first few of a step, and
// the count goes to the log as a plain line, which is no workflow command.
void WriteGithub(std::ostream& out, const Report& report) {
  for (const Diagnostic& d : report.shown) {
    out << "::"
        << (d.severity == Severity::kError     ? "error"
            : d.severity == Severity::kWarning ? "warning"
                                               : "notice")
        << " file=" << GithubEscape(d.file, true);
    if (d.position.line > 0) out << ",line=" << d.position.line << ",col=" << d.position.column;
    out << ",title=" << GithubEscape(d.code, true) << "::" << GithubEscape(d.message, false)
        << "\n";
  }
  for (const OmittedErrors& o : report.omitted) {
    out << "::notice file=" << GithubEscape(o.file, true)
        << "::" << GithubEscape(FormatOmittedErrors(o.file, o.count), false) << "\n";
  }
  const Silenced& silenced = report.silenced;
  if (!silenced.codes.empty()) {
    out << fmt::format("imgvisa lint: {} finding{} silenced by --allow {}\n", silenced.count,
                       silenced.count == 1 ? "" : "s", fmt::join(silenced.codes, " "));
  }
}

// Silenced findings are left out of the results; the run's property bag (SARIF 3.8) counts them.
void WriteSarif(std::ostream& out, const Report& report) {
  json rules = json::array();
  for (const DiagnosticCode& c : AllDiagnosticCodes()) {
    rules.push_back(
        {{"id", std::string(c.code)},
         {"name", std::string(c.name)},
         {"shortDescription", {{"text", std::string(c.description)}}},
         {"helpUri", "https://github.com/imgvisa/imgvisa/blob/main/docs/diagnostics.md"},
         {"defaultConfiguration",
          {{"level", c.severity == Severity::kError ? "error" : "warning"}}}});
  }
  json results = json::array();
  const auto& codes = AllDiagnosticCodes();
  for (const Diagnostic& d : report.shown) {
    json result = {{"ruleId", d.code}};
    auto it = std::find_if(codes.begin(), codes.end(),
                           [&](const DiagnosticCode& c) { return c.code == d.code; });
    if (it != codes.end()) result["ruleIndex"] = it - codes.begin();
    result["level"] = d.severity == Severity::kError     ? "error"
                      : d.severity == Severity::kWarning ? "warning"
                                                         : "note";
    result["message"] = {{"text", d.message}};
    json physical = {{"artifactLocation", {{"uri", FileUri(d.file)}}}};
    if (d.position.line > 0) {
      physical["region"] = {{"startLine", d.position.line}, {"startColumn", d.position.column}};
    }
    result["locations"] = json::array({{{"physicalLocation", std::move(physical)}}});
    results.push_back(std::move(result));
  }
  json sarif = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", json::array({{{"tool",
                                        {{"driver",
                                          {{"name", "imgvisa"},
                                           {"version", IMGVISA_VERSION},
                                           {"informationUri", "https://github.com/imgvisa/imgvisa"},
                                           {"rules", std::move(rules)}}}}},
                                       {"results", std::move(results)}}})}};
  if (!report.silenced.codes.empty()) {
    sarif["runs"][0]["properties"] = {{"silenced", report.silenced.count},
                                      {"allow", report.silenced.codes}};
  }
  // Errors left out by --max-errors are said the way SARIF says things about a run rather than
  // about the code: a notification of the tool's invocation, one per file.
  if (!report.omitted.empty()) {
    json notes = json::array();
    for (const OmittedErrors& o : report.omitted) {
      notes.push_back(
          {{"level", "note"},
           {"message", {{"text", FormatOmittedErrors(o.file, o.count)}}},
           {"locations", json::array({{{"physicalLocation",
                                        {{"artifactLocation", {{"uri", FileUri(o.file)}}}}}}})}});
    }
    sarif["runs"][0]["invocations"] = json::array(
        {{{"executionSuccessful", true}, {"toolExecutionNotifications", std::move(notes)}}});
  }
  out << sarif.dump(2) << "\n";
}

}  // namespace

int RunLint(const LintCommandOptions& options, std::ostream& out, std::ostream& err) {
  const std::optional<LintConfig> config = ResolveLintOptions(options, err);
  if (!config) return kExitUsage;
  // Several paths form one rule set, so a pathway file can be linted with its facts. What keeps
  // the set from compiling is a finding like any other; only an unreadable file stops lint.
  RulesRead read = ReadRules(config->paths, {.files = true, .positions = true});
  if (!read.unreadable.empty()) {
    for (const Diagnostic& d : read.unreadable) err << FormatDiagnosticLine(d) << "\n";
    return kExitUsage;
  }
  std::vector<Diagnostic> findings = std::move(read.diagnostics);
  if (read.rules) {
    LintOptions lint;
    lint.as_of = config->as_of;
    lint.stale_after_days = config->stale_after;
    lint.stale_after_days_volatile = config->stale_after_volatile;
    for (Diagnostic& d : Lint(*read.rules, lint)) findings.push_back(std::move(d));
    for (Diagnostic& d : RuleTestsFromFiles(*read.rules).diagnostics)
      findings.push_back(std::move(d));
    SortByLocation(findings);
  }
  // A code named with --allow is silenced in every format: reported only as a count.
  Silenced silenced{config->allow, 0};
  std::erase_if(findings, [&](const Diagnostic& d) {
    const bool allowed =
        std::find(config->allow.begin(), config->allow.end(), d.code) != config->allow.end();
    silenced.count += allowed ? 1 : 0;
    return allowed;
  });
  const bool fails = std::any_of(findings.begin(), findings.end(), [&](const Diagnostic& d) {
    return d.severity == Severity::kError || (config->strict && d.severity == Severity::kWarning);
  });
  const Report report = MakeReport(std::move(findings), config->max_errors, std::move(silenced));
  switch (config->format) {
    case LintFormat::kText:
      WriteText(out, report);
      break;
    case LintFormat::kJson:
      WriteJson(out, report);
      break;
    case LintFormat::kGithub:
      WriteGithub(out, report);
      break;
    case LintFormat::kSarif:
      WriteSarif(out, report);
      break;
  }
  return fails ? kExitFindings : kExitOk;
}

}  // namespace imgvisa

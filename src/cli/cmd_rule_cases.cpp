#include "imgvisa/cli/cmd_rule_cases.h"

#include <fmt/format.h>

#include <algorithm>

#include "cli/load_rules.h"
#include "imgvisa/checks/rule_cases.h"
#include "imgvisa/cli/exit_code.h"

namespace imgvisa {
namespace {

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

void WriteJUnit(std::ostream& out, const RuleTestRun& run) {
  // One <testsuite> per test file, in the order the files were read.
  std::vector<std::string> files;
  for (const RuleTestResult& r : run.results) {
    if (std::find(files.begin(), files.end(), r.test->file) == files.end())
      files.push_back(r.test->file);
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"imgvisa\" tests=\"{}\" failures=\"{}\">\n",
                     run.results.size(), run.failed());
  for (const std::string& file : files) {
    std::size_t tests = 0, failures = 0;
    for (const RuleTestResult& r : run.results) {
      if (r.test->file != file) continue;
      ++tests;
      failures += r.failures.empty() ? 0 : 1;
    }
    out << fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">\n", XmlEscape(file),
                       tests, failures);
    for (const RuleTestResult& r : run.results) {
      if (r.test->file != file) continue;
      out << fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\"",
                         XmlEscape(file), XmlEscape(r.test->name), XmlEscape(file),
                         r.test->position.line);
      if (r.failures.empty()) {
        out << "/>\n";
        continue;
      }
      out << fmt::format(">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                         XmlEscape(r.failures.front()),
                         XmlEscape(fmt::format("{}", fmt::join(r.failures, "\n"))));
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace

int RunTest(const TestOptions& options, std::ostream& out, std::ostream& err) {
  if (options.format != "text" && options.format != "junit") {
    err << "imgvisa test: --format must be text or junit\n";
    return kExitUsage;
  }
  // As for check, a rule set that cannot be read is a rule set that does not load.
  const LoadedRules loaded =
      LoadRules(options.paths, {"test", "the rule set", options.max_errors}, err, {.files = true});
  if (!loaded) return kExitRules;
  const RuleSet& rules = *loaded;
  RuleTestLoad tests = RuleTestsFromFiles(rules);
  const bool malformed = !tests.diagnostics.empty();
  const std::vector<OmittedErrors> omitted = LimitErrors(tests.diagnostics, options.max_errors);
  for (const Diagnostic& d : tests.diagnostics) err << FormatDiagnostic(d) << "\n";
  for (const OmittedErrors& o : omitted) err << FormatOmittedErrors(o.file, o.count) << "\n";
  RuleTestRun run = RunRuleTests(rules, tests.cases);
  if (options.format == "junit") {
    WriteJUnit(out, run);
  } else {
    for (const RuleTestResult& r : run.results) {
      if (r.failures.empty()) {
        if (options.verbose)
          out << fmt::format("PASS {}:{}: {}\n", r.test->file, r.test->position.line, r.test->name);
        continue;
      }
      out << fmt::format("FAIL {}:{}:{}: {}\n", r.test->file, r.test->position.line,
                         r.test->position.column, r.test->name);
      for (const std::string& f : r.failures) out << "  " << f << "\n";
    }
  }
  const double percent = run.CoveragePercent();
  bool coverage_short = options.min_coverage >= 0 && percent + 1e-9 < options.min_coverage;
  if (options.coverage || coverage_short) {
    std::ostream& to = options.format == "junit" ? err : out;
    if (options.coverage) {
      to << "coverage (M met, U unmet, ? unknown; - not seen):\n";
      for (const ItemCoverage& c : run.coverage) {
        const std::string marks = c.can_vary
                                      ? fmt::format("{}{}{}", c.met ? 'M' : '-',
                                                    c.unmet ? 'U' : '-', c.unknown ? '?' : '-')
                                      : fmt::format("{}  ", c.met ? 'M' : '-');
        to << fmt::format("  {}  {}/{}\n", marks, c.pathway, c.item);
      }
    }
    to << fmt::format(
        "coverage: {:.1f}% of item outcomes seen{}\n", percent,
        options.min_coverage >= 0 ? fmt::format(" (minimum {:.1f}%)", options.min_coverage) : "");
  }
  if (options.format == "text")
    out << fmt::format("{} passed, {} failed\n", run.passed(), run.failed());
  if (malformed) return kExitUsage;
  if (run.failed() > 0 || coverage_short) return kExitFindings;
  return kExitOk;
}

}  // namespace imgvisa

#include "imgvisa/output/rule_case_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>

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

// "file:line:column" of a failure: where its expectation is written, else where its case is.
std::string Place(const RuleTestResult& r, const RuleTestFailure& f) {
  const std::string& file = f.file.empty() ? r.test->file : f.file;
  const LineCol at = f.position.line > 0 ? f.position : r.test->position;
  return fmt::format("{}:{}:{}", file, at.line, at.column);
}

std::string FailureLines(const RuleTestResult& r) {
  std::vector<std::string> lines;
  for (const RuleTestFailure& f : r.failures) lines.push_back(Place(r, f) + ": " + f.message);
  return fmt::format("{}", fmt::join(lines, "\n"));
}

// A malformed case may have no name: it is then known by its place alone.
std::string_view NameOf(const RuleTestCase& t) {
  return t.name.empty() ? std::string_view("(a test case without a name)") : t.name;
}

void WriteJUnitCase(std::ostream& out, const std::string& file, const RuleTestResult& r) {
  out << fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\"",
                     XmlEscape(file), XmlEscape(NameOf(*r.test)), XmlEscape(file),
                     r.test->position.line);
  if (r.failures.empty()) {
    out << "/>\n";
    return;
  }
  out << fmt::format(">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                     XmlEscape(r.failures.front().message), XmlEscape(FailureLines(r)));
}

void WriteJUnitSuite(std::ostream& out, const std::string& file, const RuleTestRun& run) {
  std::size_t tests = 0, failures = 0;
  for (const RuleTestResult& r : run.results) {
    if (r.test->file != file) continue;
    ++tests;
    failures += r.failures.empty() ? 0 : 1;
  }
  out << fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">\n", XmlEscape(file),
                     tests, failures);
  for (const RuleTestResult& r : run.results) {
    if (r.test->file == file) WriteJUnitCase(out, file, r);
  }
  out << "  </testsuite>\n";
}

}  // namespace

void WriteRuleCaseResults(std::ostream& out, const RuleTestRun& run, bool verbose) {
  for (const RuleTestResult& r : run.results) {
    if (r.failures.empty()) {
      if (verbose)
        out << fmt::format("PASS {}:{}: {}\n", r.test->file, r.test->position.line, r.test->name);
      continue;
    }
    // The case is known by the place of its first failure, which an editor can jump to.
    out << fmt::format("FAIL {}: {}\n", Place(r, r.failures.front()), NameOf(*r.test));
    for (const RuleTestFailure& f : r.failures)
      out << "  " << Place(r, f) << ": " << f.message << "\n";
  }
}

void WriteRuleCaseTally(std::ostream& out, const RuleTestRun& run) {
  out << fmt::format("{} passed, {} failed\n", run.passed(), run.failed());
}

void WriteRuleCasesJUnit(std::ostream& out, const RuleTestRun& run) {
  std::vector<std::string> files;
  for (const RuleTestResult& r : run.results) {
    if (std::find(files.begin(), files.end(), r.test->file) == files.end())
      files.push_back(r.test->file);
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"imgvisa\" tests=\"{}\" failures=\"{}\">\n",
                     run.results.size(), run.failed());
  for (const std::string& file : files) WriteJUnitSuite(out, file, run);
  out << "</testsuites>\n";
}

void WriteRuleCaseCoverage(std::ostream& out, const RuleTestRun& run, bool items, double minimum) {
  if (items) {
    out << "coverage (M met, U unmet, ? unknown; - not seen):\n";
    for (const ItemCoverage& c : run.coverage) {
      const std::string marks = c.can_vary ? fmt::format("{}{}{}", c.met ? 'M' : '-',
                                                         c.unmet ? 'U' : '-', c.unknown ? '?' : '-')
                                           : fmt::format("{}  ", c.met ? 'M' : '-');
      out << fmt::format("  {}  {}/{}\n", marks, c.pathway, c.item);
    }
  }
  out << fmt::format("coverage: {:.1f}% of item outcomes seen{}\n", run.CoveragePercent(),
                     minimum >= 0 ? fmt::format(" (minimum {:.1f}%)", minimum) : "");
}

}  // namespace imgvisa

#include "imgvisa/cli/cmd_rule_cases.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "cli/load_rules.h"
#include "imgvisa/base/suggest.h"
#include "imgvisa/checks/rule_case_run.h"
#include "imgvisa/checks/rule_cases.h"
#include "imgvisa/cli/exit_code.h"
#include "imgvisa/output/rule_case_report.h"

namespace imgvisa {
namespace {

namespace fs = std::filesystem;

// A path as compared: absolute and normalized whether or not it exists, without a trailing
// separator.
fs::path Normalized(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  if (ec) p = fs::absolute(path, ec);
  p = p.lexically_normal();
  if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
  return p;
}

// Whether `inner` is `outer` or lies below it.
bool Within(const fs::path& inner, const fs::path& outer) {
  const auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end();
}

// The cases a run is narrowed to: the test files under the selecting paths (none: every file),
// and the names containing one of the --case texts (none: every name).
struct CaseFilter {
  std::vector<std::string> paths;  ///< as given
  std::vector<fs::path> places;    ///< the same, normalized
  std::vector<std::string> names;

  bool empty() const { return paths.empty() && names.empty(); }

  bool SelectsFile(const std::string& file, std::size_t path) const {
    return Within(Normalized(file), places[path]);
  }
  bool SelectsName(const std::string& name, std::size_t text) const {
    return !name.empty() && name.find(names[text]) != std::string::npos;
  }
  bool Selects(const RuleTestCase& t) const {
    bool file = paths.empty(), name = names.empty();
    for (std::size_t i = 0; i < paths.size() && !file; ++i) file = SelectsFile(t.file, i);
    for (std::size_t i = 0; i < names.size() && !name; ++i) name = SelectsName(t.name, i);
    return file && name;
  }
};

// A path inside another of the paths selects the test files under it rather than adding to the
// rule set: `imgvisa test rules rules/tests/j1.json` runs the cases of j1.json on all of rules/.
CaseFilter SplitPaths(std::vector<std::string>& paths) {
  std::vector<fs::path> places;
  for (const std::string& p : paths) places.push_back(Normalized(p));
  CaseFilter filter;
  std::vector<std::string> rule_paths;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    bool inside = false;
    for (std::size_t j = 0; j < paths.size() && !inside; ++j) {
      inside = places[i] != places[j] && Within(places[i], places[j]);
    }
    if (inside) {
      filter.paths.push_back(paths[i]);
      filter.places.push_back(places[i]);
    } else {
      rule_paths.push_back(paths[i]);
    }
  }
  paths = std::move(rule_paths);
  return filter;
}

// Every filter must select something: a path without test cases or a --case text that names
// none is a mistake, not an empty run that passes.
bool FilterMatches(const CaseFilter& filter, const std::vector<const RuleTestCase*>& all,
                   std::ostream& err) {
  for (std::size_t i = 0; i < filter.paths.size(); ++i) {
    const bool found = std::any_of(all.begin(), all.end(), [&](const RuleTestCase* t) {
      return filter.SelectsFile(t->file, i);
    });
    if (!found) {
      err << "imgvisa test: no test cases in " << filter.paths[i] << "\n";
      return false;
    }
  }
  std::vector<std::string> names;
  for (const RuleTestCase* t : all) names.push_back(t->name);
  for (std::size_t i = 0; i < filter.names.size(); ++i) {
    const bool found = std::any_of(all.begin(), all.end(), [&](const RuleTestCase* t) {
      return filter.SelectsName(t->name, i);
    });
    if (!found) {
      err << "imgvisa test: no test case name contains \"" << filter.names[i] << "\"";
      if (auto near = Suggest(filter.names[i], names))
        err << " (did you mean \"" << *near << "\"?)";
      err << "\n";
      return false;
    }
  }
  return true;
}

}  // namespace

int RunTest(const TestOptions& options, std::ostream& out, std::ostream& err) {
  if (options.format != "text" && options.format != "junit") {
    err << "imgvisa test: --format must be text or junit\n";
    return kExitUsage;
  }
  std::vector<std::string> paths = options.paths;
  CaseFilter filter = SplitPaths(paths);
  filter.names = options.cases;
  // As for check, a rule set that cannot be read is a rule set that does not load.
  const LoadedRules loaded =
      LoadRules(paths, {"test", "the rule set", options.max_errors}, err, {.files = true});
  if (!loaded) return kExitRules;
  const RuleSet& rules = *loaded;
  RuleTestLoad tests = RuleTestsFromFiles(rules);
  std::vector<const RuleTestCase*> all;
  for (const RuleTestCase& t : tests.cases) all.push_back(&t);
  for (const MalformedRuleTest& m : tests.malformed) all.push_back(&m.test);
  if (!FilterMatches(filter, all, err)) return kExitUsage;

  std::vector<RuleTestCase> cases;
  for (RuleTestCase& t : tests.cases) {
    if (filter.Selects(t)) cases.push_back(std::move(t));
  }
  std::vector<MalformedRuleTest> malformed;
  for (MalformedRuleTest& m : tests.malformed) {
    if (filter.Selects(m.test)) malformed.push_back(std::move(m));
  }
  std::vector<Diagnostic> shown;
  if (filter.empty()) {
    shown = tests.diagnostics;
  } else {
    for (const MalformedRuleTest& m : malformed) {
      shown.insert(shown.end(), m.problems.begin(), m.problems.end());
    }
  }
  const std::vector<OmittedErrors> omitted = LimitErrors(shown, options.max_errors);
  for (const Diagnostic& d : shown) err << FormatDiagnostic(d) << "\n";
  for (const OmittedErrors& o : omitted) err << FormatOmittedErrors(o.file, o.count) << "\n";

  RuleTestRun run = RunRuleTests(rules, cases);
  // A malformed case is a failure like any other: the tally and the reports count it.
  AddMalformedRuleTests(run, malformed);
  const bool junit = options.format == "junit";
  if (junit) {
    WriteRuleCasesJUnit(out, run);
  } else {
    WriteRuleCaseResults(out, run, options.verbose);
  }
  const bool coverage_short = run.CoverageBelow(options.min_coverage);
  if (options.coverage || coverage_short) {
    WriteRuleCaseCoverage(junit ? err : out, run, options.coverage, options.min_coverage);
  }
  if (!junit) WriteRuleCaseTally(out, run);
  if (!malformed.empty() || (filter.empty() && !tests.diagnostics.empty())) return kExitUsage;
  if (run.failed() > 0 || coverage_short) return kExitFindings;
  return kExitOk;
}

}  // namespace imgvisa

#include "imgvisa/checks/rule_case_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "imgvisa/engine/evaluator.h"

namespace imgvisa {
namespace {

std::string Joined(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return fmt::format("[{}]", fmt::join(v, ", "));
}

// Runs the cases one by one against the rule set, keeping the coverage of all of them.
class CaseRunner {
 public:
  CaseRunner(const RuleSet& rules, RuleTestRun& run) : rules_(rules), run_(run) {
    // Coverage is kept per (pathway, item id): versions of one item share their id.
    for (std::size_t p = 0; p < rules.pathways.size(); ++p) {
      for (const Item& item : rules.pathways[p].items) {
        auto key = std::make_pair(p, item.id);
        if (slot_.count(key)) {
          if (item.condition >= 0) run_.coverage[slot_[key]].can_vary = true;
          continue;
        }
        slot_[key] = run_.coverage.size();
        run_.coverage.push_back(ItemCoverage{rules.pathways[p].id, item.id, item.condition >= 0});
      }
    }
  }

  RuleTestResult Run(const RuleTestCase& t) {
    RuleTestResult result{&t, {}};
    const std::vector<Verdict> verdicts = Evaluate(rules_, t.facts, t.as_of);
    std::set<std::size_t> asserted;
    Verdicts(t, verdicts, asserted, result.failures);
    ItemIds(t, t.decisive, &Verdict::decisive, "decisive", verdicts, asserted, result.failures);
    ItemIds(t, t.whichever_way, &Verdict::whichever, "whichever_way", verdicts, asserted,
            result.failures);
    Items(t, verdicts, asserted, result.failures);
    Missing(t, verdicts, asserted, result.failures);
    for (std::size_t p : asserted) Cover(p, verdicts[p]);
    return result;
  }

 private:
  std::size_t PathwayIndex(const std::string& id) const { return *rules_.FindPathway(id); }

  void Verdicts(const RuleTestCase& t, const std::vector<Verdict>& verdicts,
                std::set<std::size_t>& asserted, std::vector<RuleTestFailure>& failures) const {
    for (const auto& [id, want] : t.expect) {
      const std::size_t p = PathwayIndex(id);
      asserted.insert(p);
      const std::string got(VerdictName(verdicts[p].kind));
      if (got != want)
        failures.emplace_back(fmt::format("{}: expected {}, got {}", id, want, got),
                              t.Where("expect", id));
    }
  }

  // The item ids of one of a verdict's item lists (decisive, whichever way) against a case's;
  // `section` is the case's key for them.
  void ItemIds(const RuleTestCase& t,
               const std::map<std::string, std::vector<std::string>>& expected,
               std::vector<std::size_t> Verdict::*list, const char* section,
               const std::vector<Verdict>& verdicts, std::set<std::size_t>& asserted,
               std::vector<RuleTestFailure>& failures) const {
    const std::string what = section == std::string_view("decisive") ? "decisive" : "whichever-way";
    for (const auto& [id, want] : expected) {
      const std::size_t p = PathwayIndex(id);
      asserted.insert(p);
      std::vector<std::string> got;
      for (std::size_t i : verdicts[p].*list)
        got.push_back(rules_.pathways[p].items[verdicts[p].items[i].item].id);
      if (Joined(got) != Joined(want))
        failures.emplace_back(
            fmt::format("{}: {} items expected {}, got {}", id, what, Joined(want), Joined(got)),
            t.Where(section, id));
    }
  }

  void Items(const RuleTestCase& t, const std::vector<Verdict>& verdicts,
             std::set<std::size_t>& asserted, std::vector<RuleTestFailure>& failures) const {
    for (const auto& [key, want] : t.expect_items) {
      const std::size_t slash = key.find('/');
      const std::size_t p = PathwayIndex(key.substr(0, slash));
      asserted.insert(p);
      const std::string item = key.substr(slash + 1);
      std::string got = "inactive";
      for (const ItemResult& r : verdicts[p].items) {
        if (rules_.pathways[p].items[r.item].id == item) got = std::string(OutcomeName(r.status));
      }
      if (got != want)
        failures.emplace_back(fmt::format("{}: expected {}, got {}", key, want, got),
                              t.Where("expect_items", key));
    }
  }

  void Missing(const RuleTestCase& t, const std::vector<Verdict>& verdicts,
               std::set<std::size_t>& asserted, std::vector<RuleTestFailure>& failures) const {
    for (const auto& [id, want] : t.expect_missing) {
      const std::size_t p = PathwayIndex(id);
      asserted.insert(p);
      std::vector<std::string> got;
      for (std::uint16_t f : verdicts[p].missing.facts) got.push_back(rules_.dictionary.at(f).path);
      if (Joined(got) != Joined(want))
        failures.emplace_back(
            fmt::format("{}: missing facts expected {}, got {}", id, Joined(want), Joined(got)),
            t.Where("expect_missing", id));
    }
  }

  void Cover(std::size_t p, const Verdict& verdict) {
    for (const ItemResult& r : verdict.items) {
      ItemCoverage& c = run_.coverage[slot_[{p, rules_.pathways[p].items[r.item].id}]];
      (r.status == Outcome::kMet     ? c.met
       : r.status == Outcome::kUnmet ? c.unmet
                                     : c.unknown) = true;
    }
  }

  const RuleSet& rules_;
  RuleTestRun& run_;
  std::map<std::pair<std::size_t, std::string>, std::size_t> slot_;
};

}  // namespace

std::size_t RuleTestRun::passed() const {
  return static_cast<std::size_t>(std::count_if(
      results.begin(), results.end(), [](const RuleTestResult& r) { return r.failures.empty(); }));
}
std::size_t RuleTestRun::failed() const { return results.size() - passed(); }

double RuleTestRun::CoveragePercent() const {
  std::size_t possible = 0, seen = 0;
  for (const ItemCoverage& c : coverage) {
    possible += c.can_vary ? 3 : 1;
    seen += static_cast<std::size_t>(c.met) + static_cast<std::size_t>(c.unmet) +
            static_cast<std::size_t>(c.unknown);
  }
  return possible == 0 ? 100.0 : 100.0 * static_cast<double>(seen) / static_cast<double>(possible);
}

bool RuleTestRun::CoverageBelow(double minimum) const {
  return minimum >= 0 && CoveragePercent() + 1e-9 < minimum;
}

RuleTestRun RunRuleTests(const RuleSet& rules, const std::vector<RuleTestCase>& cases) {
  RuleTestRun run;
  CaseRunner runner(rules, run);
  for (const RuleTestCase& t : cases) run.results.push_back(runner.Run(t));
  return run;
}

void AddMalformedRuleTests(RuleTestRun& run, const std::vector<MalformedRuleTest>& malformed) {
  for (const MalformedRuleTest& m : malformed) {
    RuleTestResult result{&m.test, {}};
    for (const Diagnostic& d : m.problems) {
      result.failures.emplace_back(
          fmt::format("{}[{}]: {}", SeverityName(d.severity), d.code, d.message), d.position,
          d.file);
    }
    // A case is malformed only through a diagnostic; this is for a caller's hand-made list.
    if (result.failures.empty()) result.failures.emplace_back("malformed test case");
    run.results.push_back(std::move(result));
  }
  // Each among the cases of its file, in the order they are written.
  std::vector<std::string> files;
  for (const RuleTestResult& r : run.results) {
    if (std::find(files.begin(), files.end(), r.test->file) == files.end())
      files.push_back(r.test->file);
  }
  auto key = [&](const RuleTestResult& r) {
    return std::make_pair(std::find(files.begin(), files.end(), r.test->file) - files.begin(),
                          r.test->offset);
  };
  std::stable_sort(
      run.results.begin(), run.results.end(),
      [&](const RuleTestResult& a, const RuleTestResult& b) { return key(a) < key(b); });
}

}  // namespace imgvisa

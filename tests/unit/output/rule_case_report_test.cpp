#include "imgvisa/output/rule_case_report.h"

#include <catch2/catch.hpp>
#include <sstream>

using imgvisa::ItemCoverage;
using imgvisa::LineCol;
using imgvisa::RuleTestCase;
using imgvisa::RuleTestFailure;
using imgvisa::RuleTestRun;

namespace {

RuleTestCase Case(const std::string& file, const std::string& name, std::size_t line) {
  RuleTestCase t;
  t.file = file;
  t.name = name;
  t.position.line = line;
  t.position.column = 3;
  return t;
}

// Two files: a.json with a case that passes and one that fails twice, b.json with one that passes.
struct Fixture {
  std::vector<RuleTestCase> cases = {Case("a.json", "passes", 4),
                                     Case("a.json", "fails <\"&\">", 9),
                                     Case("b.json", "also passes", 2)};
  RuleTestRun run;
  Fixture() {
    run.results = {{&cases[0], {}},
                   {&cases[1],
                    {RuleTestFailure("p: expected eligible, got ineligible", LineCol{11, 17}),
                     RuleTestFailure("p/x: expected met, got unmet", LineCol{14, 21})}},
                   {&cases[2], {}}};
    run.coverage = {ItemCoverage{"p", "x", true, true, false, true},
                    ItemCoverage{"p", "always", false, true, false, false},
                    ItemCoverage{"q", "y", true, false, false, false}};
  }
};

template <typename Write>
std::string Written(Write write) {
  std::ostringstream out;
  write(out);
  return out.str();
}

}  // namespace

TEST_CASE("the text report of rule cases: failures, passes when verbose, the tally") {
  Fixture f;
  // Each failure at its expectation, and the case at its first failure, not at its start.
  const std::string failures =
      "FAIL a.json:11:17: fails <\"&\">\n"
      "  a.json:11:17: p: expected eligible, got ineligible\n"
      "  a.json:14:21: p/x: expected met, got unmet\n";
  CHECK(Written([&](std::ostream& o) { imgvisa::WriteRuleCaseResults(o, f.run, false); }) ==
        failures);
  CHECK(Written([&](std::ostream& o) { imgvisa::WriteRuleCaseResults(o, f.run, true); }) ==
        "PASS a.json:4: passes\n" + failures + "PASS b.json:2: also passes\n");
  CHECK(Written([&](std::ostream& o) { imgvisa::WriteRuleCaseTally(o, f.run); }) ==
        "2 passed, 1 failed\n");
}

TEST_CASE("the JUnit report of rule cases: a suite per file, failures escaped") {
  Fixture f;
  CHECK(Written([&](std::ostream& o) { imgvisa::WriteRuleCasesJUnit(o, f.run); }) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"imgvisa\" tests=\"3\" failures=\"1\">\n"
        "  <testsuite name=\"a.json\" tests=\"2\" failures=\"1\">\n"
        "    <testcase classname=\"a.json\" name=\"passes\" file=\"a.json\" line=\"4\"/>\n"
        "    <testcase classname=\"a.json\" name=\"fails &lt;&quot;&amp;&quot;&gt;\" "
        "file=\"a.json\" line=\"9\">\n"
        "      <failure message=\"p: expected eligible, got ineligible\">a.json:11:17: p: expected "
        "eligible, got ineligible\na.json:14:21: p/x: expected met, got unmet</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "  <testsuite name=\"b.json\" tests=\"1\" failures=\"0\">\n"
        "    <testcase classname=\"b.json\" name=\"also passes\" file=\"b.json\" line=\"2\"/>\n"
        "  </testsuite>\n"
        "</testsuites>\n");
}

TEST_CASE("the coverage report of rule cases: marks per item, then the share seen") {
  Fixture f;
  CHECK(Written([&](std::ostream& o) { imgvisa::WriteRuleCaseCoverage(o, f.run, false, -1); }) ==
        "coverage: 42.9% of item outcomes seen\n");
  CHECK(Written([&](std::ostream& o) { imgvisa::WriteRuleCaseCoverage(o, f.run, true, 90); }) ==
        "coverage (M met, U unmet, ? unknown; - not seen):\n"
        "  M-?  p/x\n"
        "  M    p/always\n"
        "  ---  q/y\n"
        "coverage: 42.9% of item outcomes seen (minimum 90.0%)\n");
}

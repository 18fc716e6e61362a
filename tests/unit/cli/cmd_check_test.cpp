#include "imgvisa/cli/cmd_check.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "imgvisa/cli/exit_code.h"
#include "test_support.h"

using imgvisa::CheckOptions;
using imgvisa::RunCheck;
using nlohmann::json;

namespace {

using Result = imgvisa::testing::CommandResult;

Result Check(CheckOptions options, const std::string& input = "") {
  if (options.as_of.empty()) options.as_of = "2026-11-21";
  return imgvisa::testing::RunCommand(imgvisa::RunCheck, options, input);
}

std::vector<json> Lines(const std::string& text) { return imgvisa::testing::JsonLines(text); }

const char* kGood1 = R"({"$id": "one", "us_status": "none", "school": {"country": "IN"}})";
const char* kGood2 = R"({"$id": "two", "us_status": "citizen", "school": {"country": "US"}})";

}  // namespace

TEST_CASE("an NDJSON stream with a bad line in the middle: N lines in, N records out, in order") {
  CheckOptions options;
  options.inputs = {"-"};
  options.format = "ndjson";
  const std::string stream =
      std::string(kGood1) + "\n{\"school\": \n\n" + kGood2 + "\r\n{\"schol\": {}}\n" + kGood1;
  Result r = Check(options, stream);
  auto records = Lines(r.out);
  REQUIRE(records.size() == 5);  // five non-blank lines
  CHECK(records[0]["type"] == "result");
  CHECK(records[0]["line"] == 1);
  CHECK(records[1]["type"] == "error");
  CHECK(records[1]["line"] == 2);
  CHECK(records[2]["type"] == "result");
  CHECK(records[2]["line"] == 4);
  CHECK(records[3]["type"] == "error");
  CHECK(records[3]["errors"][0]["code"] == "E040");
  CHECK(records[3]["errors"][0]["line"] == 5);
  CHECK(records[4]["id"] == "one");
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.err.find("-:5:2: error[E040]: unknown fact \"schol\"; did you mean \"school\"?") !=
        std::string::npos);

  // Each good line's record is what checking that profile alone gives.
  for (auto [index, profile] : {std::pair{0, kGood1}, std::pair{2, kGood2}, std::pair{4, kGood1}}) {
    Result alone = Check(options, profile);
    json expected = Lines(alone.out).at(0);
    json actual = records[static_cast<std::size_t>(index)];
    actual.erase("line");
    expected.erase("line");
    CHECK(actual == expected);
  }
}

TEST_CASE("json output is one document with the rule set's identity") {
  CheckOptions options;
  options.inputs = {"-"};
  options.format = "json";
  Result r = Check(options, kGood2);
  json doc = json::parse(r.out);
  CHECK(doc["rules"]["name"] == "imgvisa-us");
  CHECK(doc["rules"]["sha256"].get<std::string>().size() == 64);
  CHECK(doc["as_of"] == "2026-11-21");
  REQUIRE(doc["results"].size() == 1);
  const json& verdicts = doc["results"][0]["verdicts"];
  CHECK(verdicts[0]["pathway"] == "ecfmg-certification");
  CHECK(verdicts[0]["verdict"] == "not-applicable");
  CHECK(verdicts[0]["decisive"] == json::array({"img-school"}));
}

TEST_CASE("pathway option selects, and an unknown id is a usage error with a suggestion") {
  CheckOptions options;
  options.inputs = {"-"};
  options.format = "ndjson";
  options.pathways = {"ecfmg-certification"};
  Result r = Check(options, kGood1);
  CHECK(Lines(r.out).at(0)["verdicts"].size() == 1);
  options.pathways = {"ecfmg-certificaton"};
  r = Check(options, kGood1);
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.out.empty());
  CHECK(
      r.err ==
      "imgvisa check: no pathway \"ecfmg-certificaton\"; did you mean \"ecfmg-certification\"?\n");
}

TEST_CASE("text output names the verdict, the reasons and their sources") {
  CheckOptions options;
  options.inputs = {"-"};
  options.detail = "full";
  options.pathways = {"ecfmg-certification"};
  Result r = Check(
      options,
      R"({"school": {"country": "IN"}, "usmle": {"step1": {"status": "failed", "attempts": 1}}, "ecfmg": {"certificate": {"status": "not_issued"}}})");
  CHECK(r.status == imgvisa::kExitNoneOpen);
  CHECK(r.out.find("ecfmg-certification: INELIGIBLE") != std::string::npos);
  CHECK(r.out.find("unmet       step1-passed: Pass USMLE Step 1") != std::string::npos);
  CHECK(r.out.find("source: ECFMG, Requirements for ECFMG Certification") != std::string::npos);
  CHECK(r.out.find("\x1b[") == std::string::npos);
  options.color = true;
  CHECK(Check(options, R"({"school": {"country": "IN"}})").out.find("\x1b[") != std::string::npos);
}

TEST_CASE("a bad --as-of or --format is a usage error before anything is read") {
  CheckOptions options;
  options.inputs = {"-"};
  options.as_of = "2026-02-30";
  CHECK(Check(options, kGood1).status == imgvisa::kExitUsage);
  options.as_of = "2026-11-21";
  options.format = "yaml";
  CHECK(Check(options, kGood1).status == imgvisa::kExitUsage);
}

TEST_CASE("a rule set that does not load exits 3") {
  CheckOptions options;
  options.inputs = {"-"};
  options.rules_path = imgvisa::testing::SourcePath("tests/golden/load/types");
  Result r = Check(options, kGood1);
  CHECK(r.status == imgvisa::kExitRules);
  CHECK(r.out.empty());
  CHECK(r.err.find("error[E024]") != std::string::npos);
}

TEST_CASE("what-if re-evaluates with changed facts and reports both") {
  CheckOptions options;
  options.inputs = {"-"};
  options.format = "ndjson";
  options.pathways = {"ecfmg-certification"};
  options.what_if = {"school.country=US"};
  Result r = Check(options, kGood1);
  json record = Lines(r.out).at(0);
  CHECK(record["verdicts"][0]["verdict"] != "not-applicable");
  CHECK(record["what_if"]["changes"] == json::array({"school.country=US"}));
  CHECK(record["what_if"]["verdicts"][0]["verdict"] == "not-applicable");
  options.format = "text";
  r = Check(options, kGood1);
  CHECK(r.out.find("what if school.country=US:") != std::string::npos);
  CHECK(r.out.find("->  not-applicable") != std::string::npos);
}

TEST_CASE("what-if rejects unknown facts and values that do not fit") {
  CheckOptions options;
  options.inputs = {"-"};
  options.what_if = {"school.contry=US"};
  Result r = Check(options, kGood1);
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.err ==
        "imgvisa check: --what-if: no fact \"school.contry\"; did you mean \"school.country\"?\n");
  options.what_if = {"usmle.step1.status=pass"};
  r = Check(options, kGood1);
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.err.find(
            "must be one of passed, failed, not_taken; got \"pass\"; did you mean \"passed\"?") !=
        std::string::npos);
  options.what_if = {"oet.writing=null"};
  CHECK(Check(options, kGood1).status != imgvisa::kExitUsage);
}

TEST_CASE("what-if validates a country as a profile does") {
  CheckOptions options;
  options.inputs = {"-"};
  options.pathways = {"ecfmg-certification"};
  options.what_if = {"school.country=us"};
  Result r = Check(options, kGood1);
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.err ==
        "imgvisa check: --what-if: school.country: \"us\": country codes are upper case; did you "
        "mean \"US\"?\n");
  options.what_if = {"school.country=Canada"};
  r = Check(options, kGood1);
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.err.find("\"Canada\" is not an ISO 3166-1 alpha-2 country code; did you mean \"CA\"?") !=
        std::string::npos);
  options.what_if = {"citizenship=[\"CA\", \"mex\"]"};
  r = Check(options, kGood1);
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.err.find("citizenship: \"mex\" is not an ISO 3166-1 alpha-2 country code; did you "
                   "mean \"MX\"?") != std::string::npos);
  options.what_if = {"school.country=CA"};
  CHECK(Check(options, kGood1).status != imgvisa::kExitUsage);
}

TEST_CASE("next steps: the smallest set of changes a person can make, longest lead first") {
  CheckOptions options;
  options.inputs = {"-"};
  options.format = "ndjson";
  options.pathways = {"ecfmg-certification"};
  // Everything is in place but Step 2 CK and the Pathway.
  // One line: NDJSON reads a profile per line.
  const std::string profile =
      json::parse(
          R"({"school": {"country": "IN", "ecfmg_note_covers_graduation": true}, "graduation": {"date": "2024-06-30"},
    "education": {"credit_years": 5}, "documents": {"credentials_verified": true},
    "ecfmg": {"application_submitted": true, "pathway": {"status": "not_applied"}, "certificate": {"status": "not_issued"}},
    "usmle": {"step1": {"status": "passed", "date": "2023-05-01", "attempts": 1}, "step2ck": {"status": "not_taken", "attempts": 0, "date": "2025-05-01"},
              "step2cs": {"status": "not_taken"}, "step3": {"status": "not_taken"}},
    "oet": {"date": "2025-01-10", "listening": 400, "reading": 400, "writing": 400, "speaking": 400}})")
          .dump();
  json v = Lines(Check(options, profile).out).at(0)["verdicts"][0];
  CHECK(v["verdict"] == "ineligible");
  REQUIRE(v["next_steps"].size() == 1);
  const json& plan = v["next_steps"][0];
  CHECK(plan["result"] == "eligible");
  REQUIRE(plan["changes"].size() == 2);
  CHECK(plan["changes"][0]["fact"] == "usmle.step2ck.status");  // 180 days before the Pathway's 90
  CHECK(plan["changes"][1]["fact"] == "ecfmg.pathway.status");
  CHECK(plan["lead_time_days"] == 180);
  options.next_steps = false;
  CHECK_FALSE(Lines(Check(options, profile).out).at(0)["verdicts"][0].contains("next_steps"));
}

namespace {

// An IMG whose profile says Step 3 is passed and no certificate is issued (W007), with the
// certificate issued before Step 1 once --what-if makes it issued.
const std::string kContradictory =
    R"({"$id": "c", "us_status": "none", "school": {"country": "EG", "accreditor": "other"}, )"
    R"("usmle": {"step1": {"status": "passed", "date": "2023-03-01"}, )"
    R"("step3": {"status": "passed", "date": "2025-06-01"}}, )"
    R"("ecfmg": {"certificate": {"status": "not_issued"}}})";
// Where its warning points: Step 3's status.
const std::size_t kWarningColumn =
    kContradictory.find("\"passed\"", kContradictory.find("step3")) + 1;

// Every fact a verdict of `record` names as missing.
std::vector<std::string> MissingFacts(const json& record, const std::string& pathway) {
  std::vector<std::string> facts;
  for (const json& v : record["verdicts"]) {
    if (v["pathway"] != pathway) continue;
    for (const json& m : v["missing"]) facts.push_back(m["fact"]);
  }
  return facts;
}

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

TEST_CASE("contradictory facts: a warning in every format, and the items reading them open") {
  const std::string warning = "-:1:" + std::to_string(kWarningColumn) +
                              ": warning[W007]: usmle.step3.status is passed while "
                              "ecfmg.certificate.status is not_issued";
  for (const char* format : {"json", "ndjson"}) {
    INFO(format);
    CheckOptions options;
    options.inputs = {"-"};
    options.format = format;
    options.detail = "summary";
    const Result r = Check(options, kContradictory + "\n");
    // A warning never changes the exit status: 0 or 1 by the verdicts.
    CHECK((r.status == imgvisa::kExitOk || r.status == imgvisa::kExitNoneOpen));
    CHECK(r.err.find(warning) == 0);
    const json record =
        std::string(format) == "json" ? json::parse(r.out)["results"][0] : Lines(r.out).at(0);
    REQUIRE(record["warnings"].size() == 1);
    const json& w = record["warnings"][0];
    CHECK(w["code"] == "W007");
    CHECK(w["line"] == 1);
    CHECK(w["column"] == kWarningColumn);
    CHECK(w["facts"] ==
          json::array({"usmle.step3.status", "ecfmg.certificate.status", "usmle.step3.date"}));
    // The verdicts that read them name them as missing: they were evaluated as unknown.
    CHECK(Has(MissingFacts(record, "ecfmg-certification"), "ecfmg.certificate.status"));
    CHECK(Has(MissingFacts(record, "h1b"), "usmle.step3.status"));
  }

  CheckOptions text;
  text.inputs = {"-"};
  text.detail = "full";
  const Result r = Check(text, kContradictory);
  CHECK(r.err.find(warning) == 0);
  // The text report says it under its header, before the verdicts.
  const std::size_t header = r.out.find(warning);
  CHECK(header != std::string::npos);
  CHECK(header < r.out.find("ecfmg-certification "));
  CHECK(r.out.find("missing: ecfmg.certificate.status") != std::string::npos);
}

TEST_CASE("contradictory facts: a consistent profile's output has no warnings member") {
  CheckOptions options;
  options.inputs = {"-"};
  options.format = "ndjson";
  const Result r = Check(options, std::string(kGood1) + "\n");
  CHECK(r.err.empty());
  CHECK_FALSE(Lines(r.out).at(0).contains("warnings"));
}

TEST_CASE("contradictory facts brought about by --what-if are cleared in the what-if, and said") {
  CheckOptions options;
  options.inputs = {"-"};
  options.format = "json";
  options.detail = "summary";
  // Consistent as it is; a certificate issued before the Step 1 pass is not.
  std::string profile = kContradictory;
  profile.replace(profile.find("\"step3\""), std::string("\"step3\"").size(), "\"step2ck\"");
  options.what_if = {"ecfmg.certificate.status=issued", "ecfmg.certificate.issued_on=2022-01-01"};
  const Result r = Check(options, profile);
  const json record = json::parse(r.out)["results"][0];
  CHECK_FALSE(record.contains("warnings"));
  const json& what_if = record["what_if"];
  // Before Step 1 and before Step 2 CK.
  REQUIRE(what_if["warnings"].size() == 2);
  CHECK(what_if["warnings"][0]["code"] == "W004");
  CHECK(what_if["warnings"][1]["code"] == "W005");
  CHECK(what_if["warnings"][0]["message"].get<std::string>().rfind("with the --what-if changes, ",
                                                                   0) == 0);
  CHECK_FALSE(what_if["warnings"][0].contains("line"));
  CHECK(r.err.find("warning[W004]: with the --what-if changes, ecfmg.certificate.issued_on") !=
        std::string::npos);
}

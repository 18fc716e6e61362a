// The NDJSON stream of `imgvisa diff -`: RunDiff on an istringstream, in both formats, between a
// slice of the embedded rule set and the same slice with two thresholds moved, so that verdicts
// and decisive items change for some profiles. Besides the sanitizers, it checks what diff
// promises: change records are JSON objects of a known kind, in input order, only for lines
// that load; the text summary counts every non-blank line, the changed ones and the failed ones
// as the records and the loader say; exit 2 exactly when a line failed; every line of standard
// error is one line of text. Seeds: examples/profiles joined into streams (fuzz/make_seeds.py).

#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "fuzz_support.h"
#include "imgvisa/cli/cmd_check.h"
#include "imgvisa/cli/cmd_diff.h"
#include "imgvisa/cli/exit_code.h"
#include "imgvisa/profile/facts_from_json.h"

using namespace imgvisa;

namespace {

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_diff: %s: %s\n", what, detail.substr(0, 300).c_str());
  std::abort();
}

const std::vector<std::string> kSlice = {"rules/ruleset.json", "rules/facts/", "rules/definitions/",
                                         "rules/pathways/ecfmg-certification.json"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string old_rules = fuzz::WriteRuleSubset(kSlice);
  static const std::string new_rules = fuzz::WriteRuleSubset(
      kSlice,
      {{"rules/pathways/ecfmg-certification.json",
        R"({"ge": [{"fact": "education.credit_years"}, 4]})",
        R"({"ge": [{"fact": "education.credit_years"}, 5]})"},
       {"rules/pathways/ecfmg-certification.json", R"({"ge": [{"fact": "oet.listening"}, 350]})",
        R"({"ge": [{"fact": "oet.listening"}, 360]})"}});
  const std::string input = fuzz::Bytes(data, size);
  DiffOptions options;
  options.old_rules = old_rules;
  options.new_rules = new_rules;
  options.inputs = {"-"};
  options.as_of = "2026-11-21";

  options.format = "ndjson";
  std::istringstream in(input);
  std::ostringstream out, err;
  const int status = RunDiff(options, in, out, err);
  if (status != kExitOk && status != kExitFindings && status != kExitUsage) {
    Fail("unexpected exit status", err.str());
  }

  // Which lines load: both slices share the embedded set's facts, so a line loads under both
  // or under neither.
  std::set<std::size_t> loading;
  std::size_t failed = 0;
  const auto lines = fuzz::NonBlankLines(input);
  for (const auto& [number, text] : lines) {
    const bool loads = text.size() <= kMaxProfileBytes &&
                       FactsFromJson(fuzz::EmbeddedRules().dictionary, SourceFile("-", text)).ok;
    if (loads) {
      loading.insert(number);
    } else {
      ++failed;
    }
  }
  if ((status == kExitUsage) != (failed > 0)) Fail("exit status does not match the lines", "");

  std::istringstream records(out.str());
  std::string record;
  std::set<std::size_t> changed;
  std::size_t last = 0;
  while (std::getline(records, record)) {
    nlohmann::json j = nlohmann::json::parse(record, nullptr, false);
    if (j.is_discarded() || !j.is_object()) Fail("a record is not a JSON object", record);
    if (j.value("type", "") != "change") Fail("record of unknown type", record);
    const std::string kind = j.value("change", "");
    if (kind != "verdict" && kind != "decisive" && kind != "added" && kind != "removed") {
      Fail("change of unknown kind", record);
    }
    const std::size_t line = j.value("line", std::size_t{0});
    if (line < last) Fail("record out of order", record);
    if (loading.count(line) == 0) Fail("a change for a line that does not load", record);
    last = line;
    changed.insert(line);
  }
  if (!out.str().empty() && out.str().back() != '\n') Fail("last record incomplete", out.str());
  if ((status == kExitFindings) != (failed == 0 && !changed.empty())) {
    Fail("exit status does not match the changes", std::to_string(changed.size()));
  }
  for (char c : err.str()) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n') || u == 0x7f) Fail("raw control byte on standard error", err.str());
  }

  // The text format's summary counts the same lines.
  options.format = "text";
  std::istringstream text_in(input);
  std::ostringstream text_out, text_err;
  if (RunDiff(options, text_in, text_out, text_err) != status) Fail("formats disagree", "");
  std::string summary = fmt::format("\n{} profiles, {} changed", lines.size(), changed.size());
  if (failed > 0) summary += fmt::format(", {} failed", failed);
  summary += "\n";
  const std::string& text = text_out.str();
  if (text.size() < summary.size() ||
      text.compare(text.size() - summary.size(), summary.size(), summary) != 0) {
    Fail("text summary", text.substr(text.size() > 200 ? text.size() - 200 : 0));
  }
  if (text_err.str() != err.str()) Fail("standard error differs between formats", "");
  return 0;
}

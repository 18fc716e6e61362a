// The NDJSON stream of `imgvisa check --format ndjson -`: RunCheck on an istringstream. Besides
// the sanitizers, it checks the stream's promise: one complete JSON record per non-blank input
// line, in input order. Seeds: examples/profiles joined into streams (scripts/fuzz).
//
// RunCheck loads its rules on every call, so the target uses a slice of the embedded set (the
// manifest, the facts and one pathway) written to a temporary directory, not all of it.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fuzz_support.h"
#include "imgvisa/cli/cmd_check.h"
#include "imgvisa/cli/exit_code.h"

using namespace imgvisa;

namespace {

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_ndjson: %s: %s\n", what, detail.substr(0, 300).c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string rules_dir =
      fuzz::WriteRuleSubset({"rules/ruleset.json", "rules/facts/", "rules/definitions/",
                             "rules/pathways/ecfmg-certification.json"});
  CheckOptions options;
  options.inputs = {"-"};
  options.format = "ndjson";
  options.as_of = "2026-11-21";
  options.rules_path = rules_dir;
  const std::string input = fuzz::Bytes(data, size);
  std::istringstream in(input);
  std::ostringstream out, err;
  const int status = RunCheck(options, in, out, err);
  if (status != kExitOk && status != kExitNoneOpen && status != kExitUsage) {
    Fail("unexpected exit status", err.str());
  }
  // The input lines RunCheck must answer.
  std::vector<std::size_t> expected;
  for (const auto& line : fuzz::NonBlankLines(input)) expected.push_back(line.first);
  std::istringstream records(out.str());
  std::string record;
  std::size_t count = 0;
  bool any_error = false;
  while (std::getline(records, record)) {
    if (count >= expected.size()) Fail("more records than non-blank lines", record);
    nlohmann::json j = nlohmann::json::parse(record, nullptr, false);
    if (j.is_discarded() || !j.is_object()) Fail("a record is not a JSON object", record);
    if (j.value("line", std::size_t{0}) != expected[count]) Fail("record out of order", record);
    const std::string type = j.value("type", "");
    if (type != "result" && type != "error") Fail("record of unknown type", record);
    any_error = any_error || type == "error";
    ++count;
  }
  if (!out.str().empty() && out.str().back() != '\n') Fail("last record incomplete", out.str());
  if (count != expected.size()) Fail("a line got no record", std::to_string(count));
  if (any_error != (status == kExitUsage)) Fail("exit status does not match the records", "");
  return 0;
}

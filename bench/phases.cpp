// Where the time of `imgvisa check` goes, phase by phase, inside one process: making the rule
// set ready (restored from the build-time image, as check does, beside compiling the embedded
// JSON, as it did before), then for each NDJSON profile of standard input reading its facts
// (with FactsFromJson and with FactsReader, which check uses), evaluating with and without texts,
// writing the full record with ResultWriter (the path `check --format ndjson` takes) and the
// summary record, and building and serialising the full record as a DOM (exits 4 if that differs
// from ResultWriter's). The same library calls as src/cli/cmd_check.cpp, timed with a steady clock;
// prints one line per phase.
//
//   phases [--as-of DATE] < profiles.ndjson

#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "imgvisa/cli/selection.h"
#include "imgvisa/engine/evaluator.h"
#include "imgvisa/output/render.h"
#include "imgvisa/output/result_writer.h"
#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/profile/facts_reader.h"
#include "imgvisa/rules/rule_set_image.h"
#include "imgvisa/rules/rule_source.h"

namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::ordered_json;

double Micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

}  // namespace

int main(int argc, char** argv) {
  std::string as_of_text = "2026-01-15";
  if (argc == 3 && std::string(argv[1]) == "--as-of") as_of_text = argv[2];
  const imgvisa::Date as_of = *imgvisa::ParseIsoDate(as_of_text);

  const auto t0 = Clock::now();
  std::optional<imgvisa::RuleSet> restored =
      imgvisa::RuleSetFromImage(imgvisa::EmbeddedRuleSetImage());
  const auto t1 = Clock::now();
  imgvisa::RuleSetLoad load =
      imgvisa::RuleSetFromFiles(imgvisa::EmbeddedRuleFiles(), "rules/", /*positions=*/false);
  const auto t2 = Clock::now();
  if (!load.ok() || !restored) return 3;
  const imgvisa::RuleSet& rules = *restored;
  std::string problem;
  std::vector<std::size_t> selection = *imgvisa::SelectPathways(rules, {}, &problem);

  const auto t3 = Clock::now();
  const imgvisa::ResultWriter writer(rules);
  const auto t4 = Clock::now();
  imgvisa::Evaluator evaluator(rules);
  std::vector<imgvisa::Verdict> verdicts, bare;
  Clock::duration parse{}, fast_read{}, evaluate{}, evaluate_bare{}, summary{}, build{}, dump{},
      write{};
  imgvisa::FactsReader reader(rules.dictionary);
  imgvisa::FactsLoad fast;
  std::size_t n = 0, bytes_in = 0, bytes_out = 0;
  std::string line;
  while (std::getline(std::cin, line)) {
    bytes_in += line.size() + 1;
    const auto a = Clock::now();
    imgvisa::SourceFile source("-", line, n + 1);
    imgvisa::FactsLoad facts = imgvisa::FactsFromJson(rules.dictionary, source);
    const auto b = Clock::now();
    if (!facts.ok) return 2;
    reader.Read(source, fast);
    fast_read += Clock::now() - b;
    evaluator.Evaluate(facts.facts, as_of, {}, verdicts);
    const auto c = Clock::now();
    evaluator.Evaluate(facts.facts, as_of, {.texts = false, .deciding_only = true}, bare);
    const auto c1 = Clock::now();
    std::string brief;
    writer.AppendRecordHead(brief, "-", n + 1, facts.facts.id, as_of);
    for (std::size_t k = 0; k < selection.size(); ++k) {
      if (k > 0) brief += ',';
      writer.AppendVerdictSummary(brief, bare[selection[k]]);
    }
    brief += "]}\n";
    const auto c2 = Clock::now();
    evaluate_bare += c1 - c;
    summary += c2 - c1;
    const auto c3 = Clock::now();
    json record = json::object();
    record["type"] = "result";
    record["input"] = "-";
    record["line"] = n + 1;
    if (!facts.facts.id.empty()) record["id"] = facts.facts.id;
    record["as_of"] = as_of.ToString();
    json list = json::array();
    for (std::size_t p : selection) list.push_back(imgvisa::VerdictToJson(rules, verdicts[p]));
    record["verdicts"] = std::move(list);
    const auto d = Clock::now();
    std::string out = record.dump(-1, ' ', false, json::error_handler_t::replace);
    const auto e = Clock::now();
    std::string fast;
    writer.AppendResult(fast, "-", n + 1, facts.facts.id, as_of, verdicts, selection);
    const auto f = Clock::now();
    if (fast != out + "\n") return 4;
    write += f - e;
    bytes_out += out.size() + 1;
    parse += b - a;
    evaluate += c - b;
    build += d - c3;
    dump += e - d;
    ++n;
  }
  const double k = n == 0 ? 1 : static_cast<double>(n);
  std::printf("phase\tmicroseconds\n");
  std::printf("rule set restored from the build-time image (what check does)\t%.0f\n",
              Micros(t1 - t0));
  std::printf("rule set compiled from the embedded JSON (before the image)\t%.0f\n",
              Micros(t2 - t1));
  std::printf("ResultWriter made (NDJSON only)\t%.0f\n", Micros(t4 - t3));
  std::printf("profiles\t%zu\n", n);
  std::printf("bytes in per profile\t%.0f\n", bytes_in / k);
  std::printf("bytes out per profile\t%.0f\n", bytes_out / k);
  std::printf("facts read by FactsFromJson per profile\t%.2f\n", Micros(parse) / k);
  std::printf("facts read by FactsReader (what check does) per profile\t%.2f\n",
              Micros(fast_read) / k);
  std::printf("profiles FactsReader handed to FactsFromJson\t%zu\n", reader.fallbacks());
  std::printf("evaluate per profile\t%.2f\n", Micros(evaluate) / k);
  std::printf("evaluate without texts or notes (--detail summary) per profile\t%.2f\n",
              Micros(evaluate_bare) / k);
  std::printf("summary record written per profile\t%.2f\n", Micros(summary) / k);
  std::printf("record built per profile\t%.2f\n", Micros(build) / k);
  std::printf("record serialised per profile\t%.2f\n", Micros(dump) / k);
  std::printf("record written by ResultWriter (what check does) per profile\t%.2f\n",
              Micros(write) / k);
  return 0;
}

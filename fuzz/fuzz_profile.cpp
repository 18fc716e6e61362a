// Profile parsing and evaluation against the embedded rule set: the path every `imgvisa check`
// takes. Also checks that FactsReader (the fast reader check uses) gives exactly what
// FactsFromJson gives, for every input, read fresh and into a reused result; and that the
// conditions compiled to C++ and the evaluator's specialised steps give what its tree walk
// gives; and that the consistency checks of check (W001-W010) locate their warnings on one line
// each and leave no contradiction once their facts are cleared. Seeds: examples/profiles
// (scripts/fuzz).

#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fuzz_support.h"
#include "imgvisa/cli/cmd_check.h"
#include "imgvisa/cli/selection.h"
#include "imgvisa/engine/evaluator.h"
#include "imgvisa/output/render.h"
#include "imgvisa/profile/consistency_checks.h"
#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/profile/facts_reader.h"
#include "imgvisa/rules/rule_source.h"

using namespace imgvisa;

namespace {

// Whether the fact `ref` names is still known in `facts`.
bool Known(const FactDictionary& dictionary, const Facts& facts, const FactRef& ref) {
  const FactDecl& decl = dictionary.at(ref.fact);
  if (!ref.record || !decl.list) return facts.values[ref.fact].known();
  const Value& list = facts.values[*decl.list];
  if (!list.records || *ref.record >= list.records->size()) return false;
  const Value::Record& record = (*list.records)[*ref.record];
  return decl.field_index < record.size() && record[decl.field_index].known();
}

// check's consistency checks on a profile that loaded: each warning names facts and is one line,
// the facts it names are unknown afterwards, no contradiction is left, and the rest evaluates.
void CheckConsistency(const RuleSet& rules, const SourceFile& profile, Facts& facts, Date as_of,
                      Evaluator& evaluator, const std::vector<std::size_t>& selection) {
  static const ConsistencyChecks checks(rules.dictionary);
  std::vector<FactConflict> conflicts;
  checks.Find(facts, conflicts);
  if (conflicts.empty()) return;
  ClearConflictingFacts(conflicts, rules.dictionary, facts);
  LocateFactConflicts(conflicts, rules.dictionary, profile);
  std::vector<Diagnostic> warnings;
  for (const FactConflict& c : conflicts) {
    if (c.facts.empty() || c.facts.size() != c.fact_names.size()) std::abort();
    if (!c.warning.offset || c.warning.position.line == 0) std::abort();  // located
    for (const FactRef& ref : c.facts) {
      if (Known(rules.dictionary, facts, ref)) std::abort();
    }
    warnings.push_back(c.warning);
  }
  fuzz::CheckDiagnostics(warnings);
  std::vector<FactConflict> left;
  checks.Find(facts, left);
  if (!left.empty()) std::abort();
  std::vector<Verdict> verdicts;
  evaluator.Evaluate(facts, as_of, {}, verdicts);
  std::ostringstream text;
  RenderText(text, rules, verdicts, selection, profile.name(), as_of, TextStyle{}, nullptr,
             &conflicts);
  (void)FactConflictsToJson(conflicts).dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // check never hands a larger profile to the parser (kMaxProfileBytes, read_file.h).
  if (size > kMaxProfileBytes) return 0;
  static const RuleSet& rules = fuzz::EmbeddedRules();
  static const std::vector<std::size_t> selection = *SelectPathways(rules, {}, nullptr);
  static const Date kDates[] = {*ParseIsoDate("2026-11-21"), *ParseIsoDate("2019-06-30")};

  const SourceFile profile("fuzz.json", fuzz::Bytes(data, size));
  FactsLoad load = FactsFromJson(rules.dictionary, profile);
  fuzz::CheckDiagnostics(load.diagnostics);
  static FactsReader reader(rules.dictionary);
  const FactsLoad fast = reader.Read(profile);
  if (fast.ok != load.ok || fast.facts.id != load.facts.id ||
      fast.facts.values != load.facts.values ||
      fast.diagnostics.size() != load.diagnostics.size()) {
    std::abort();  // the fast reader must never read a profile differently
  }
  static FactsLoad reused;
  reader.Read(profile, reused);
  if (reused.ok != load.ok || (load.ok && reused.facts.values != load.facts.values)) std::abort();
  for (std::size_t i = 0; i < load.diagnostics.size(); ++i) {
    if (fast.diagnostics[i].message != load.diagnostics[i].message ||
        fast.diagnostics[i].offset != load.diagnostics[i].offset) {
      std::abort();
    }
  }
  if (!load.ok) {
    if (load.diagnostics.empty()) std::abort();  // a rejected profile must say why
    return 0;
  }
  const Date as_of = kDates[size % 2];
  // The set restored from the image, as check runs it: its facts are numbered as those of the
  // set read from JSON, and its specialised steps must decide as the tree walk does.
  static const RuleSet* restored = EmbeddedRuleSet();
  if (restored == nullptr) std::abort();
  static Evaluator steps(*restored);
  static Evaluator tree(rules, Evaluator::Dispatch::kTree);
  std::vector<Verdict> verdicts;
  static std::vector<Verdict> walked;
  steps.Evaluate(load.facts, as_of, {}, verdicts);
  tree.Evaluate(load.facts, as_of, {}, walked);
  for (std::size_t p = 0; p < walked.size(); ++p) {
    const Verdict& a = verdicts[p];
    const Verdict& b = walked[p];
    if (a.kind != b.kind || a.decisive != b.decisive || a.missing.facts != b.missing.facts ||
        a.missing.unsettled != b.missing.unsettled || a.items.size() != b.items.size()) {
      std::abort();  // the steps must decide as the tree walk does
    }
    for (std::size_t i = 0; i < a.items.size(); ++i) {
      if (a.items[i].status != b.items[i].status || a.items[i].text != b.items[i].text ||
          a.items[i].missing.facts != b.items[i].missing.facts) {
        std::abort();
      }
    }
  }
  std::ostringstream text;
  RenderText(text, rules, verdicts, selection, profile.name(), as_of, TextStyle{size % 3 == 0});
  for (std::size_t p : selection) {
    // The strict error handler: invalid UTF-8 must never reach dump() (nlohmann's type_error.316).
    (void)VerdictToJson(rules, verdicts[p]).dump();
  }
  CheckConsistency(rules, profile, load.facts, as_of, tree, selection);
  return 0;
}

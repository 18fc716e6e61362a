#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "imgvisa/base/date.h"
#include "imgvisa/engine/next_steps.h"
#include "imgvisa/engine/verdict.h"
#include "imgvisa/profile/consistency_checks.h"
#include "imgvisa/profile/facts.h"
#include "imgvisa/profile/what_if.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

struct TextStyle {
  bool color = false;
};

/// The escape sequence that colours a verdict word in text output.
const char* VerdictColor(VerdictKind kind);
/// "offer 2 (Riverside)": the alternative a verdict is for (Verdict::alternative ≥ 0), counted
/// from 1, with its name when the profile gives one.
std::string AlternativeName(const RuleSet& rules, const Verdict& v);

/// Plans per pathway index (empty where none was computed or none exists).
using PlansByPathway = std::vector<std::vector<NextStepPlan>>;

/// The verdicts of one profile for people: the contradictions among its facts (`conflicts`, if
/// any), a line per pathway, then for each pathway its reasons (unmet and unknown first), each
/// with its sources, and the questions that would settle what is open.
void RenderText(std::ostream& out, const RuleSet& rules, const std::vector<Verdict>& verdicts,
                const std::vector<std::size_t>& selection, const std::string& input, Date as_of,
                const TextStyle& style, const PlansByPathway* plans = nullptr,
                const std::vector<FactConflict>* conflicts = nullptr);

/// RenderText in parts, so that what comes between them (the --what-if changes) sits near the
/// top: the heading line and the contradictions, then a line per pathway, then each pathway's
/// reasons with their sources and next steps.
void RenderTextHeading(std::ostream& out, const RuleSet& rules, const std::string& input,
                       Date as_of, const std::vector<FactConflict>* conflicts);
void RenderVerdictTable(std::ostream& out, const RuleSet& rules,
                        const std::vector<Verdict>& verdicts,
                        const std::vector<std::size_t>& selection, const TextStyle& style);
void RenderTextReasons(std::ostream& out, const RuleSet& rules,
                       const std::vector<Verdict>& verdicts,
                       const std::vector<std::size_t>& selection, Date as_of,
                       const TextStyle& style, const PlansByPathway* plans);

/// `[{"code", "message", "line", "column", "facts": [...]}]`: contradictions among a profile's
/// facts; "line" and "column" only where the warning has a place.
nlohmann::ordered_json FactConflictsToJson(const std::vector<FactConflict>& conflicts);

/// The pathways whose verdict differs under the what-if changes, side by side.
void RenderWhatIfText(std::ostream& out, const RuleSet& rules, const std::vector<Verdict>& now,
                      const std::vector<Verdict>& then, const std::vector<std::size_t>& selection,
                      const std::vector<FactChange>& changes, const TextStyle& style);

/// `[{"changes": [{"fact", "to", "step", "lead_time_days"}], "result", "lead_time_days"}]`.
nlohmann::ordered_json PlansToJson(const RuleSet& rules, const std::vector<NextStepPlan>& plans);

/// The version of the shape of `check`'s JSON and NDJSON output (docs/cli.md, "Format
/// versions"): "format" at the head of the document and of every record.
inline constexpr int kCheckFormat = 2;

/// Calls `f` with each ItemResult the JSON output lists for `verdict`: of a `not-applicable`
/// verdict only its decisive items (the gates that exclude it, as the text shows), else every
/// item shown.
template <typename F>
void ForEachListedItem(const Verdict& verdict, F&& f) {
  if (verdict.kind == VerdictKind::kNotApplicable) {
    for (std::size_t i : verdict.decisive) f(verdict.items[i]);
    return;
  }
  for (const ItemResult& r : verdict.items) {
    if (r.shown) f(r);
  }
}

/// The id by which items refer to a source: "S" and eight hex digits of a hash of its
/// instrument, section, url and verified date, so the same citation has the same id in every
/// record and every release that cites it alike.
std::string SourceId(const Source& source);

/// The sources the items of verdicts cite, each once, in the order first cited: the "sources"
/// of a JSON document or NDJSON record.
class CitedSources {
 public:
  /// Adds the sources of the items `verdict` shows.
  void Add(const RuleSet& rules, const Verdict& verdict);
  bool empty() const { return cited_.empty(); }
  /// `{"S…": {"instrument", "section", "url", "verified"}, …}`.
  nlohmann::ordered_json ToJson() const;

 private:
  std::vector<std::pair<std::string, const Source*>> cited_;
};

/// One verdict as the JSON object documented in docs/cli.md; its items name their sources by
/// id (SourceId), and the record or document lists them (CitedSources).
nlohmann::ordered_json VerdictToJson(const RuleSet& rules, const Verdict& verdict);

/// The same verdict for pipelines (`check --detail summary`): "pathway", "verdict",
/// "decisive", "missing" as [{"fact"}] and "unsettled" as [{"id"}]; no texts, items or sources.
nlohmann::ordered_json VerdictSummaryToJson(const RuleSet& rules, const Verdict& verdict);

/// The next steps of a summary verdict: PlansToJson without the steps' wording,
/// `[{"changes": [{"fact", "to"}], "result", "lead_time_days"}]`.
nlohmann::ordered_json PlansSummaryToJson(const RuleSet& rules,
                                          const std::vector<NextStepPlan>& plans);

/// The members every per-profile NDJSON record starts with (docs/cli.md): "type", "input",
/// "format" (only when `format` > 0), "line" (only for a stream line, `line` > 0), "id" (only
/// when the profile has one), "as_of".
nlohmann::ordered_json RecordHead(std::string_view type, const std::string& input, std::size_t line,
                                  const std::string& id, Date as_of, int format = 0);

/// `{"name", "version", "sha256"}` of the rule set.
nlohmann::ordered_json RulesToJson(const RuleSet& rules);

}  // namespace imgvisa

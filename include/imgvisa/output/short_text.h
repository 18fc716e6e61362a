#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "imgvisa/engine/questions.h"
#include "imgvisa/engine/verdict.h"
#include "imgvisa/output/render.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// What the short answer is made of: one profile's verdicts (by pathway index), the reported
/// pathways, the planned next steps and the ranked questions.
struct ShortTextInput {
  const std::vector<Verdict>& verdicts;
  const std::vector<std::size_t>& selection;
  const PlansByPathway& plans;
  const std::vector<Question>& questions;
};

/// The default text answer of `imgvisa check` for people (docs/cli.md, "Text output"), wrapped
/// to `columns`: the verdict table, with the pathways that do not concern the person yet folded
/// into one line per gate that keeps them out; then the next steps across pathways, ranked and
/// each given once; then the decisive reasons of each pathway that is open or could open; then
/// the questions that would settle the most. The next steps come before the reasons so that a
/// terminal's first screen holds both the verdicts and what to do first.
class ShortTextReport {
 public:
  ShortTextReport(const RuleSet& rules, const ShortTextInput& input, std::size_t columns,
                  TextStyle style);

  /// The line naming the profile, the date and the rules, and the contradictions among the
  /// profile's facts.
  void WriteHeading(std::ostream& out, const std::string& input, Date as_of,
                    const std::vector<FactConflict>& conflicts) const;
  /// The verdict table.
  void WriteTable(std::ostream& out) const;
  /// Next steps, reasons and questions, each after a blank line when it has anything to say.
  /// `lines_before`: the lines written before (heading, table, what-if); the reasons are cut
  /// short, whole pathways at a time, so that the answer stays within a screenful or two.
  void WriteRest(std::ostream& out, std::size_t lines_before) const;

 private:
  /// Pathways kept out by the same gate, not met or not known the same way.
  /// Pathways folded into one row: those closed by the same gate, or (`gate` null) every
  /// pathway alone in being not-applicable by a gate of its own, so the table fits a screen.
  struct Fold {
    const Item* gate = nullptr;
    Outcome status = Outcome::kUnmet;
    std::vector<std::size_t> pathways;
  };
  /// A change of the pathways' first plans, or a condition a conditional verdict waits for,
  /// given once however many pathways share it.
  struct Step {
    std::string text;
    int lead_time_days = -1;  ///< -1: not known
    std::vector<std::size_t> pathways;
  };

  std::string Words(std::size_t pathway) const;
  std::string FoldLabel(const Fold& fold) const;
  void GatherLoneFolds();
  void WriteRow(std::ostream& out, const std::string& label, std::size_t label_width,
                VerdictKind kind, const std::string& verdict_word, const std::string& words,
                bool wrap) const;
  void WriteSteps(std::ostream& out) const;
  std::string Reasons(std::size_t pathway) const;
  /// Returns the lines written, at most `budget`.
  std::size_t WriteReasons(std::ostream& out, std::size_t budget) const;
  std::string Questions() const;
  bool AsksFirstQuestion() const;
  std::vector<Step> Steps() const;
  std::string PathwayList(const std::vector<std::size_t>& pathways) const;

  const RuleSet& rules_;
  const ShortTextInput& input_;
  std::size_t columns_;
  TextStyle style_;
  std::vector<std::size_t> shown_;  ///< pathways with a row of their own, in selection order
  std::vector<Fold> folds_;
};

}  // namespace imgvisa

#include "cli/check_text_output.h"

#include <algorithm>
#include <sstream>

#include "imgvisa/output/short_text.h"

namespace imgvisa {
namespace {

// Longest input name echoed in text output; longer ones end in "...".
constexpr std::size_t kMaxShownPath = 1024;

}  // namespace

void CheckTextOutput::Result(const std::string& input, std::size_t /*line*/,
                             const std::string& /*id*/, const ProfileEvaluation& evaluation) {
  Tally(/*failed=*/false, evaluation.open);
  if (printed_ > 0) out_ << "\n";
  // The name may hold newlines, escape sequences or invalid UTF-8 (it is a path).
  err_ << WarningLines(evaluation);
  const TextStyle style{color_};
  // The --what-if changes right below the verdicts they change, however long the rest.
  if (scope_.short_text) {
    const ShortTextInput input_of_report{evaluation.verdicts, scope_.selection, evaluation.plans,
                                         evaluation.questions};
    const ShortTextReport report(scope_.rules, input_of_report, scope_.columns, style);
    std::ostringstream top;
    report.WriteHeading(top, EscapeForDisplay(input, kMaxShownPath), scope_.as_of,
                        evaluation.conflicts);
    report.WriteTable(top);
    WriteWhatIf(evaluation, top);
    const std::string head = top.str();
    out_ << head;
    report.WriteRest(out_, static_cast<std::size_t>(std::count(head.begin(), head.end(), '\n')));
  } else {
    RenderTextHeading(out_, scope_.rules, EscapeForDisplay(input, kMaxShownPath), scope_.as_of,
                      &evaluation.conflicts);
    RenderVerdictTable(out_, scope_.rules, evaluation.verdicts, scope_.selection, style);
    WriteWhatIf(evaluation, out_);
    RenderTextReasons(out_, scope_.rules, evaluation.verdicts, scope_.selection, scope_.as_of,
                      style, &evaluation.plans);
  }
  NoteWriteFailure();
  ++printed_;
}

void CheckTextOutput::WriteWhatIf(const ProfileEvaluation& evaluation, std::ostream& out) {
  if (scope_.changes.empty()) return;
  RenderWhatIfText(out, scope_.rules, evaluation.verdicts, evaluation.what_if, scope_.selection,
                   scope_.changes, TextStyle{color_});
  for (const FactConflict& c : evaluation.what_if_conflicts) {
    out << "  " << FormatDiagnosticLine(c.warning) << "\n";
  }
}

void CheckTextOutput::Error(const std::string& input, std::size_t line,
                            const std::vector<Diagnostic>& diagnostics,
                            std::size_t omitted_errors) {
  Tally(/*failed=*/true, /*open=*/false);
  err_ << ErrorLines(input, line, diagnostics, omitted_errors);
}

}  // namespace imgvisa

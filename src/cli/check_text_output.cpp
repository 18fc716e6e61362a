#include "cli/check_text_output.h"

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
  RenderText(out_, scope_.rules, evaluation.verdicts, scope_.selection,
             EscapeForDisplay(input, kMaxShownPath), scope_.as_of, TextStyle{color_},
             &evaluation.plans, &evaluation.conflicts);
  if (!scope_.changes.empty()) {
    RenderWhatIfText(out_, scope_.rules, evaluation.verdicts, evaluation.what_if, scope_.selection,
                     scope_.changes, TextStyle{color_});
    for (const FactConflict& c : evaluation.what_if_conflicts) {
      out_ << "  " << FormatDiagnosticLine(c.warning) << "\n";
    }
  }
  NoteWriteFailure();
  ++printed_;
}

void CheckTextOutput::Error(const std::string& input, std::size_t line,
                            const std::vector<Diagnostic>& diagnostics,
                            std::size_t omitted_errors) {
  Tally(/*failed=*/true, /*open=*/false);
  err_ << ErrorLines(input, line, diagnostics, omitted_errors);
}

}  // namespace imgvisa

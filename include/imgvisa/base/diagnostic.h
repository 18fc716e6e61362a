#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imgvisa/base/source.h"

namespace imgvisa {

enum class Severity { kError, kWarning, kNote };

std::string_view SeverityName(Severity severity);

/// A finding about an input, as plain data. `code` is stable and documented in
/// docs/diagnostics.md; `offset` is a byte offset into the file named by `file`, absent only when
/// the problem has no place (a missing file).
struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;
  std::string message;
  std::string file;
  std::optional<std::size_t> offset;
  LineCol position;  ///< Filled from `offset` by `Locate`.
  std::string source_line;
};

/// Fills position and source line of every diagnostic that points into `file`.
void Locate(std::vector<Diagnostic>& diagnostics, const SourceFile& file);

/// `file:line:col: error[E001]: message`, the GNU form.
std::string FormatDiagnosticLine(const Diagnostic& diagnostic);

/// The GNU line, then the source line and a caret under the column.
std::string FormatDiagnostic(const Diagnostic& diagnostic);

/// Orders by file, then position, then code, so output is stable.
void SortByLocation(std::vector<Diagnostic>& diagnostics);

bool HasErrors(const std::vector<Diagnostic>& diagnostics);

/// Makes arbitrary bytes safe to echo on one line: control characters, invalid UTF-8 and
/// backslashes are escaped, and the result is cut at `max_bytes` with an ellipsis.
std::string EscapeForDisplay(std::string_view bytes, std::size_t max_bytes = 80);

}  // namespace imgvisa

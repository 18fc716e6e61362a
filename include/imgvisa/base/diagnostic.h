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
  /// The part of the source line that FormatDiagnostic shows, filled by `Locate`: a bounded
  /// window around the column, never the whole line, so that a diagnostic costs the same on a
  /// one-line megabyte document as on a short line (thousands of them may be kept).
  std::string excerpt;
  /// Where `excerpt` starts in its line (0-based bytes); the caret goes at position.column - 1
  /// - excerpt_begin within it.
  std::size_t excerpt_begin = 0;
};

/// Bytes of the source line kept before the column, and in all, by `Locate`.
inline constexpr std::size_t kExcerptBefore = 60;
inline constexpr std::size_t kExcerptBytes = 120;

/// Fills position and excerpt of every diagnostic that points into `file`.
void Locate(std::vector<Diagnostic>& diagnostics, const SourceFile& file);

/// `file:line:col: error[E001]: message`, the GNU form.
std::string FormatDiagnosticLine(const Diagnostic& diagnostic);

/// The GNU line, then the source line and a caret under the column.
std::string FormatDiagnostic(const Diagnostic& diagnostic);

/// Orders by file, then position, then code, so output is stable.
void SortByLocation(std::vector<Diagnostic>& diagnostics);

bool HasErrors(const std::vector<Diagnostic>& diagnostics);

/// Errors reported per input (a profile, an NDJSON line, a rule file, a test file) unless
/// --max-errors says otherwise, as compilers do with -fmax-errors: past the limit they are only
/// counted. 0 means no limit.
inline constexpr std::size_t kDefaultMaxErrors = 20;

/// How many errors of one file a report left out.
struct OmittedErrors {
  std::string file;
  std::size_t count = 0;
};

/// Keeps the first `max_errors` errors of each file (0: all of them) and every warning and note,
/// in their order, and says how many errors of each file were left out, in the order the files
/// first appear.
std::vector<OmittedErrors> LimitErrors(std::vector<Diagnostic>& diagnostics,
                                       std::size_t max_errors);

/// The line that ends a report cut by --max-errors: "p.json: and 5 more errors (...)". `where`
/// is shown escaped, as a diagnostic's file is.
std::string FormatOmittedErrors(std::string_view where, std::size_t count);

/// Makes arbitrary bytes safe to echo on one line: control characters, invalid UTF-8 and
/// backslashes are escaped, and the result is cut at `max_bytes` with an ellipsis.
std::string EscapeForDisplay(std::string_view bytes, std::size_t max_bytes = 80);

}  // namespace imgvisa

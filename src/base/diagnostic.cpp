#include "imgvisa/base/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <unordered_map>

namespace imgvisa {

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

void Locate(std::vector<Diagnostic>& diagnostics, const SourceFile& file) {
  for (Diagnostic& d : diagnostics) {
    if (d.file != file.name() || !d.offset) continue;
    d.position = file.ToLineCol(*d.offset);
    // Long or binary lines are cut around the column so the caret still points at the spot.
    const std::string_view line = file.LineAt(*d.offset);
    const std::size_t column = d.position.column - 1;
    d.excerpt_begin = std::min(column > kExcerptBefore ? column - kExcerptBefore : 0, line.size());
    d.excerpt = std::string(line.substr(d.excerpt_begin, kExcerptBytes));
  }
}

std::string FormatDiagnosticLine(const Diagnostic& d) {
  std::string where = EscapeForDisplay(d.file, 200);
  if (d.position.line > 0) where += fmt::format(":{}:{}", d.position.line, d.position.column);
  return fmt::format("{}: {}[{}]: {}", where, SeverityName(d.severity), d.code, d.message);
}

namespace {
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i);
}  // namespace

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string out = FormatDiagnosticLine(d);
  if (d.position.line == 0 || d.excerpt.empty()) return out;
  const std::size_t column = d.position.column - 1;
  const std::size_t begin = d.excerpt_begin;
  const std::string_view line = d.excerpt;
  std::string shown;
  std::size_t caret = 0;
  for (std::size_t i = 0; i < line.size();) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    std::size_t bytes = 1, width = 1;
    std::string piece;
    if (c == '\t') {
      piece = " ";
    } else if (c < 0x20 || c == 0x7f) {
      piece = fmt::format("\\x{:02x}", c);
      width = piece.size();
    } else if (c < 0x80) {
      piece = std::string(1, line[i]);
    } else if (std::size_t n = Utf8SequenceLength(line, i); n > 0) {
      piece = std::string(line.substr(i, n));  // one character, one column
      bytes = n;
    } else {
      piece = fmt::format("\\x{:02x}", c);
      width = piece.size();
    }
    if (begin + i < column) caret += width;
    shown += piece;
    i += bytes;
  }
  out += "\n  " + shown + "\n  " + std::string(caret, ' ') + "^";
  return out;
}

void SortByLocation(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.file, a.position.line, a.position.column, a.code) <
                            std::tie(b.file, b.position.line, b.position.column, b.code);
                   });
}

bool HasErrors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

std::vector<OmittedErrors> LimitErrors(std::vector<Diagnostic>& diagnostics,
                                       std::size_t max_errors) {
  std::vector<OmittedErrors> omitted;
  if (max_errors == 0) return omitted;
  std::unordered_map<std::string, std::size_t> kept;  // errors kept so far, by file
  std::size_t out = 0;
  for (std::size_t i = 0; i < diagnostics.size(); ++i) {
    Diagnostic& d = diagnostics[i];
    if (d.severity == Severity::kError && ++kept[d.file] > max_errors) {
      auto it = std::find_if(omitted.begin(), omitted.end(),
                             [&](const OmittedErrors& o) { return o.file == d.file; });
      if (it == omitted.end()) it = omitted.insert(omitted.end(), OmittedErrors{d.file, 0});
      ++it->count;
      continue;
    }
    if (out != i) diagnostics[out] = std::move(d);
    ++out;
  }
  diagnostics.resize(out);
  return omitted;
}

std::string FormatOmittedErrors(std::string_view where, std::size_t count) {
  return fmt::format("{}: and {} more error{} (--max-errors 0 shows them all)",
                     EscapeForDisplay(where, 200), count, count == 1 ? "" : "s");
}

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one.
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0) lo = 0xa0;
    if (c == 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0) lo = 0x90;
    if (c == 0xf4) hi = 0x8f;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) return 0;
  }
  return n;
}

}  // namespace

std::string EscapeForDisplay(std::string_view bytes, std::size_t max_bytes) {
  std::string out;
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (out.size() >= max_bytes) {
      out += "...";
      break;
    }
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c == '\\') {
      out += "\\\\";
      ++i;
    } else if (c == '\n') {
      out += "\\n";
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else if (std::size_t n = Utf8SequenceLength(bytes, i); n > 0) {
      out.append(bytes.substr(i, n));
      i += n;
    } else {
      out += fmt::format("\\x{:02x}", c);
      ++i;
    }
  }
  return out;
}

}  // namespace imgvisa

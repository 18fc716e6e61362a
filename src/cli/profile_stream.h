#pragma once

// How the commands that take profiles read them: a whole profile from a file or from standard
// input, or an NDJSON stream of profiles one line at a time (check and diff read "-" so).

#include <cstddef>
#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "imgvisa/sys/read_file.h"

namespace imgvisa {

/// The profile named `input`, whole: the file, or all of `in` for "-". Larger than `max_bytes`
/// is an error (the commands pass kMaxProfileBytes), so a runaway input cannot exhaust memory.
FileRead ReadProfile(const std::string& input, std::istream& in, std::size_t max_bytes);

/// One line of an NDJSON stream as ProfileStream read it.
struct ProfileLine {
  std::size_t number = 0;  ///< 1 for the stream's first line
  /// Every byte before the newline, a final '\r' included, however many were kept.
  std::size_t length = 0;
  /// The line without its final '\r' when it is at most the stream's limit + 1 bytes long;
  /// past that only its first limit + 1 bytes, which say that it is too long.
  std::string text;
  bool carriage_return = false;  ///< the line ended in "\r\n"
  bool blank = false;            ///< nothing but spaces, tabs and '\r' (or nothing at all)

  /// The bytes of the line without its final '\r'.
  std::size_t ContentLength() const { return length - (carriage_return ? 1 : 0); }
};

/// Reads an NDJSON stream line by line, in bounded memory: of a line longer than the limit only
/// the first limit + 1 bytes are kept (the rest is read and counted), so a stream without
/// newlines cannot exhaust memory.
///
/// While it exists the input is untied from its output (std::cin is tied to std::cout, which
/// then flushes before every line read: a write per record). Instead `before_wait` runs
/// whenever the next read may wait for the producer (nothing is buffered), so a program that
/// writes a profile and waits for its answer still gets it.
class ProfileStream {
 public:
  ProfileStream(std::istream& in, std::function<void()> before_wait, std::size_t max_line_bytes);
  ~ProfileStream();
  ProfileStream(const ProfileStream&) = delete;
  ProfileStream& operator=(const ProfileStream&) = delete;

  /// Reads the next line into `line`, reusing its storage; false at the end of the stream.
  bool Next(ProfileLine& line);

  /// Reads up to `count` lines into the first elements of `lines` (grown as needed, never
  /// shrunk, so their storage serves later batches) and returns how many it read.
  std::size_t NextBatch(std::vector<ProfileLine>& lines, std::size_t count);

  /// True when reading failed (an I/O error rather than the end of the stream).
  bool ReadFailed() const { return in_.bad(); }

 private:
  std::istream& in_;
  std::ostream* tied_;
  std::function<void()> before_wait_;
  std::size_t max_line_bytes_;
  std::size_t lines_read_ = 0;
};

}  // namespace imgvisa

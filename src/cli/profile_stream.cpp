#include "cli/profile_stream.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <utility>

namespace imgvisa {
namespace {

// Bytes that leave a line blank: a stream may separate its profiles by empty lines, or lines
// of spaces, with Unix or DOS line ends.
constexpr std::string_view kBlankBytes = " \t\r";

// std::getline, except that at most `max + 1` bytes of the line are kept (the rest is read and
// counted), so a stream without newlines cannot exhaust memory.
bool ReadBoundedLine(std::istream& in, std::size_t max, ProfileLine& line) {
  line.text.clear();
  line.length = 0;
  line.blank = true;
  char last = '\0';
  char buffer[64 * 1024];
  bool any = false;
  while (true) {
    in.getline(buffer, sizeof buffer);
    const auto got = static_cast<std::size_t>(in.gcount());
    const bool full = in.fail() && !in.eof() && got == sizeof buffer - 1;
    // gcount counts the newline when one was extracted; the buffer holds only the bytes before.
    const std::size_t bytes = full || in.eof() ? got : (got > 0 ? got - 1 : 0);
    if (got > 0) any = true;
    if (bytes > 0) {
      last = buffer[bytes - 1];
      if (line.blank) {
        line.blank = std::string_view(buffer, bytes).find_first_not_of(kBlankBytes) ==
                     std::string_view::npos;
      }
    }
    line.length += bytes;
    if (line.text.size() <= max) {
      line.text.append(buffer, std::min(bytes, max + 1 - line.text.size()));
    }
    if (full) {
      in.clear(in.rdstate() & ~std::ios::failbit);
      continue;
    }
    break;
  }
  line.carriage_return = last == '\r';
  // Past max + 1 bytes the text is only a prefix, which the '\r' is not part of.
  if (line.carriage_return && line.length <= max + 1) line.text.pop_back();
  return any;
}

}  // namespace

FileRead ReadProfile(const std::string& input, std::istream& in, std::size_t max_bytes) {
  if (input != "-") return ReadFile(input, max_bytes);
  FileRead read;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    read.text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (read.text.size() > max_bytes) {
      read.text.clear();
      read.error = fmt::format("larger than the limit of {} bytes", max_bytes);
      return read;
    }
  }
  read.ok = true;
  return read;
}

ProfileStream::ProfileStream(std::istream& in, std::function<void()> before_wait,
                             std::size_t max_line_bytes)
    : in_(in),
      tied_(in.tie(nullptr)),
      before_wait_(std::move(before_wait)),
      max_line_bytes_(max_line_bytes) {}

ProfileStream::~ProfileStream() { in_.tie(tied_); }

bool ProfileStream::Next(ProfileLine& line) {
  if (in_.rdbuf()->in_avail() <= 0 && before_wait_) before_wait_();
  if (!ReadBoundedLine(in_, max_line_bytes_, line)) return false;
  line.number = ++lines_read_;
  return true;
}

std::size_t ProfileStream::NextBatch(std::vector<ProfileLine>& lines, std::size_t count) {
  if (lines.size() < count) lines.resize(count);
  std::size_t n = 0;
  while (n < count && Next(lines[n])) ++n;
  return n;
}

}  // namespace imgvisa

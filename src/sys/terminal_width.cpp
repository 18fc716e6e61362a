#include "imgvisa/sys/terminal_width.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <charconv>
#include <cstring>

namespace imgvisa {
namespace {

// Narrower than this, hanging indents leave no room for words; wider, lines are hard to read.
constexpr std::size_t kMinColumns = 20;
constexpr std::size_t kMaxColumns = 1000;
constexpr std::size_t kDefaultColumns = 80;

bool Usable(std::size_t columns) { return columns >= kMinColumns && columns <= kMaxColumns; }

}  // namespace

std::size_t TerminalColumns(const char* columns_env, int fd) {
  if (columns_env != nullptr && *columns_env != '\0') {
    std::size_t columns = 0;
    const char* end = columns_env + std::strlen(columns_env);
    const auto [ptr, ec] = std::from_chars(columns_env, end, columns);
    if (ec == std::errc() && ptr == end && Usable(columns)) return columns;
  }
  winsize size{};
  if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &size) == 0 && Usable(size.ws_col)) return size.ws_col;
  return kDefaultColumns;
}

}  // namespace imgvisa

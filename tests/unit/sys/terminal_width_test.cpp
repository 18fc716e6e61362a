#include "imgvisa/sys/terminal_width.h"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

TEST_CASE("terminal width: COLUMNS if sane, else the terminal, else 80") {
  const int fd = ::open("/dev/null", O_WRONLY);
  REQUIRE(fd >= 0);
  CHECK(imgvisa::TerminalColumns("100", fd) == 100);
  CHECK(imgvisa::TerminalColumns(nullptr, fd) == 80);
  CHECK(imgvisa::TerminalColumns("", fd) == 80);
  CHECK(imgvisa::TerminalColumns("wide", fd) == 80);
  CHECK(imgvisa::TerminalColumns("5", fd) == 80);
  CHECK(imgvisa::TerminalColumns("120x", fd) == 80);
  CHECK(imgvisa::TerminalColumns("99999", fd) == 80);
  ::close(fd);
}

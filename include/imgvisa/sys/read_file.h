#pragma once

#include <cstddef>
#include <string>

namespace imgvisa {

struct FileRead {
  bool ok = false;
  std::string text;
  std::string error;  ///< one line, without the file name
};

/// Reads a whole file, refusing directories and anything larger than `max_bytes` (so /dev/zero
/// or a runaway FIFO cannot exhaust memory). The only place besides main that touches the disk.
FileRead ReadFile(const std::string& path, std::size_t max_bytes);

}  // namespace imgvisa

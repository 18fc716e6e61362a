#pragma once

#include <cstddef>

namespace imgvisa {

/// Columns to lay text out in: `columns_env` (the COLUMNS variable) when it holds a number from
/// 20 to 1000, else the width of the terminal on `fd` when it is one, else 80.
std::size_t TerminalColumns(const char* columns_env, int fd);

}  // namespace imgvisa

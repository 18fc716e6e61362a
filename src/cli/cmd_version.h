#pragma once

#include <ostream>

namespace imgvisa {

/// `imgvisa --version`: the program version, then the embedded rule set's name, version and
/// content hash. Returns 3 when the embedded rules do not load.
int RunVersion(std::ostream& out, std::ostream& err);

}  // namespace imgvisa

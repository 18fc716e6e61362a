#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "imgvisa/base/source.h"

namespace imgvisa {

/// Lower-case hex SHA-256 (FIPS 180-4) of `data`.
std::string Sha256Hex(std::string_view data);

/// The content hash of a rule set: SHA-256 over, for each file in order, its name relative to
/// `root` (the prefix is dropped when present), a NUL, its size in decimal, a NUL and its bytes.
/// So the embedded set and the same directory on disk hash alike.
std::string RuleSetHash(const std::vector<SourceFile>& files, std::string_view root);

}  // namespace imgvisa

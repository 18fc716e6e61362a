#pragma once

#include <cstddef>
#include <string_view>

namespace imgvisa {

/// The length of the well-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates, nothing
/// above U+10FFFF — what nlohmann's lexer accepts) that starts at `p`, a byte ≥ 0x80; 0 when the
/// bytes up to `end` are not one.
std::size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end);

/// True when all of `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

}  // namespace imgvisa

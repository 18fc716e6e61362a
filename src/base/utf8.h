#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace imgvisa {

/// The length of the well-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates, nothing
/// above U+10FFFF — what nlohmann's lexer accepts) that starts at `p`, a byte ≥ 0x80; 0 when the
/// bytes up to `end` are not one.
std::size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end);

/// True when all of `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

// Eight bytes at a time, for the loops over strings that read and write JSON. The tests are the
// classic "has a zero byte" bit tricks: they give the high bit of each byte that matches, and
// the lowest bit set marks the first such byte exactly; bits above it may be spurious (a borrow
// spreads upward only from a byte that matches).

/// The eight bytes at `p`, in memory order.
inline std::uint64_t Load8(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

/// The high bit of each byte of `word` that is ≥ 0x80 (not ASCII).
inline std::uint64_t NonAsciiBits(std::uint64_t word) { return word & 0x8080808080808080u; }

/// The high bit of each byte of `word` that a JSON string cannot hold as it is: below 0x20,
/// '"' or '\\'. Bytes ≥ 0x80 never count.
inline std::uint64_t JsonSpecialBits(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u, kHigh = 0x8080808080808080u;
  const auto zero_bytes = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const std::uint64_t control = (word - kOnes * 0x20) & ~word & kHigh;
  return control | zero_bytes(word ^ (kOnes * '"')) | zero_bytes(word ^ (kOnes * '\\'));
}

}  // namespace imgvisa

#pragma once

#include <cstddef>
#include <memory>
#include <streambuf>

namespace imgvisa {

/// A stream buffer that reads a file descriptor a large block at a time, for standard input.
///
/// std::cin, once unsynchronised from stdio, reads 8 KiB per read(2): over a stream of
/// profiles that is a system call every few lines, a cost a stream feels (docs/performance.md).
/// This buffer asks for up to `capacity` bytes per read(2) and
/// takes what one call returns, so a producer that writes a line and waits for its record is
/// answered, as with std::cin. The block is allocated by the constructor, so that running out
/// of memory for it is reported as such rather than as a failed read.
///
/// A failed read(2) throws std::ios_base::failure from underflow, which the istream reading
/// turns into badbit (and errno says why).
class DescriptorInput : public std::streambuf {
 public:
  static constexpr std::size_t kDefaultCapacity = 256 * 1024;

  explicit DescriptorInput(int fd, std::size_t capacity = kDefaultCapacity);

 protected:
  int_type underflow() override;

 private:
  int fd_;
  std::size_t capacity_;
  std::unique_ptr<char[]> block_;
};

}  // namespace imgvisa

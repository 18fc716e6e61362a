#include "imgvisa/sys/descriptor_input.h"

#include <unistd.h>

#include <cerrno>
#include <ios>
#include <memory>
#include <system_error>

namespace imgvisa {

DescriptorInput::DescriptorInput(int fd, std::size_t capacity)
    : fd_(fd),
      capacity_(capacity == 0 ? 1 : capacity),
      block_(std::make_unique_for_overwrite<char[]>(capacity_)) {}

DescriptorInput::int_type DescriptorInput::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  while (true) {
    const ssize_t got = ::read(fd_, block_.get(), capacity_);
    if (got > 0) {
      setg(block_.get(), block_.get(), block_.get() + got);
      return traits_type::to_int_type(*gptr());
    }
    if (got == 0) return traits_type::eof();
    if (errno != EINTR) {
      throw std::ios_base::failure("read", std::error_code(errno, std::generic_category()));
    }
  }
}

}  // namespace imgvisa

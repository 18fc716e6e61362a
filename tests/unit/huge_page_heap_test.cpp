#include "imgvisa/huge_page_heap.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace {

// The VmFlags line of the mapping that holds `address`, from /proc/self/smaps.
std::string VmFlagsAt(std::uintptr_t address) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    unsigned long from = 0, to = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> from >> dash >> to && dash == '-') {
      inside = from <= address && address < to;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  return "";
}

}  // namespace

// Each test case runs in a process of its own (catch_discover_tests), so this is the process's
// one call, as in main.
TEST_CASE("MoveHeapToHugePages puts later blocks on huge pages the kernel was asked for") {
  const std::optional<imgvisa::HugePageRange> range = imgvisa::MoveHeapToHugePages();
#ifdef IMGVISA_HUGE_PAGE_HEAP
  REQUIRE(range);
  CHECK(range->begin % imgvisa::kHugePageSize == 0);
  CHECK(range->end % imgvisa::kHugePageSize == 0);
  CHECK(range->end - range->begin >= 2 * imgvisa::kHugePageSize);
  CHECK(VmFlagsAt(range->begin).find(" hg") != std::string::npos);
  CHECK(VmFlagsAt(range->end - 1).find(" hg") != std::string::npos);

  // Blocks larger than anything the test process freed before come from the huge pages, even
  // beyond glibc's first threshold for mapping them apart (128 KiB), and are ordinary memory.
  constexpr std::size_t kLarge = 900 << 10, kNext = 600 << 10;
  std::unique_ptr<char, decltype(&std::free)> large(static_cast<char*>(std::malloc(kLarge)),
                                                    &std::free);
  std::unique_ptr<char, decltype(&std::free)> next(static_cast<char*>(std::malloc(kNext)),
                                                   &std::free);
  REQUIRE(large);
  REQUIRE(next);
  CHECK(reinterpret_cast<std::uintptr_t>(large.get()) < range->begin + 64);
  CHECK(range->Contains(large.get()));
  CHECK(range->Contains(large.get() + kLarge - 1));
  CHECK(range->Contains(next.get()));
  CHECK(range->Contains(next.get() + kNext - 1));
  std::memset(large.get(), 'x', kLarge);
  CHECK(large.get()[kLarge - 1] == 'x');
#else
  // A sanitizer's allocator, or not glibc: nothing is moved.
  CHECK_FALSE(range);
#endif
}

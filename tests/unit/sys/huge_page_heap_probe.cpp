// MoveHeapToHugePages in a process of its own, as main calls it: first, before the process has
// freed anything large. A program rather than a test case, so that the unit test binary, run as
// one process, never depends on what its earlier cases did to the heap.
//   huge_page_heap_probe   exit 0: as expected; 1: not; 77: skipped (no transparent huge pages)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "imgvisa/sys/huge_page_heap.h"

namespace {

constexpr int kSkip = 77;

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

// Whether the kernel offers transparent huge pages to a process that asks (madvise or always).
bool KernelHasHugePages() {
  std::ifstream enabled("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  return std::getline(enabled, line) && line.find("[never]") == std::string::npos;
}

int failures = 0;
void Expect(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "huge_page_heap_probe: FAILED: %s\n", what);
  ++failures;
}

}  // namespace

int main() {
  const std::optional<imgvisa::HugePageRange> range = imgvisa::MoveHeapToHugePages();
  // Blocks larger than glibc's first threshold for mapping them apart (128 KiB) come from the
  // huge pages: asked for before anything else allocates (the checks below do).
  constexpr std::size_t kLarge = 900 << 10, kNext = 600 << 10;
  std::unique_ptr<char, decltype(&std::free)> large(static_cast<char*>(std::malloc(kLarge)),
                                                    &std::free);
  std::unique_ptr<char, decltype(&std::free)> next(static_cast<char*>(std::malloc(kNext)),
                                                   &std::free);
  if (!large || !next) return 1;
#ifdef IMGVISA_HUGE_PAGE_HEAP
  if (!KernelHasHugePages()) {
    std::puts("huge_page_heap_probe: skipped: the kernel has no transparent huge pages");
    return kSkip;
  }
  Expect(range.has_value(), "the heap was moved");
  if (!range) return 1;
  Expect(range->begin % imgvisa::kHugePageSize == 0, "begin on a huge page boundary");
  Expect(range->end % imgvisa::kHugePageSize == 0, "end on a huge page boundary");
  Expect(range->end - range->begin >= 2 * imgvisa::kHugePageSize, "two huge pages or more");
  Expect(VmFlagsAt(range->begin).find(" hg") != std::string::npos, "first page advised");
  Expect(VmFlagsAt(range->end - 1).find(" hg") != std::string::npos, "last page advised");
  Expect(reinterpret_cast<std::uintptr_t>(large.get()) < range->begin + 64,
         "the first large block starts the huge pages");
  Expect(range->Contains(large.get()) && range->Contains(large.get() + kLarge - 1),
         "the first large block lies on the huge pages");
  Expect(range->Contains(next.get()) && range->Contains(next.get() + kNext - 1),
         "the next block lies on the huge pages");
  std::memset(large.get(), 'x', kLarge);
  Expect(large.get()[kLarge - 1] == 'x', "the memory is usable");

#else
  // A sanitizer's allocator, or not glibc: nothing is moved.
  Expect(!range.has_value(), "nothing moved where the heap cannot be");
#endif
  if (failures == 0) std::puts("huge_page_heap_probe: ok");
  return failures == 0 ? 0 : 1;
}

#include "imgvisa/sys/huge_page_heap.h"

#ifdef IMGVISA_HUGE_PAGE_HEAP
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#endif

namespace imgvisa {

#ifdef IMGVISA_HUGE_PAGE_HEAP

namespace {

// Whatever the heap's alignment, growing it by four huge pages leaves at least two whole ones
// above the gap: what one check allocates, with room to spare. A stream grows the
// heap on from there with ordinary pages.
constexpr std::size_t kGrowth = 4 * kHugePageSize;

std::uintptr_t AlignUp(std::uintptr_t n, std::uintptr_t to) { return (n + to - 1) & ~(to - 1); }
std::uintptr_t AlignDown(std::uintptr_t n, std::uintptr_t to) { return n & ~(to - 1); }

// glibc's main arena ends in its "top" chunk, which reaches the program break; mallinfo2's
// keepcost is its size. New blocks that no free list can serve are carved from its start.
std::uintptr_t TopChunk() {
  const auto brk = reinterpret_cast<std::uintptr_t>(sbrk(0));
  return brk - mallinfo2().keepcost;
}

// The heap grown and its top chunk moved to the first huge page; blocks of any size come from
// the heap meanwhile (M_MMAP_THRESHOLD raised by the caller).
std::optional<HugePageRange> ArrangeHeap() {
  // Grow the heap in one step: a block larger than the top chunk, with kGrowth of padding,
  // given back at once (it borders the top chunk, so it merges into it).
  if (mallopt(M_TOP_PAD, kGrowth) == 0) return std::nullopt;
  void* grow = std::malloc(mallinfo2().keepcost + 1);
  std::free(grow);
  mallopt(M_TOP_PAD, 128 << 10);  // glibc's default
  if (grow == nullptr) return std::nullopt;

  const std::uintptr_t top = TopChunk();
  const auto brk = reinterpret_cast<std::uintptr_t>(sbrk(0));
  // At least 64 KiB below the first huge page, so that the gap block is too large for any
  // free list and comes from the top chunk.
  const std::uintptr_t begin = AlignUp(top + (64 << 10), kHugePageSize);
  const std::uintptr_t end = AlignDown(brk, kHugePageSize);
  if (top % 16 != 0 || end < begin + kHugePageSize) return std::nullopt;
  if (madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE) != 0) {
    return std::nullopt;
  }
  // A block that spans from the top chunk to the first huge page leaves the top chunk, and so
  // every later block, there. A chunk of n bytes holds a request of n - 8 (its size word);
  // the block stays allocated for good, or malloc would carve small blocks from it first.
  static void* gap = nullptr;
  gap = std::malloc(begin - top - sizeof(std::size_t));
  if (gap == nullptr || TopChunk() != begin) return std::nullopt;
  return HugePageRange{begin, end};
}

}  // namespace

std::optional<HugePageRange> MoveHeapToHugePages() {
  // No trimming below the grown size, which would hand the huge pages back.
  if (mallopt(M_TRIM_THRESHOLD, 16 << 20) == 0) return std::nullopt;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  std::optional<HugePageRange> range = ArrangeHeap();
  // Blocks of up to 1 MiB from the heap, so that a text report shares its huge pages
  // rather than costing a mapping and faults of its own (glibc maps blocks from 128 KiB apart
  // at first, and raises that bound as they are freed).
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  return range;
}

#else

std::optional<HugePageRange> MoveHeapToHugePages() { return std::nullopt; }

#endif

bool HugePagesAllowed(const char* setting) {
  if (setting == nullptr) return true;
  const std::string_view s = setting;
  return s != "0" && s != "off" && s != "no";
}

}  // namespace imgvisa

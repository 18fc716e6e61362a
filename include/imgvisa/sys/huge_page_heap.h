#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

// Where MoveHeapToHugePages can work: glibc's allocator on Linux, not a sanitizer's.
#if defined(__linux__) && defined(__GLIBC__) && !defined(IMGVISA_SANITIZED) && \
    !defined(__SANITIZE_ADDRESS__)
#define IMGVISA_HUGE_PAGE_HEAP 1
#endif

namespace imgvisa {

/// The size of one transparent huge page on x86-64 Linux.
inline constexpr std::uintptr_t kHugePageSize = std::uintptr_t{2} << 20;

/// The part of the heap that MoveHeapToHugePages advised the kernel to back with huge pages.
struct HugePageRange {
  std::uintptr_t begin = 0;
  std::uintptr_t end = 0;
  bool Contains(const void* p) const {
    const auto address = reinterpret_cast<std::uintptr_t>(p);
    return begin <= address && address < end;
  }
};

/// Grows the heap once, asks for transparent huge pages over the grown part and moves the
/// place where malloc carves new blocks to the first huge page, so that what a run allocates
/// after this call is backed by one or two page faults instead of one per 4 KiB page.
///
/// Why: on the virtual machines this tool is measured on, a page fault is dear, and the heap
/// pages a check touches were most of its time (docs/performance.md). Nothing about
/// the program's results depends on this; where it cannot work (not Linux with glibc, a
/// sanitizer's allocator, no transparent huge pages) it changes nothing and returns nullopt.
///
/// Call it once, early in main and only for `check`: the unused gap it leaves below the huge
/// pages is never touched, so it costs address space but no memory.
std::optional<HugePageRange> MoveHeapToHugePages();

/// Whether the setting of IMGVISA_HUGE_PAGES (null when unset) lets main call
/// MoveHeapToHugePages: anything but "0", "off" and "no" does.
bool HugePagesAllowed(const char* setting);

}  // namespace imgvisa

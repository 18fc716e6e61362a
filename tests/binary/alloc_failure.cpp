#include "alloc_failure.h"

#include <cstdio>
#include <cstdlib>
#include <new>

// The counters are plain globals: imgvisa is single-threaded, and so are the tests using this.
namespace {

bool g_armed = false;
long g_count = 0;
long g_fail_at = 0;
bool g_failed = false;

void* Allocate(std::size_t size) {
  if (g_armed && ++g_count == g_fail_at) {
    g_failed = true;
    throw std::bad_alloc();
  }
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

void* AllocateAligned(std::size_t size, std::align_val_t align) {
  if (g_armed && ++g_count == g_fail_at) {
    g_failed = true;
    throw std::bad_alloc();
  }
  const auto a = static_cast<std::size_t>(align);
  if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a)) return p;
  throw std::bad_alloc();
}

}  // namespace

// Every replaceable form the program may use, so that malloc and free always pair up (the
// sanitizer build checks that they do).
void* operator new(std::size_t size) { return Allocate(size); }
void* operator new[](std::size_t size) { return Allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return Allocate(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return Allocate(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new(std::size_t size, std::align_val_t align) {
  return AllocateAligned(size, align);
}
void* operator new[](std::size_t size, std::align_val_t align) {
  return AllocateAligned(size, align);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace imgvisa::testing {

void FailAllocationAt(long n) {
  g_count = 0;
  g_fail_at = n;
  g_failed = false;
  g_armed = true;
}

void StopAllocationFaults() { g_armed = false; }

long AllocationsCounted() { return g_count; }

bool AllocationFailureHappened() { return g_failed; }

}  // namespace imgvisa::testing

#ifdef IMGVISA_ALLOC_FAULT_MAIN
// Built into imgvisa_alloc_fault with -Wl,--wrap=main: the program's own main runs unchanged,
// with the failure armed only once it starts (static initialisers of CLI11 allocate too).
// IMGVISA_FAIL_ALLOC_AT=N fails the Nth allocation of main; IMGVISA_FAIL_ALLOC_AT=0 prints
// "allocations: COUNT" on stderr at exit instead.
extern "C" int __real_main(int argc, char** argv);

extern "C" int __wrap_main(int argc, char** argv) {
  const char* at = std::getenv("IMGVISA_FAIL_ALLOC_AT");
  if (at != nullptr) {
    imgvisa::testing::FailAllocationAt(std::atol(at));
    if (std::atol(at) == 0) {
      std::atexit([] { std::fprintf(stderr, "allocations: %ld\n", g_count); });
    }
  }
  return __real_main(argc, argv);
}
#endif

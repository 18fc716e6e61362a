#include "imgvisa/sys/huge_page_heap.h"

#include <catch2/catch.hpp>

// The move itself is tested in a process of its own (huge_page_heap_probe.cpp).
TEST_CASE(
    "IMGVISA_HUGE_PAGES=0 turns the huge-page heap off; unset or anything else leaves it on") {
  CHECK(imgvisa::HugePagesAllowed(nullptr));
  CHECK(imgvisa::HugePagesAllowed("1"));
  CHECK(imgvisa::HugePagesAllowed("on"));
  CHECK_FALSE(imgvisa::HugePagesAllowed("0"));
  CHECK_FALSE(imgvisa::HugePagesAllowed("off"));
  CHECK_FALSE(imgvisa::HugePagesAllowed("no"));
}

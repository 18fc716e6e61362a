#include "imgvisa/base/id_set.h"

#include <catch2/catch.hpp>
#include <set>

#include "test_support.h"

using imgvisa::IdSet;
using imgvisa::testing::Ids;

namespace {
std::vector<std::uint16_t> EachId(const IdSet& s) {
  std::vector<std::uint16_t> ids;
  s.ForEach([&](std::uint16_t id) { ids.push_back(id); });
  return ids;
}
}  // namespace

TEST_CASE("IdSet iterates its ids in ascending order, each once") {
  IdSet s{200, 3, 64, 63, 3, 0};
  CHECK(Ids(s) == std::vector<std::uint16_t>{0, 3, 63, 64, 200});
  CHECK(EachId(s) == Ids(s));
  CHECK(s.size() == 5);
  CHECK(s.contains(63));
  CHECK_FALSE(s.contains(62));
  CHECK_FALSE(s.empty());
  CHECK(IdSet{}.empty());
  CHECK(IdSet{}.begin() == IdSet{}.end());
}

TEST_CASE("IdSet holds ids beyond its inline words, up to the largest id") {
  IdSet s{1, 256, 1000, 65535};
  CHECK(Ids(s) == std::vector<std::uint16_t>{1, 256, 1000, 65535});
  CHECK(EachId(s) == Ids(s));
  CHECK(s.contains(65535));
  CHECK_FALSE(s.contains(999));
  CHECK_FALSE(s.contains(60000));
  s.clear();
  CHECK(s.empty());
  CHECK(Ids(s).empty());
}

TEST_CASE("IdSet merge is set union, whichever side holds the larger ids") {
  // Against std::set on pseudo-random sets that straddle the inline words.
  std::uint32_t seed = 12345;
  auto next = [&] {
    seed = seed * 1103515245u + 12345u;
    return static_cast<std::uint16_t>((seed >> 8) % 700);
  };
  for (int round = 0; round < 200; ++round) {
    IdSet a, b;
    std::set<std::uint16_t> expected;
    const int na = round % 7, nb = (round / 7) % 5;
    for (int i = 0; i < na; ++i) {
      const auto id = next();
      a.Insert(id);
      expected.insert(id);
    }
    for (int i = 0; i < nb; ++i) {
      const auto id = next();
      b.Insert(id);
      expected.insert(id);
    }
    a.Merge(b);
    CHECK(Ids(a) == std::vector<std::uint16_t>(expected.begin(), expected.end()));
    CHECK(EachId(a) == Ids(a));
    CHECK(a.size() == expected.size());
  }
}

TEST_CASE("IdSet equality is by members, not by how many words were grown") {
  IdSet grown{5, 900};
  IdSet small{5};
  CHECK_FALSE(grown == small);
  grown.clear();
  grown.Insert(5);
  CHECK(grown == small);
  IdSet wide{5};
  wide.Merge(IdSet{700});
  IdSet other{5, 700};
  CHECK(wide == other);
  CHECK_FALSE(wide == small);
}

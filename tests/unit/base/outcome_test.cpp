#include "imgvisa/base/outcome.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using imgvisa::Missing;
using imgvisa::Outcome;
using imgvisa::testing::Ids;

TEST_CASE("missing facts merge as a set union") {
  Missing a, b;
  a.AddFact(3);
  a.AddFact(1);
  b.AddFact(3);
  a.Merge(b);
  CHECK(Ids(a.facts) == std::vector<std::uint16_t>{1, 3});
  CHECK(a.unsettled.empty());
  CHECK_FALSE(a.empty());
  CHECK(Missing{}.empty());
}

TEST_CASE("unsettled points merge like missing facts") {
  Missing a, b;
  a.AddUnsettled(2);
  b.AddUnsettled(1);
  b.AddUnsettled(2);
  a.Merge(b);
  CHECK(Ids(a.unsettled) == std::vector<std::uint16_t>{1, 2});
}

TEST_CASE("outcome names are the words of the output") {
  CHECK(imgvisa::OutcomeName(Outcome::kMet) == "met");
  CHECK(imgvisa::OutcomeName(Outcome::kUnmet) == "unmet");
  CHECK(imgvisa::OutcomeName(Outcome::kUnknown) == "unknown");
}

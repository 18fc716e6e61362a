#include "imgvisa/outcome.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using imgvisa::And;
using imgvisa::Missing;
using imgvisa::Not;
using imgvisa::Or;
using imgvisa::Outcome;
using imgvisa::Truth;
using imgvisa::testing::Ids;

namespace {

Truth UnknownOf(std::uint16_t fact) {
  Truth t{Outcome::kUnknown, {}};
  t.missing.AddFact(fact);
  return t;
}

Truth Of(Outcome o, std::uint16_t fact) {
  return o == Outcome::kUnknown ? UnknownOf(fact) : Truth{o, {}};
}

}  // namespace

TEST_CASE("Kleene AND: the full 3x3 table") {
  const Outcome M = Outcome::kMet, U = Outcome::kUnmet, K = Outcome::kUnknown;
  // rows: left operand, columns: right operand
  const Outcome table[3][3] = {{M, U, K}, {U, U, U}, {K, U, K}};
  const Outcome values[3] = {M, U, K};
  for (int a = 0; a < 3; ++a) {
    for (int b = 0; b < 3; ++b) {
      INFO("a=" << imgvisa::OutcomeName(values[a]) << " b=" << imgvisa::OutcomeName(values[b]));
      CHECK(And(Of(values[a], 1), Of(values[b], 2)).outcome == table[a][b]);
    }
  }
}

TEST_CASE("Kleene OR: the full 3x3 table") {
  const Outcome M = Outcome::kMet, U = Outcome::kUnmet, K = Outcome::kUnknown;
  const Outcome table[3][3] = {{M, M, M}, {M, U, K}, {M, K, K}};
  const Outcome values[3] = {M, U, K};
  for (int a = 0; a < 3; ++a) {
    for (int b = 0; b < 3; ++b) {
      INFO("a=" << imgvisa::OutcomeName(values[a]) << " b=" << imgvisa::OutcomeName(values[b]));
      CHECK(Or(Of(values[a], 1), Of(values[b], 2)).outcome == table[a][b]);
    }
  }
}

TEST_CASE("NOT swaps met and unmet and keeps unknown with its reasons") {
  CHECK(Not(Truth::Met()).outcome == Outcome::kUnmet);
  CHECK(Not(Truth::Unmet()).outcome == Outcome::kMet);
  Truth t = Not(UnknownOf(7));
  CHECK(t.outcome == Outcome::kUnknown);
  CHECK(Ids(t.missing.facts) == std::vector<std::uint16_t>{7});
}

TEST_CASE("unknown AND unknown carries the union of the missing facts") {
  Truth t = And(UnknownOf(3), UnknownOf(1));
  t = And(std::move(t), UnknownOf(3));
  CHECK(Ids(t.missing.facts) == std::vector<std::uint16_t>{1, 3});
}

TEST_CASE("a deciding value drops the reasons of unknown operands") {
  CHECK(And(UnknownOf(1), Truth::Unmet()).missing.empty());
  CHECK(Or(UnknownOf(1), Truth::Met()).missing.empty());
  CHECK(Ids(And(UnknownOf(1), Truth::Met()).missing.facts) == std::vector<std::uint16_t>{1});
  CHECK(Ids(Or(UnknownOf(2), Truth::Unmet()).missing.facts) == std::vector<std::uint16_t>{2});
}

TEST_CASE("unsettled points merge like missing facts") {
  Missing a, b;
  a.AddUnsettled(2);
  b.AddUnsettled(1);
  b.AddUnsettled(2);
  a.Merge(b);
  CHECK(Ids(a.unsettled) == std::vector<std::uint16_t>{1, 2});
}

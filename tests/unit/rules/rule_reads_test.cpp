#include "imgvisa/rules/rule_reads.h"

#include <catch2/catch.hpp>

#include "checks/rule_graph.h"
#include "imgvisa/rules/rule_source.h"

namespace {

using imgvisa::CondNode;
using imgvisa::CondOp;
using imgvisa::ExprNode;
using imgvisa::ExprOp;
using imgvisa::Reads;

enum class Root { kCondition, kExpression };

// What WalkCondition or WalkExpression visits from one root, gathered as Reads.
Reads Walked(const imgvisa::RuleSet& rules, Root kind, int root) {
  Reads reads;
  std::vector<char> seen(rules.conditions.size(), 0);
  auto on_condition = [&](const CondNode& c) {
    if (c.op == CondOp::kPathway || c.op == CondOp::kItem) {
      reads.pathways.Insert(static_cast<std::uint16_t>(c.target));
    }
  };
  auto on_expression = [&](const ExprNode& e) {
    if (e.op == ExprOp::kFact) reads.facts.Insert(e.fact);
  };
  if (kind == Root::kCondition) {
    imgvisa::WalkCondition(rules, root, seen, on_condition, on_expression);
  } else {
    imgvisa::WalkExpression(rules, root, seen, on_condition, on_expression);
  }
  return reads;
}

}  // namespace

TEST_CASE("RuleReads gives what a walk of the graph visits, from every condition and expression") {
  const imgvisa::RuleSet* rules = imgvisa::EmbeddedRuleSet();
  REQUIRE(rules != nullptr);
  // One RuleReads for all roots, as its users ask: definitions worked out for an earlier root
  // are reused for later ones.
  imgvisa::RuleReads reads(*rules);
  std::size_t with_facts = 0, with_pathways = 0, refs_with_reads = 0;
  for (Root kind : {Root::kCondition, Root::kExpression}) {
    const std::size_t roots =
        kind == Root::kCondition ? rules->conditions.size() : rules->expressions.size();
    for (int root = 0; root < static_cast<int>(roots); ++root) {
      const Reads walked = Walked(*rules, kind, root);
      Reads got;
      if (kind == Root::kCondition) {
        reads.AddCondition(root, got);
      } else {
        reads.AddExpression(root, got);
      }
      INFO((kind == Root::kCondition ? "condition " : "expression ") << root);
      CHECK(got.facts == walked.facts);
      CHECK(got.pathways == walked.pathways);
      if (kind != Root::kCondition) continue;
      with_facts += !walked.facts.empty();
      with_pathways += !walked.pathways.empty();
      refs_with_reads += rules->conditions[static_cast<std::size_t>(root)].op == CondOp::kRef &&
                         !walked.facts.empty();
    }
  }
  // The embedded rules exercise both kinds of reads, through definitions.
  CHECK(with_facts > 500);
  CHECK(with_pathways >= 10);
  CHECK(refs_with_reads > 100);
}

TEST_CASE("RuleReads adds a definition's reads to what it is given, the second time too") {
  const imgvisa::RuleSet* rules = imgvisa::EmbeddedRuleSet();
  REQUIRE(rules != nullptr);
  int ref = -1;
  for (int c = 0; c < static_cast<int>(rules->conditions.size()) && ref < 0; ++c) {
    if (rules->conditions[static_cast<std::size_t>(c)].op == CondOp::kRef) ref = c;
  }
  REQUIRE(ref >= 0);
  imgvisa::RuleReads reads(*rules);
  Reads first, again;
  again.facts.Insert(1000);  // beyond every fact id: kept, not replaced
  reads.AddCondition(ref, first);
  reads.AddCondition(ref, again);
  // The second time the definition's reads come from the memo, merged into what was there.
  CHECK_FALSE(first.facts.empty());
  CHECK(again.facts.contains(1000));
  CHECK(again.facts.size() == first.facts.size() + 1);
  for (std::uint16_t f : first.facts) CHECK(again.facts.contains(f));
}

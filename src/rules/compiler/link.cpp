#include <fmt/format.h>

#include <algorithm>

#include "rules/compiler/compiler.h"

namespace imgvisa::compiler {
namespace {

// An item of another pathway can be looked for only once that pathway is compiled.
void CheckItemRefs(CompileContext& c) {
  for (const auto& ref : c.item_refs) {
    const Pathway& p = c.rules.pathways[static_cast<std::size_t>(ref.pathway)];
    const bool found = std::any_of(p.items.begin(), p.items.end(),
                                   [&](const Item& i) { return i.id == ref.item; });
    if (!found) {
      std::vector<std::string> ids;
      for (const Item& i : p.items) ids.push_back(i.id);
      c.Error("E022",
              WithSuggestion(fmt::format("pathway \"{}\" has no item \"{}\"", p.id,
                                         EscapeForDisplay(ref.item)),
                             ref.item, ids),
              ref.file, ref.pointer);
    }
  }
}

// Depth-first topological order of the pathways; a back edge is a reference cycle.
class EvaluationOrder {
 public:
  explicit EvaluationOrder(CompileContext& c) : c_(c), state_(c.rules.pathways.size(), 0) {}

  // Appends `p` to the order after everything it references; false on a cycle (reported).
  bool Visit(int p) {
    const auto at = static_cast<std::size_t>(p);
    if (state_[at] == 2) return true;
    if (state_[at] == 1) {
      ReportCycle(p);
      return false;
    }
    state_[at] = 1;
    stack_.push_back(p);
    for (int d : c_.pathway_deps[at]) {
      if (!Visit(d)) return false;
    }
    stack_.pop_back();
    state_[at] = 2;
    c_.rules.evaluation_order.push_back(p);
    return true;
  }

 private:
  void ReportCycle(int p) {
    const std::vector<Pathway>& pathways = c_.rules.pathways;
    std::vector<std::string> cycle;
    auto from = std::find(stack_.begin(), stack_.end(), p);
    for (auto it = from; it != stack_.end(); ++it)
      cycle.push_back(pathways[static_cast<std::size_t>(*it)].id);
    cycle.push_back(pathways[static_cast<std::size_t>(p)].id);
    const Origin& o = pathways[static_cast<std::size_t>(p)].origin;
    c_.diagnostics.push_back(Diagnostic{
        Severity::kError, "E023",
        fmt::format("pathways reference each other in a cycle: {}", fmt::join(cycle, " -> ")),
        c_.rules.files[o.file].name(), o.offset});
  }

  CompileContext& c_;
  std::vector<int> state_;  // by pathway: 0 not visited, 1 on the stack, 2 ordered
  std::vector<int> stack_;
};

// The manifest's "order" first, then the other pathways by id.
void PresentationOrder(CompileContext& c) {
  std::vector<bool> placed(c.rules.pathways.size(), false);
  if (c.order != nullptr) {
    for (std::size_t i = 0; i < c.order->size(); ++i) {
      const std::string pointer = AppendPointer("/ruleset/order", i);
      const json& id = (*c.order)[i];
      auto it = id.is_string() ? c.pathway_ids.find(id.get<std::string>()) : c.pathway_ids.end();
      if (it == c.pathway_ids.end()) {
        c.Error("E022",
                fmt::format("\"order\" names {}, which is no pathway of the set", id.dump()),
                c.order_file, pointer);
        continue;
      }
      if (placed[static_cast<std::size_t>(it->second)]) continue;
      placed[static_cast<std::size_t>(it->second)] = true;
      c.rules.presentation_order.push_back(static_cast<std::size_t>(it->second));
    }
  }
  for (const auto& [id, index] : c.pathway_ids) {  // std::map: by id
    if (!placed[static_cast<std::size_t>(index)]) {
      c.rules.presentation_order.push_back(static_cast<std::size_t>(index));
    }
  }
}

}  // namespace

void LinkPathways(CompileContext& c) {
  CheckItemRefs(c);
  EvaluationOrder order(c);
  for (std::size_t p = 0; p < c.rules.pathways.size(); ++p) {
    if (!order.Visit(static_cast<int>(p))) break;
  }
  PresentationOrder(c);
}

}  // namespace imgvisa::compiler

// The texts of items: the rule's text for the item's status, with the person's values (facts
// and the item's `let` expressions) written in.

#include <fmt/format.h>

#include "engine/pass.h"
#include "imgvisa/profile/display_value.h"

namespace imgvisa {
namespace {

using Pass = Evaluator::State::Pass;

}  // namespace

Value Pass::Operand::ToValue() const {
  if (ref != nullptr) return *ref;
  switch (kind) {
    case Value::Kind::kInteger:
      return Value::Integer(integer);
    case Value::Kind::kNumber:
      return Value::Number(number);
    case Value::Kind::kDate:
      return Value::OfDate(date());
    default:
      return Value();
  }
}

std::string Pass::ItemText(const Item& item, Outcome status) {
  std::vector<Operand> lets;
  lets.reserve(item.lets.size());
  for (const auto& let : item.lets) lets.push_back(Expr(let.second, nullptr));
  // A let that is unknown shows as such: why it is unknown is no part of the item's status.
  CutTo(0);
  if (status == Outcome::kMet) return Render(item.met_text, item, lets);
  if (status == Outcome::kUnmet) return Render(item.unmet_text, item, lets);
  if (item.unknown_text.present) return Render(item.unknown_text, item, lets);
  if (!Decides(item.kind)) return Render(item.met_text, item, lets);
  return fmt::format("Not enough information to decide: {}.", item.title);
}

std::string Pass::Render(const TextTemplate& text, const Item& item,
                         const std::vector<Operand>& lets) {
  std::string out;
  for (const auto& s : text.segments) {
    switch (s.kind) {
      case TextTemplate::Segment::Kind::kLiteral:
        out += s.literal;
        break;
      case TextTemplate::Segment::Kind::kFact: {
        const FactId id = static_cast<FactId>(s.index);
        out += DisplayValue(facts.values[id], &rules.dictionary.at(id));
        break;
      }
      case TextTemplate::Segment::Kind::kLet: {
        const Operand& v = lets[static_cast<std::size_t>(s.index)];
        const ExprNode& e = rules.expressions[static_cast<std::size_t>(
            item.lets[static_cast<std::size_t>(s.index)].second)];
        out += DisplayValue(
            v.ToValue(),
            e.enum_fact >= 0 ? &rules.dictionary.at(static_cast<FactId>(e.enum_fact)) : nullptr);
        break;
      }
    }
  }
  return out;
}

}  // namespace imgvisa

#include "imgvisa/evaluator.h"

#include <fmt/format.h>

#include <optional>

#include "imgvisa/rule_graph.h"

namespace imgvisa {

std::string_view VerdictName(VerdictKind kind) { return kVerdictNames[static_cast<int>(kind)]; }
bool IsOpen(VerdictKind kind) {
  return kind == VerdictKind::kEligible || kind == VerdictKind::kConditional;
}

namespace {

// An expression's value, or unknown with the reasons.
struct Evaluated {
  Value value;
  Missing missing;
};

using Record = Value::Record;

class Evaluator {
 public:
  Evaluator(const RuleSet& rules, const Facts& facts, Date as_of,
            const EvaluateOptions& options = {})
      : rules_(rules),
        facts_(facts),
        as_of_(as_of),
        options_(options),
        verdicts_(rules.pathways.size()),
        definitions_(rules.conditions.size()) {}

  std::vector<Verdict> Run() {
    for (int p : rules_.evaluation_order) {
      const auto index = static_cast<std::size_t>(p);
      if (!options_.only || (*options_.only)[index]) EvaluatePathway(index);
    }
    return std::move(verdicts_);
  }

  Truth Condition(int index) { return Cond(index, nullptr); }

 private:
  Evaluated Expr(int index, const Record* record) {
    const ExprNode& e = rules_.expressions[static_cast<std::size_t>(index)];
    switch (e.op) {
      case ExprOp::kLiteral:
        return {e.literal, {}};
      case ExprOp::kFact: {
        const Value& v = facts_.values[e.fact];
        if (v.known()) return {v, {}};
        Evaluated out;
        out.missing.AddFact(e.fact);
        return out;
      }
      case ExprOp::kField: {
        const FactDecl& decl = rules_.dictionary.at(e.fact);
        if (record != nullptr && (*record)[decl.field_index].known()) {
          return {(*record)[decl.field_index], {}};
        }
        Evaluated out;
        out.missing.AddFact(e.fact);
        return out;
      }
      case ExprOp::kAsOf:
        return {Value::OfDate(as_of_), {}};
      case ExprOp::kCount:
      case ExprOp::kSum:
        return Aggregate(e, record);
      case ExprOp::kCoalesce: {
        Evaluated out;
        for (int a : e.args) {
          Evaluated v = Expr(a, record);
          if (v.value.known()) return v;
          out.missing.Merge(v.missing);
        }
        return out;
      }
      default:
        break;
    }
    Evaluated a = Expr(e.args[0], record);
    Evaluated b = Expr(e.args[1], record);
    if (!a.value.known() || !b.value.known()) {
      a.value = Value();
      a.missing.Merge(b.missing);
      return a;
    }
    switch (e.op) {
      case ExprOp::kMonthsBetween:
        return {Value::Integer(MonthsBetween(a.value.date(), b.value.date())), {}};
      case ExprOp::kDaysBetween:
        return {Value::Integer(static_cast<std::int64_t>(b.value.date().days()) -
                               a.value.date().days()),
                {}};
      case ExprOp::kAddMonths:
        return {Value::OfDate(a.value.date().AddMonths(b.value.integer)), {}};
      case ExprOp::kAddDays:
        return {Value::OfDate(a.value.date().AddDays(b.value.integer)), {}};
      case ExprOp::kAdd:
      case ExprOp::kSub: {
        const bool add = e.op == ExprOp::kAdd;
        if (e.type == ValueType::kInteger) {
          return {Value::Integer(add ? a.value.integer + b.value.integer
                                     : a.value.integer - b.value.integer),
                  {}};
        }
        const double x = a.value.AsNumber(), y = b.value.AsNumber();
        return {Value::Number(add ? x + y : x - y), {}};
      }
      default:
        return {};
    }
  }

  Evaluated Aggregate(const ExprNode& e, const Record* outer) {
    (void)outer;
    const Value& list = facts_.values[e.fact];
    Evaluated out;
    if (!list.known()) {
      out.missing.AddFact(e.fact);
      return out;
    }
    std::int64_t count = 0;
    std::int64_t int_sum = 0;
    double sum = 0;
    bool unknown = false;
    for (const Record& r : *list.records) {
      if (e.where >= 0) {
        Truth t = Cond(e.where, &r);
        if (t.outcome == Outcome::kUnmet) continue;
        if (t.outcome == Outcome::kUnknown) {
          unknown = true;
          out.missing.Merge(t.missing);
          continue;
        }
      }
      ++count;
      if (e.op == ExprOp::kSum) {
        Evaluated v = Expr(e.of, &r);
        if (!v.value.known()) {
          unknown = true;
          out.missing.Merge(v.missing);
          continue;
        }
        int_sum += v.value.integer;
        sum += v.value.AsNumber();
      }
    }
    if (unknown) return out;
    if (e.op == ExprOp::kCount) return {Value::Integer(count), {}};
    if (e.type == ValueType::kInteger) return {Value::Integer(int_sum), {}};
    return {Value::Number(sum), {}};
  }

  static int Compare(const Value& a, const Value& b) {
    if (a.kind == Value::Kind::kNumber || b.kind == Value::Kind::kNumber) {
      const double x = a.AsNumber(), y = b.AsNumber();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    switch (a.kind) {
      case Value::Kind::kString:
        return a.string.compare(b.string) < 0 ? -1 : a.string == b.string ? 0 : 1;
      case Value::Kind::kBool:
        return static_cast<int>(a.boolean) - static_cast<int>(b.boolean);
      default:
        return a.integer < b.integer ? -1 : a.integer > b.integer ? 1 : 0;
    }
  }

  static bool Holds(CompareOp op, int c) {
    switch (op) {
      case CompareOp::kEq:
        return c == 0;
      case CompareOp::kNe:
        return c != 0;
      case CompareOp::kLt:
        return c < 0;
      case CompareOp::kLe:
        return c <= 0;
      case CompareOp::kGt:
        return c > 0;
      case CompareOp::kGe:
        return c >= 0;
    }
    return false;
  }

  static Truth FromBool(bool b) { return b ? Truth::Met() : Truth::Unmet(); }

  static Truth Unknown(Missing missing) { return Truth{Outcome::kUnknown, std::move(missing)}; }

  Truth Cond(int index, const Record* record) {
    const CondNode& c = rules_.conditions[static_cast<std::size_t>(index)];
    switch (c.op) {
      case CondOp::kAll: {
        Truth acc = Truth::Met();
        for (int child : c.children) {
          acc = And(std::move(acc), Cond(child, record));
          if (acc.outcome == Outcome::kUnmet) return acc;
        }
        return acc;
      }
      case CondOp::kAny: {
        Truth acc = Truth::Unmet();
        for (int child : c.children) {
          acc = Or(std::move(acc), Cond(child, record));
          if (acc.outcome == Outcome::kMet) return acc;
        }
        return acc;
      }
      case CondOp::kNot:
        return Not(Cond(c.children[0], record));
      case CondOp::kRef: {
        // A definition is shared by many items of many pathways; outside a record its value
        // depends only on the profile and the date, so it is worked out once per profile.
        if (record) return Cond(c.children[0], record);
        std::optional<Truth>& known = definitions_[static_cast<std::size_t>(c.children[0])];
        if (!known) known = Cond(c.children[0], nullptr);
        return *known;
      }
      case CondOp::kCompare: {
        Evaluated a = Expr(c.lhs, record);
        Evaluated b = Expr(c.rhs, record);
        if (!a.value.known() || !b.value.known()) {
          a.missing.Merge(b.missing);
          return Unknown(std::move(a.missing));
        }
        return FromBool(Holds(c.compare, Compare(a.value, b.value)));
      }
      case CondOp::kIn: {
        Evaluated a = Expr(c.lhs, record);
        if (!a.value.known()) return Unknown(std::move(a.missing));
        for (const Value& v : c.set) {
          if (Compare(a.value, v) == 0) return Truth::Met();
        }
        return Truth::Unmet();
      }
      case CondOp::kOverlaps: {
        Evaluated a = Expr(c.lhs, record);
        if (!a.value.known()) return Unknown(std::move(a.missing));
        for (const Value& item : *a.value.list) {
          for (const Value& v : c.set) {
            if (Compare(item, v) == 0) return Truth::Met();
          }
        }
        return Truth::Unmet();
      }
      case CondOp::kWithin: {
        // Every element is one of the values; an empty list is not within anything.
        Evaluated a = Expr(c.lhs, record);
        if (!a.value.known()) return Unknown(std::move(a.missing));
        if (a.value.list->empty()) return Truth::Unmet();
        for (const Value& item : *a.value.list) {
          bool found = false;
          for (const Value& v : c.set) found = found || Compare(item, v) == 0;
          if (!found) return Truth::Unmet();
        }
        return Truth::Met();
      }
      case CondOp::kExists:
        return FromBool(Expr(c.lhs, record).value.known());
      case CondOp::kSome:
      case CondOp::kEvery: {
        const Value& list = facts_.values[c.list];
        if (!list.known()) {
          Missing m;
          m.AddFact(c.list);
          return Unknown(std::move(m));
        }
        const bool some = c.op == CondOp::kSome;
        Truth acc = some ? Truth::Unmet() : Truth::Met();
        for (const Record& r : *list.records) {
          Truth t = Cond(c.children[0], &r);
          acc = some ? Or(std::move(acc), t) : And(std::move(acc), t);
          if (acc.outcome == (some ? Outcome::kMet : Outcome::kUnmet)) return acc;
        }
        return acc;
      }
      case CondOp::kPathway: {
        const Verdict& v = verdicts_[static_cast<std::size_t>(c.target)];
        if (c.accept & (1u << static_cast<int>(v.kind))) return Truth::Met();
        if (v.kind == VerdictKind::kUndetermined) return Unknown(v.missing);
        return Truth::Unmet();
      }
      case CondOp::kItem: {
        const ItemResult* found = FindItem(static_cast<std::size_t>(c.target), c.item_id);
        // Status bits: met 0, unmet 1, unknown 2, inactive 3.
        const int bit = found == nullptr                   ? 3
                        : found->status == Outcome::kMet   ? 0
                        : found->status == Outcome::kUnmet ? 1
                                                           : 2;
        if (c.accept & (1u << bit)) return Truth::Met();
        if (bit == 2) return Unknown(found->missing);
        return Truth::Unmet();
      }
      case CondOp::kUnsettled: {
        Missing m;
        m.AddUnsettled(static_cast<std::uint16_t>(c.target));
        return Unknown(std::move(m));
      }
    }
    return Truth{};
  }

  const ItemResult* FindItem(std::size_t pathway, const std::string& id) {
    const Verdict& v = verdicts_[pathway];
    const auto& items = rules_.pathways[pathway].items;
    for (const ItemResult& r : v.items) {
      if (items[r.item].id == id) return &r;
    }
    return nullptr;
  }

  std::string Render(const TextTemplate& text, const Item& item,
                     const std::vector<Evaluated>& lets) {
    std::string out;
    for (const auto& s : text.segments) {
      switch (s.kind) {
        case TextTemplate::Segment::Kind::kLiteral:
          out += s.literal;
          break;
        case TextTemplate::Segment::Kind::kFact: {
          const FactId id = static_cast<FactId>(s.index);
          out += DisplayValue(facts_.values[id], &rules_.dictionary.at(id));
          break;
        }
        case TextTemplate::Segment::Kind::kLet: {
          const Evaluated& v = lets[static_cast<std::size_t>(s.index)];
          const ExprNode& e = rules_.expressions[static_cast<std::size_t>(
              item.lets[static_cast<std::size_t>(s.index)].second)];
          out += DisplayValue(v.value, e.enum_fact >= 0
                                           ? &rules_.dictionary.at(static_cast<FactId>(e.enum_fact))
                                           : nullptr);
          break;
        }
      }
    }
    return out;
  }

  std::string ItemText(const Item& item, Outcome status, const std::vector<Evaluated>& lets) {
    if (status == Outcome::kMet) return Render(item.met_text, item, lets);
    if (status == Outcome::kUnmet) return Render(item.unmet_text, item, lets);
    if (item.unknown_text.present) return Render(item.unknown_text, item, lets);
    if (!Decides(item.kind)) return Render(item.met_text, item, lets);
    return fmt::format("Not enough information to decide: {}.", item.title);
  }

  void EvaluatePathway(std::size_t index) {
    const Pathway& pathway = rules_.pathways[index];
    Verdict& verdict = verdicts_[index];
    verdict.pathway = index;
    if (!pathway.effective.Contains(as_of_)) {
      verdict.in_force = false;
      verdict.kind = VerdictKind::kNotApplicable;
      return;
    }
    for (std::size_t i = 0; i < pathway.items.size(); ++i) {
      const Item& item = pathway.items[i];
      if (!item.effective.Contains(as_of_)) continue;
      ItemResult r;
      r.item = i;
      Truth t = item.condition >= 0 ? Cond(item.condition, nullptr) : Truth::Met();
      r.status = t.outcome;
      r.missing = std::move(t.missing);
      // A note or consequence shows when it applies; when that is unknown, only if the rule
      // says what to tell the person then.
      r.shown = Decides(item.kind) || r.status == Outcome::kMet ||
                (r.status == Outcome::kUnknown && item.unknown_text.present);
      if (options_.texts) {
        std::vector<Evaluated> lets;
        lets.reserve(item.lets.size());
        for (const auto& let : item.lets) lets.push_back(Expr(let.second, nullptr));
        r.text = ItemText(item, r.status, lets);
      }
      verdict.items.push_back(std::move(r));
    }
    Decide(verdict);
  }

  // Applies the precedence of docs/rule-language.md.
  void Decide(Verdict& v) {
    const auto& items = rules_.pathways[v.pathway].items;
    auto select = [&](ItemKind kind, Outcome status) {
      std::vector<std::size_t> out;
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (items[v.items[i].item].kind == kind && v.items[i].status == status) out.push_back(i);
      }
      return out;
    };
    auto join = [](std::vector<std::size_t> a, const std::vector<std::size_t>& b) {
      a.insert(a.end(), b.begin(), b.end());
      std::sort(a.begin(), a.end());
      return a;
    };
    auto finish = [&](VerdictKind kind, std::vector<std::size_t> decisive) {
      v.kind = kind;
      v.decisive = std::move(decisive);
      // Nothing is worth asking about a pathway that does not concern the person.
      if (kind == VerdictKind::kNotApplicable) return;
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (Decides(items[v.items[i].item].kind) && v.items[i].status == Outcome::kUnknown) {
          v.missing.Merge(v.items[i].missing);
        }
      }
    };
    if (auto gates = select(ItemKind::kGate, Outcome::kUnmet); !gates.empty()) {
      return finish(VerdictKind::kNotApplicable, gates);
    }
    if (auto gates = select(ItemKind::kGate, Outcome::kUnknown); !gates.empty()) {
      return finish(VerdictKind::kUndetermined, gates);
    }
    if (auto unmet = select(ItemKind::kRequirement, Outcome::kUnmet); !unmet.empty()) {
      return finish(VerdictKind::kIneligible, unmet);
    }
    if (auto blocked = select(ItemKind::kRestriction, Outcome::kUnmet); !blocked.empty()) {
      return finish(VerdictKind::kBlocked, blocked);
    }
    auto unknown = join(select(ItemKind::kRequirement, Outcome::kUnknown),
                        select(ItemKind::kRestriction, Outcome::kUnknown));
    if (!unknown.empty()) return finish(VerdictKind::kUndetermined, unknown);
    auto pending = join(select(ItemKind::kCondition, Outcome::kUnmet),
                        select(ItemKind::kCondition, Outcome::kUnknown));
    if (!pending.empty()) return finish(VerdictKind::kConditional, pending);
    finish(VerdictKind::kEligible, {});
  }

  const RuleSet& rules_;
  const Facts& facts_;
  Date as_of_;
  EvaluateOptions options_;
  std::vector<Verdict> verdicts_;
  std::vector<std::optional<Truth>> definitions_;  ///< by condition index, for kRef targets
};

}  // namespace

std::vector<Verdict> Evaluate(const RuleSet& rules, const Facts& facts, Date as_of,
                              const EvaluateOptions& options) {
  return Evaluator(rules, facts, as_of, options).Run();
}

std::vector<char> PathwaysNeededBy(const RuleSet& rules, std::size_t pathway) {
  std::vector<char> needed(rules.pathways.size(), 0);
  std::vector<char> seen(rules.conditions.size(), 0);
  std::vector<std::size_t> pending = {pathway};
  needed[pathway] = 1;
  while (!pending.empty()) {
    const std::size_t p = pending.back();
    pending.pop_back();
    std::vector<std::size_t> found;
    auto on_condition = [&](const CondNode& c) {
      if (c.op == CondOp::kPathway || c.op == CondOp::kItem) {
        found.push_back(static_cast<std::size_t>(c.target));
      }
    };
    auto on_expression = [](const ExprNode&) {};
    for (const Item& item : rules.pathways[p].items) {
      if (item.condition >= 0) {
        WalkCondition(rules, item.condition, seen, on_condition, on_expression);
      }
      for (const auto& let : item.lets) {
        WalkExpression(rules, let.second, seen, on_condition, on_expression);
      }
    }
    for (std::size_t q : found) {
      if (!needed[q]) {
        needed[q] = 1;
        pending.push_back(q);
      }
    }
  }
  return needed;
}

Truth EvaluateCondition(const RuleSet& rules, int condition, const Facts& facts, Date as_of) {
  return Evaluator(rules, facts, as_of).Condition(condition);
}

}  // namespace imgvisa

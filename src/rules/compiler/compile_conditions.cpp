#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "imgvisa/engine/verdict.h"
#include "rules/compiler/compiler.h"

namespace imgvisa::compiler {
namespace {

constexpr const char* kConditionOps[] = {"all",      "any",    "not",       "eq",     "ne",
                                         "lt",       "le",     "gt",        "ge",     "in",
                                         "overlaps", "exists", "some",      "every",  "ref",
                                         "pathway",  "item",   "unsettled", "within", "disjoint"};

// {"all": [...]} or {"any": [...]}.
int CompileJunction(CompileContext& c, const std::string& op, const json& arg, Scope& scope,
                    const std::string& ap) {
  CondNode node;
  node.op = op == "all" ? CondOp::kAll : CondOp::kAny;
  if (!arg.is_array() || arg.empty()) {
    c.Error("E011", fmt::format("\"{}\" takes a non-empty array of conditions", op), scope.file,
            ap);
    return -1;
  }
  bool ok = true;
  for (std::size_t i = 0; i < arg.size(); ++i) {
    const int child = CompileCondition(c, arg[i], scope, AppendPointer(ap, i));
    ok = ok && child >= 0;
    node.children.push_back(child);
  }
  return ok ? c.AddCondition(std::move(node)) : -1;
}

int CompileComparison(CompileContext& c, const json& arg, CompareOp cmp, const std::string& op,
                      Scope& scope, const std::string& pointer) {
  const std::uint16_t f = scope.file;
  if (!arg.is_array() || arg.size() != 2) {
    c.Error("E011", fmt::format("\"{}\" takes an array of two operands", op), f, pointer);
    return -1;
  }
  const std::string p0 = AppendPointer(pointer, 0), p1 = AppendPointer(pointer, 1);
  Typed lhs, rhs;
  if (IsLiteral(arg[0]) && IsLiteral(arg[1])) {
    c.Error("E024", "a comparison of two literals is constant; compare a fact or an expression", f,
            pointer);
    return -1;
  }
  if (IsLiteral(arg[1])) {
    lhs = CompileExpr(c, arg[0], scope, p0, {});
    if (!lhs.ok()) return -1;
    auto v = Coerce(c, arg[1], lhs, f, p1);
    if (!v) return -1;
    rhs = LiteralExpr(c, std::move(*v), lhs);
  } else if (IsLiteral(arg[0])) {
    rhs = CompileExpr(c, arg[1], scope, p1, {});
    if (!rhs.ok()) return -1;
    auto v = Coerce(c, arg[0], rhs, f, p0);
    if (!v) return -1;
    lhs = LiteralExpr(c, std::move(*v), rhs);
  } else {
    lhs = CompileExpr(c, arg[0], scope, p0, {});
    rhs = CompileExpr(c, arg[1], scope, p1, {});
    if (!lhs.ok() || !rhs.ok()) return -1;
  }
  const bool ordering = cmp != CompareOp::kEq && cmp != CompareOp::kNe;
  bool fits = false;
  if (IsNumeric(lhs.type) && IsNumeric(rhs.type)) {
    fits = true;
  } else if (lhs.type == rhs.type) {
    switch (lhs.type) {
      case ValueType::kDate:
        fits = true;
        break;
      case ValueType::kBool:
      case ValueType::kString:
      case ValueType::kCountry:
        fits = !ordering;
        break;
      case ValueType::kEnum:
        fits = !ordering && (lhs.enum_fact == rhs.enum_fact ||
                             c.rules.dictionary.at(static_cast<FactId>(lhs.enum_fact)).values ==
                                 c.rules.dictionary.at(static_cast<FactId>(rhs.enum_fact)).values);
        break;
      default:
        fits = false;
    }
  }
  if (!fits) {
    c.Error(
        "E024",
        fmt::format("\"{}\" cannot compare {} with {}{}", op, ValueTypeName(lhs.type),
                    ValueTypeName(rhs.type),
                    ordering && lhs.type == rhs.type ? " (only eq and ne apply to this type)" : ""),
        f, pointer);
    return -1;
  }
  CondNode node;
  node.op = CondOp::kCompare;
  node.compare = cmp;
  node.lhs = lhs.index;
  node.rhs = rhs.index;
  return c.AddCondition(std::move(node));
}

// `{"in": [a, {"fact": "list"}]}`: `a` is one of the elements of a list-of-scalars fact, such
// as a country among the person's citizenships.
int CompileInList(CompileContext& c, const json& arg, Scope& scope, const std::string& pointer) {
  const std::uint16_t f = scope.file;
  const std::string p0 = AppendPointer(pointer, 0), lp = AppendPointer(pointer, 1);
  Typed lhs;
  if (!IsLiteral(arg[0])) {
    lhs = CompileExpr(c, arg[0], scope, p0, {});
    if (!lhs.ok()) return -1;
  }
  Typed list = CompileExpr(c, arg[1], scope, lp, {});
  if (!list.ok()) return -1;
  const FactDictionary& dictionary = c.rules.dictionary;
  const ExprNode& e = c.rules.expressions[static_cast<std::size_t>(list.index)];
  if (e.op != ExprOp::kFact || !dictionary.at(e.fact).item_type) {
    c.Error("E024", "the list of \"in\" must be a fact that is a list of scalars", f, lp);
    return -1;
  }
  const FactId list_fact = e.fact;
  const FactDecl& decl = dictionary.at(list_fact);
  if (IsLiteral(arg[0])) {
    // A literal takes the type of the list's elements, as it takes the other operand's
    // elsewhere: a country code is checked against the table.
    lhs = CompileExpr(c, arg[0], scope, p0, Typed{0, *decl.item_type, static_cast<int>(list_fact)});
    if (!lhs.ok()) return -1;
  }
  if (lhs.type == ValueType::kList) {
    c.Error("E024", "\"in\" needs a scalar operand; use \"overlaps\" for a list", f, p0);
    return -1;
  }
  // Elements are matched as values of one type; enums only with the same values, since one
  // value's index means another value in another enum.
  const bool same_enum = lhs.type != ValueType::kEnum ||
                         (lhs.enum_fact >= 0 &&
                          dictionary.at(static_cast<FactId>(lhs.enum_fact)).values == decl.values);
  if (lhs.type != *decl.item_type || !same_enum) {
    c.Error("E024",
            fmt::format("\"in\" compares {} values with the elements of {}, a list of {}",
                        ValueTypeName(lhs.type), decl.path, ValueTypeName(*decl.item_type)),
            f, pointer);
    return -1;
  }
  CondNode node;
  node.op = CondOp::kInList;
  node.lhs = lhs.index;
  node.rhs = list.index;
  return c.AddCondition(std::move(node));
}

// "in", "overlaps" and "within" with literal values.
int CompileMembership(CompileContext& c, const json& arg, const std::string& op, Scope& scope,
                      const std::string& pointer) {
  const std::uint16_t f = scope.file;
  if (op == "in" && arg.is_array() && arg.size() == 2 && arg[1].is_object()) {
    return CompileInList(c, arg, scope, pointer);
  }
  if (!arg.is_array() || arg.size() != 2 || !arg[1].is_array()) {
    c.Error("E011",
            fmt::format("\"{}\" takes [operand, [value, ...]]{}", op,
                        op == "in" ? " or [operand, list]" : ""),
            f, pointer);
    return -1;
  }
  Typed lhs = CompileExpr(c, arg[0], scope, AppendPointer(pointer, 0), {});
  if (!lhs.ok()) return -1;
  Typed element = lhs;
  if (op != "in") {
    const ExprNode& e = c.rules.expressions[static_cast<std::size_t>(lhs.index)];
    const bool scalar_list = e.op == ExprOp::kFact && c.rules.dictionary.at(e.fact).item_type;
    if (!scalar_list) {
      c.Error("E024", fmt::format("\"{}\" needs a fact that is a list of scalars", op), f,
              AppendPointer(pointer, 0));
      return -1;
    }
    element.type = *c.rules.dictionary.at(e.fact).item_type;
    element.enum_fact = e.fact;
  } else if (lhs.type == ValueType::kList) {
    c.Error("E024", "\"in\" needs a scalar operand; use \"overlaps\" for a list", f,
            AppendPointer(pointer, 0));
    return -1;
  }
  CondNode node;
  node.op = op == "in" ? CondOp::kIn : op == "overlaps" ? CondOp::kOverlaps : CondOp::kWithin;
  node.lhs = lhs.index;
  const std::string vp = AppendPointer(pointer, 1);
  if (arg[1].empty()) c.Error("E013", fmt::format("\"{}\" needs at least one value", op), f, vp);
  for (std::size_t i = 0; i < arg[1].size(); ++i) {
    if (!IsLiteral(arg[1][i])) {
      c.Error("E011", fmt::format("the values of \"{}\" must be literals", op), f,
              AppendPointer(vp, i));
      return -1;
    }
    auto v = Coerce(c, arg[1][i], element, f, AppendPointer(vp, i));
    if (!v) return -1;
    node.set.push_back(std::move(*v));
  }
  return c.AddCondition(std::move(node));
}

// {"some": {"list", "where"}} or {"every": {"list", "where"}}.
int CompileQuantifier(CompileContext& c, const std::string& op, const json& arg, const Scope& scope,
                      const std::string& ap) {
  const std::uint16_t f = scope.file;
  if (!arg.is_object()) {
    c.Error("E011", fmt::format("\"{}\" takes {{\"list\": ..., \"where\": ...}}", op), f, ap);
    return -1;
  }
  c.CheckKeys(arg, {"list", "where"}, f, ap, fmt::format("\"{}\"", op));
  auto list = ListFact(c, arg, scope, ap);
  const json* where =
      c.Member(arg, "where", json::value_t::object, true, f, ap, fmt::format("\"{}\"", op));
  if (!list || where == nullptr) return -1;
  Scope inner = scope;
  inner.list = *list;
  const int child = CompileCondition(c, *where, inner, AppendPointer(ap, "where"));
  if (child < 0) return -1;
  CondNode node;
  node.op = op == "some" ? CondOp::kSome : CondOp::kEvery;
  node.list = *list;
  node.children.push_back(child);
  return c.AddCondition(std::move(node));
}

// {"disjoint": {"list": ..., "where": ..., "from": d1, "to": d2}}: lhs and rhs are the
// period's ends, evaluated per record like the `of` of a sum.
int CompileDisjoint(CompileContext& c, const json& arg, const Scope& scope, const std::string& ap) {
  const std::uint16_t f = scope.file;
  if (!arg.is_object()) {
    c.Error("E011", "\"disjoint\" takes {\"list\": ..., \"from\": ..., \"to\": ...}", f, ap);
    return -1;
  }
  c.CheckKeys(arg, {"list", "where", "from", "to"}, f, ap, "\"disjoint\"");
  auto list = ListFact(c, arg, scope, ap);
  if (!list) return -1;
  Scope inner = scope;
  inner.list = *list;
  CondNode node;
  node.op = CondOp::kDisjoint;
  node.list = *list;
  if (auto it = arg.find("where"); it != arg.end()) {
    const int where = CompileCondition(c, *it, inner, AppendPointer(ap, "where"));
    if (where < 0) return -1;
    node.children.push_back(where);
  }
  for (auto [end, index] : {std::pair{"from", &node.lhs}, std::pair{"to", &node.rhs}}) {
    auto it = arg.find(end);
    if (it == arg.end()) {
      c.Error("E012", fmt::format("\"disjoint\" needs \"{}\"", end), f, ap);
      return -1;
    }
    Typed t = CompileExpr(c, *it, inner, AppendPointer(ap, end), Typed{0, ValueType::kDate});
    if (!t.ok()) return -1;
    if (t.type != ValueType::kDate) {
      c.Error("E024",
              fmt::format("\"disjoint\" takes dates in \"{}\", not {}", end, ValueTypeName(t.type)),
              f, AppendPointer(ap, end));
      return -1;
    }
    *index = t.index;
  }
  return c.AddCondition(std::move(node));
}

// {"ref": name}: a definition, compiled on first use; what it depends on becomes the caller's.
int CompileRef(CompileContext& c, const json& arg, Scope& scope, const std::string& ap) {
  const std::uint16_t f = scope.file;
  if (!arg.is_string()) {
    c.Error("E011", "\"ref\" takes the name of a definition", f, ap);
    return -1;
  }
  const std::string name = arg.get<std::string>();
  auto it = c.pending_definitions.find(name);
  if (it == c.pending_definitions.end()) {
    std::vector<std::string> names;
    for (const auto& [n, d] : c.pending_definitions) names.push_back(n);
    c.Error("E022",
            WithSuggestion(fmt::format("no definition named \"{}\"", EscapeForDisplay(name)), name,
                           names),
            f, ap);
    return -1;
  }
  const int definition = CompileDefinition(c, name);
  if (definition == -2) {
    c.Error("E023", fmt::format("definition \"{}\" refers to itself through \"ref\"", name), f, ap);
    return -1;
  }
  if (definition < 0) return -1;
  if (scope.deps) {
    const auto& deps = c.pending_definitions[name].deps;
    scope.deps->insert(deps.begin(), deps.end());
  }
  CondNode node;
  node.op = CondOp::kRef;
  node.children.push_back(definition);
  return c.AddCondition(std::move(node));
}

// {"pathway": id, "is": [verdicts]} or {"item": "pathway/item", "is": [statuses]}.
int CompileReference(CompileContext& c, const json& j, const std::string& op, Scope& scope,
                     const std::string& pointer) {
  const std::uint16_t f = scope.file;
  const std::string ap = AppendPointer(pointer, op);
  if (!j[op].is_string()) {
    c.Error("E011", fmt::format("\"{}\" takes a string", op), f, ap);
    return -1;
  }
  const json* is = c.Member(j, "is", json::value_t::array, true, f, pointer,
                            fmt::format("a \"{}\" reference", op));
  if (is == nullptr) return -1;
  const std::string target = j[op].get<std::string>();
  CondNode node;
  std::string pathway_id = target;
  if (op == "item") {
    const std::size_t slash = target.find('/');
    if (slash == std::string::npos) {
      c.Error("E013", "\"item\" takes \"pathway-id/item-id\"", f, ap);
      return -1;
    }
    pathway_id = target.substr(0, slash);
    node.item_id = target.substr(slash + 1);
  }
  auto p = c.pathway_ids.find(pathway_id);
  if (p == c.pathway_ids.end()) {
    std::vector<std::string> ids;
    for (const auto& [id, index] : c.pathway_ids) ids.push_back(id);
    c.Error("E022",
            WithSuggestion(fmt::format("no pathway with id \"{}\"", EscapeForDisplay(pathway_id)),
                           pathway_id, ids),
            f, ap);
    return -1;
  }
  node.target = p->second;
  const std::vector<std::string> words =
      op == "pathway" ? std::vector<std::string>(std::begin(kVerdictNames), std::end(kVerdictNames))
                      : std::vector<std::string>{"met", "unmet", "unknown", "inactive"};
  for (std::size_t i = 0; i < is->size(); ++i) {
    const std::string ip = AppendPointer(AppendPointer(pointer, "is"), i);
    const json& w = (*is)[i];
    auto it =
        w.is_string() ? std::find(words.begin(), words.end(), w.get<std::string>()) : words.end();
    if (it == words.end()) {
      const std::string s = w.is_string() ? w.get<std::string>() : w.dump();
      c.Error("E026",
              WithSuggestion(fmt::format("\"{}\" is not one of: {}", EscapeForDisplay(s),
                                         fmt::join(words, ", ")),
                             s, words),
              f, ip);
      return -1;
    }
    node.accept |= static_cast<std::uint8_t>(1u << (it - words.begin()));
  }
  if (is->empty())
    c.Error("E013", "\"is\" needs at least one value", f, AppendPointer(pointer, "is"));
  if (op == "pathway") {
    node.op = CondOp::kPathway;
  } else {
    node.op = CondOp::kItem;
    if (node.target == scope.pathway) {
      // Items of one pathway are evaluated in order; only earlier ones can be read.
      const auto& items = c.rules.pathways[static_cast<std::size_t>(scope.pathway)].items;
      const bool earlier =
          std::any_of(items.begin(),
                      items.begin() + static_cast<long>(std::min(scope.item_count, items.size())),
                      [&](const Item& i) { return i.id == node.item_id; });
      if (!earlier) {
        c.Error("E023",
                fmt::format("item \"{}\" is not an earlier item of this pathway; an item can "
                            "read only items listed before it",
                            node.item_id),
                f, ap);
        return -1;
      }
      return c.AddCondition(std::move(node));
    }
    c.item_refs.push_back({node.target, node.item_id, f, ap});
  }
  if (scope.deps) scope.deps->insert(node.target);
  return c.AddCondition(std::move(node));
}

// {"unsettled": {"id", "reason", "decides"}}: the same id twice is one point, if worded alike.
int CompileUnsettled(CompileContext& c, const json& arg, std::uint16_t f, const std::string& ap) {
  if (!arg.is_object()) {
    c.Error("E011", "\"unsettled\" takes {\"id\", \"reason\", \"decides\"}", f, ap);
    return -1;
  }
  c.CheckKeys(arg, {"id", "reason", "decides"}, f, ap, "\"unsettled\"");
  Unsettled u;
  u.id = c.StringMember(arg, "id", true, f, ap, "\"unsettled\"");
  u.reason = c.StringMember(arg, "reason", true, f, ap, "\"unsettled\"");
  u.decides = c.StringMember(arg, "decides", true, f, ap, "\"unsettled\"");
  CondNode node;
  node.op = CondOp::kUnsettled;
  std::vector<Unsettled>& unsettled = c.rules.unsettled;
  auto same = std::find_if(unsettled.begin(), unsettled.end(),
                           [&](const Unsettled& x) { return x.id == u.id; });
  if (same != unsettled.end()) {
    if (same->reason != u.reason || same->decides != u.decides) {
      c.Error("E020",
              fmt::format("unsettled point \"{}\" is described twice with different words; "
                          "give the second one its own id",
                          u.id),
              f, AppendPointer(ap, "id"));
    }
    node.target = static_cast<int>(same - unsettled.begin());
  } else {
    node.target = static_cast<int>(unsettled.size());
    unsettled.push_back(std::move(u));
  }
  return c.AddCondition(std::move(node));
}

}  // namespace

int CompileCondition(CompileContext& c, const json& j, Scope& scope, const std::string& pointer) {
  const std::uint16_t f = scope.file;
  if (!j.is_object()) {
    c.Error("E011", fmt::format("a condition must be an object, not {}", JsonTypeName(j)), f,
            pointer);
    return -1;
  }
  static const std::vector<std::string> ops(std::begin(kConditionOps), std::end(kConditionOps));
  auto op = c.OperatorOf(j, f, pointer, ops, "condition", {"is"});
  if (!op) return -1;
  const json& arg = j[*op];
  const std::string ap = AppendPointer(pointer, *op);
  if (*op != "pathway" && *op != "item" && j.contains("is")) {
    c.Error("E010", "\"is\" belongs only with \"pathway\" and \"item\"", f,
            AppendPointer(pointer, "is"), true);
  }
  if (*op == "all" || *op == "any") return CompileJunction(c, *op, arg, scope, ap);
  if (*op == "not") {
    const int child = CompileCondition(c, arg, scope, ap);
    if (child < 0) return -1;
    CondNode node;
    node.op = CondOp::kNot;
    node.children.push_back(child);
    return c.AddCondition(std::move(node));
  }
  static const std::map<std::string, CompareOp> kCompare = {
      {"eq", CompareOp::kEq}, {"ne", CompareOp::kNe}, {"lt", CompareOp::kLt},
      {"le", CompareOp::kLe}, {"gt", CompareOp::kGt}, {"ge", CompareOp::kGe}};
  if (auto cmp = kCompare.find(*op); cmp != kCompare.end()) {
    return CompileComparison(c, arg, cmp->second, *op, scope, ap);
  }
  if (*op == "in" || *op == "overlaps" || *op == "within") {
    return CompileMembership(c, arg, *op, scope, ap);
  }
  if (*op == "exists") {
    Typed t = arg.is_string() ? CompileExpr(c, json{{"fact", arg}}, scope, ap, {})
                              : CompileExpr(c, arg, scope, ap, {});
    if (!t.ok()) return -1;
    CondNode node;
    node.op = CondOp::kExists;
    node.lhs = t.index;
    return c.AddCondition(std::move(node));
  }
  if (*op == "some" || *op == "every") return CompileQuantifier(c, *op, arg, scope, ap);
  if (*op == "disjoint") return CompileDisjoint(c, arg, scope, ap);
  if (*op == "ref") return CompileRef(c, arg, scope, ap);
  if (*op == "pathway" || *op == "item") return CompileReference(c, j, *op, scope, pointer);
  if (*op == "unsettled") return CompileUnsettled(c, arg, f, ap);
  return -1;
}

int CompileDefinition(CompileContext& c, const std::string& name) {
  PendingDefinition& def = c.pending_definitions[name];
  if (def.state == 2) return def.condition;
  if (def.state == 1) return -2;  // cycle; reported by the caller
  def.state = 1;
  Scope scope;
  scope.file = def.file;
  scope.deps = &def.deps;
  const int condition = CompileCondition(c, *def.body, scope, def.pointer);
  PendingDefinition& done = c.pending_definitions[name];
  done.state = 2;
  done.condition = condition;
  if (condition >= 0) {
    c.rules.definitions[name] = condition;
    c.rules.definition_origins[name] =
        Origin{done.file, c.docs[done.file].KeyOffsetOf(done.pointer)};
  }
  return condition;
}

std::optional<FactId> ListFact(CompileContext& c, const json& arg, const Scope& scope,
                               const std::string& pointer) {
  const std::string path =
      c.StringMember(arg, "list", true, scope.file, pointer, "a list operator");
  if (path.empty()) return std::nullopt;
  auto id = c.rules.dictionary.Find(path);
  if (!id) {
    c.UnknownFact(path, scope.file, AppendPointer(pointer, "list"));
    return std::nullopt;
  }
  if (!c.rules.dictionary.at(*id).is_record_list()) {
    c.Error("E024", fmt::format("\"{}\" is not a list of records", path), scope.file,
            AppendPointer(pointer, "list"));
    return std::nullopt;
  }
  return id;
}

}  // namespace imgvisa::compiler

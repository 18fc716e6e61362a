#include <fmt/format.h>

#include "imgvisa/base/country.h"
#include "rules/compiler/compiler.h"

namespace imgvisa::compiler {
namespace {

constexpr const char* kExpressionOps[] = {
    "fact", "field", "as_of", "date", "months_between", "days_between", "add_months", "add_days",
    "add",  "sub",   "count", "sum",  "coalesce"};

Typed AddTyped(CompileContext& c, ExprNode n) {
  const ValueType type = n.type;
  const int enum_fact = n.enum_fact;
  return Typed{c.AddExpression(std::move(n)), type, enum_fact};
}

Typed CompileLiteral(CompileContext& c, const json& j, std::uint16_t f, const std::string& pointer,
                     const Typed& hint) {
  if (hint.ok()) {
    auto v = Coerce(c, j, hint, f, pointer);
    if (!v) return {};
    return LiteralExpr(c, std::move(*v), hint);
  }
  if (j.is_string())
    return LiteralExpr(c, Value::String(j.get<std::string>()), Typed{0, ValueType::kString});
  if (j.is_boolean()) return LiteralExpr(c, Value::Bool(j.get<bool>()), Typed{0, ValueType::kBool});
  if (j.is_number_integer())
    return LiteralExpr(c, Value::Integer(j.get<std::int64_t>()), Typed{0, ValueType::kInteger});
  return LiteralExpr(c, Value::Number(j.get<double>()), Typed{0, ValueType::kNumber});
}

// {"fact": path} or, inside a list operator, {"field": name}.
Typed CompileRead(CompileContext& c, const std::string& op, const json& arg, const Scope& scope,
                  const std::string& ap) {
  const std::uint16_t f = scope.file;
  if (!arg.is_string()) {
    c.Error("E011", fmt::format("\"{}\" takes a name", op), f, ap);
    return {};
  }
  const std::string name = arg.get<std::string>();
  const FactDictionary& dictionary = c.rules.dictionary;
  ExprNode node;
  std::optional<FactId> id;
  if (op == "fact") {
    id = dictionary.Find(name);
    if (!id || dictionary.at(*id).list) {
      c.UnknownFact(name, f, ap);
      return {};
    }
    node.op = ExprOp::kFact;
  } else {
    if (!scope.list) {
      c.Error("E027", "\"field\" is only meaningful inside some, every, count, sum or disjoint", f,
              ap);
      return {};
    }
    id = dictionary.FindField(*scope.list, name);
    if (!id) {
      std::vector<std::string> names;
      for (FactId fid : dictionary.at(*scope.list).fields)
        names.push_back(dictionary.at(fid).field_name);
      c.Error("E021",
              WithSuggestion(fmt::format("\"{}\" has no field \"{}\"",
                                         dictionary.at(*scope.list).path, EscapeForDisplay(name)),
                             name, names),
              f, ap);
      return {};
    }
    node.op = ExprOp::kField;
  }
  const FactDecl& decl = dictionary.at(*id);
  node.fact = *id;
  node.type = decl.type;
  if (decl.type == ValueType::kEnum) node.enum_fact = *id;
  return AddTyped(c, std::move(node));
}

// {"count": {"list", "where"}} or {"sum": {"list", "where", "of"}}.
Typed CompileListQuery(CompileContext& c, const std::string& op, const json& arg,
                       const Scope& scope, const std::string& ap) {
  const std::uint16_t f = scope.file;
  if (!arg.is_object()) {
    c.Error("E011", fmt::format("\"{}\" takes {{\"list\": ..., ...}}", op), f, ap);
    return {};
  }
  if (op == "count") {
    c.CheckKeys(arg, {"list", "where"}, f, ap, "\"count\"");
  } else {
    c.CheckKeys(arg, {"list", "where", "of"}, f, ap, "\"sum\"");
  }
  auto list = ListFact(c, arg, scope, ap);
  if (!list) return {};
  Scope inner = scope;
  inner.list = *list;
  ExprNode node;
  node.op = op == "count" ? ExprOp::kCount : ExprOp::kSum;
  node.fact = *list;
  node.type = ValueType::kInteger;
  if (auto it = arg.find("where"); it != arg.end()) {
    node.where = CompileCondition(c, *it, inner, AppendPointer(ap, "where"));
    if (node.where < 0) return {};
  }
  if (op == "sum") {
    auto it = arg.find("of");
    if (it == arg.end()) {
      c.Error("E012", "\"sum\" needs \"of\"", f, ap);
      return {};
    }
    Typed of = CompileExpr(c, *it, inner, AppendPointer(ap, "of"), {});
    if (!of.ok()) return {};
    if (!IsNumeric(of.type)) {
      c.Error("E024", fmt::format("\"sum\" adds numbers, not {}", ValueTypeName(of.type)), f,
              AppendPointer(ap, "of"));
      return {};
    }
    node.of = of.index;
    node.type = of.type;
  }
  return AddTyped(c, std::move(node));
}

// The operators that take an array of operands: date arithmetic, add, sub and coalesce.
Typed CompileOperation(CompileContext& c, const std::string& op, const json& arg, Scope& scope,
                       const std::string& ap) {
  const std::uint16_t f = scope.file;
  if (!arg.is_array() || arg.empty()) {
    c.Error("E011", fmt::format("\"{}\" takes an array of operands", op), f, ap);
    return {};
  }
  ExprNode node;
  std::vector<Typed> args;
  for (std::size_t i = 0; i < arg.size(); ++i) {
    Typed hint_for = {};
    if (op == "months_between" || op == "days_between" ||
        ((op == "add_months" || op == "add_days") && i == 0)) {
      hint_for = Typed{0, ValueType::kDate};
    } else if (op == "add_months" || op == "add_days") {
      hint_for = Typed{0, ValueType::kInteger};
    } else if (op == "coalesce" && i > 0 && args[0].ok()) {
      hint_for = args[0];
    }
    Typed t = CompileExpr(c, arg[i], scope, AppendPointer(ap, i), hint_for);
    if (!t.ok()) return {};
    args.push_back(t);
    node.args.push_back(t.index);
  }
  auto expect = [&](std::size_t n) {
    if (args.size() == n) return true;
    c.Error("E011", fmt::format("\"{}\" takes {} operands, not {}", op, n, args.size()), f, ap);
    return false;
  };
  auto need = [&](std::size_t i, bool ok, std::string_view what) {
    if (ok) return true;
    c.Error("E024",
            fmt::format("operand {} of \"{}\" must be {}, not {}", i + 1, op, what,
                        ValueTypeName(args[i].type)),
            f, AppendPointer(ap, i));
    return false;
  };
  if (op == "months_between" || op == "days_between") {
    if (!expect(2) || !need(0, args[0].type == ValueType::kDate, "a date") ||
        !need(1, args[1].type == ValueType::kDate, "a date")) {
      return {};
    }
    node.op = op == "months_between" ? ExprOp::kMonthsBetween : ExprOp::kDaysBetween;
    node.type = ValueType::kInteger;
    return AddTyped(c, std::move(node));
  }
  if (op == "add_months" || op == "add_days") {
    if (!expect(2) || !need(0, args[0].type == ValueType::kDate, "a date") ||
        !need(1, args[1].type == ValueType::kInteger, "an integer")) {
      return {};
    }
    node.op = op == "add_months" ? ExprOp::kAddMonths : ExprOp::kAddDays;
    node.type = ValueType::kDate;
    return AddTyped(c, std::move(node));
  }
  if (op == "add" || op == "sub") {
    if (!expect(2) || !need(0, IsNumeric(args[0].type), "a number") ||
        !need(1, IsNumeric(args[1].type), "a number")) {
      return {};
    }
    node.op = op == "add" ? ExprOp::kAdd : ExprOp::kSub;
    node.type = args[0].type == ValueType::kInteger && args[1].type == ValueType::kInteger
                    ? ValueType::kInteger
                    : ValueType::kNumber;
    return AddTyped(c, std::move(node));
  }
  // coalesce
  for (std::size_t i = 1; i < args.size(); ++i) {
    const bool same =
        args[i].type == args[0].type || (IsNumeric(args[i].type) && IsNumeric(args[0].type));
    if (!need(i, same, ValueTypeName(args[0].type).data())) return {};
  }
  node.op = ExprOp::kCoalesce;
  node.type = args[0].type;
  node.enum_fact = args[0].enum_fact;
  return AddTyped(c, std::move(node));
}

}  // namespace

std::optional<Value> Coerce(CompileContext& c, const json& j, const Typed& want, std::uint16_t f,
                            const std::string& pointer) {
  switch (want.type) {
    case ValueType::kBool:
      if (j.is_boolean()) return Value::Bool(j.get<bool>());
      break;
    case ValueType::kInteger:
    case ValueType::kNumber:
      if (j.is_number_integer()) return Value::Integer(j.get<std::int64_t>());
      if (j.is_number()) return Value::Number(j.get<double>());
      break;
    case ValueType::kString:
      if (j.is_string()) return Value::String(j.get<std::string>());
      break;
    case ValueType::kDate:
      if (j.is_string()) {
        if (auto d = ParseIsoDate(j.get_ref<const std::string&>())) return Value::OfDate(*d);
        c.Error("E024",
                fmt::format("\"{}\" is compared with a date but is not a date YYYY-MM-DD",
                            EscapeForDisplay(j.get_ref<const std::string&>())),
                f, pointer);
        return std::nullopt;
      }
      break;
    case ValueType::kEnum:
      if (j.is_string() && want.enum_fact >= 0) {
        const FactDecl& decl = c.rules.dictionary.at(static_cast<FactId>(want.enum_fact));
        const std::string& s = j.get_ref<const std::string&>();
        const int index = decl.EnumIndex(s);
        if (index >= 0) return Value::Enum(index);
        c.Error("E026",
                WithSuggestion(
                    fmt::format("\"{}\" is not a value of {} (values: {})", EscapeForDisplay(s),
                                decl.path, fmt::join(decl.values, ", ")),
                    s, decl.values),
                f, pointer);
        return std::nullopt;
      }
      break;
    case ValueType::kCountry:
      if (j.is_string()) {
        // Exactly a code of the table: a rule compares codes byte for byte, so "ng" or
        // "Nigeria" would never match a profile's (validated) "NG".
        const std::string& s = j.get_ref<const std::string&>();
        const std::string problem = CountryCodeProblem(s);
        if (problem.empty()) return Value::String(s);
        c.Error("E026", problem, f, pointer);
        return std::nullopt;
      }
      break;
    case ValueType::kList:
      break;
  }
  c.Error("E024",
          fmt::format("{} literal does not fit a {} operand", JsonTypeName(j),
                      ValueTypeName(want.type)),
          f, pointer);
  return std::nullopt;
}

Typed LiteralExpr(CompileContext& c, Value v, const Typed& like) {
  ExprNode node;
  node.op = ExprOp::kLiteral;
  node.type = v.kind == Value::Kind::kInteger  ? ValueType::kInteger
              : v.kind == Value::Kind::kNumber ? ValueType::kNumber
                                               : like.type;
  node.enum_fact = like.enum_fact;
  node.literal = std::move(v);
  const ValueType type = node.type;
  return Typed{c.AddExpression(std::move(node)), type, like.enum_fact};
}

Typed CompileExpr(CompileContext& c, const json& j, Scope& scope, const std::string& pointer,
                  Typed hint) {
  const std::uint16_t f = scope.file;
  if (IsLiteral(j)) return CompileLiteral(c, j, f, pointer, hint);
  if (!j.is_object()) {
    c.Error("E011",
            fmt::format("an operand must be a literal or an object, not {}", JsonTypeName(j)), f,
            pointer);
    return {};
  }
  static const std::vector<std::string> ops(std::begin(kExpressionOps), std::end(kExpressionOps));
  auto op = c.OperatorOf(j, f, pointer, ops, "expression");
  if (!op) return {};
  const json& arg = j[*op];
  const std::string ap = AppendPointer(pointer, *op);
  if (*op == "fact" || *op == "field") return CompileRead(c, *op, arg, scope, ap);
  if (*op == "as_of") {
    ExprNode node;
    node.op = ExprOp::kAsOf;
    node.type = ValueType::kDate;
    return AddTyped(c, std::move(node));
  }
  if (*op == "date") {
    auto d = arg.is_string() ? ParseIsoDate(arg.get_ref<const std::string&>()) : std::nullopt;
    if (!d) {
      c.Error("E013", "\"date\" takes a date YYYY-MM-DD", f, ap);
      return {};
    }
    return LiteralExpr(c, Value::OfDate(*d), Typed{0, ValueType::kDate});
  }
  if (*op == "count" || *op == "sum") return CompileListQuery(c, *op, arg, scope, ap);
  return CompileOperation(c, *op, arg, scope, ap);
}

}  // namespace imgvisa::compiler

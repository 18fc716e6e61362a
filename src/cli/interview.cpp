#include "imgvisa/cli/interview.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "imgvisa/base/diagnostic.h"
#include "imgvisa/engine/evaluator.h"
#include "imgvisa/profile/facts_from_json.h"

namespace imgvisa {
namespace {

using json = nlohmann::ordered_json;

constexpr int kWeightGate = 3;
constexpr int kWeightRequirement = 2;
constexpr int kWeightCondition = 1;

int Weight(ItemKind kind) {
  switch (kind) {
    case ItemKind::kGate:
      return kWeightGate;
    case ItemKind::kRequirement:
    case ItemKind::kRestriction:
      return kWeightRequirement;
    case ItemKind::kCondition:
      return kWeightCondition;
    default:
      return 0;
  }
}

// What each deciding item of a verdict can still do. An unknown item is "stuck" when none of
// its missing facts can be asked any more: it stays unknown whatever else is answered.
struct Standing {
  bool gate_unmet = false, gate_stuck = false;
  bool requirement_unmet = false, requirement_stuck = false;
  bool restriction_unmet = false, restriction_stuck = false;
  bool condition_closed = false;  // some condition is unmet or stuck: the verdict is conditional

  // Whether an open item of `kind` can change the verdict for some answers to the other open
  // items, by the precedence of docs/rule-language.md.
  bool CanMove(ItemKind kind) const {
    const bool gates_pass = !gate_unmet && !gate_stuck;
    switch (kind) {
      case ItemKind::kGate:
        return !gate_unmet;
      case ItemKind::kRequirement:
        return gates_pass && !requirement_unmet;
      case ItemKind::kRestriction:
        return gates_pass && !requirement_unmet && !restriction_unmet;
      case ItemKind::kCondition:
        return gates_pass && !requirement_unmet && !requirement_stuck && !restriction_unmet &&
               !restriction_stuck && !condition_closed;
      default:
        return false;
    }
  }
};

// Facts whose answer can turn an outcome that is already settled: those read under `exists`,
// and those in a `coalesce` operand that a later operand stands in for while they are unknown
// ({"coalesce": [{"field": "end"}, {"as_of": true}]} reads an open period as ongoing). The
// evaluator reports neither as missing, yet answering them moves verdicts.
class DefaultedFacts {
 public:
  explicit DefaultedFacts(const RuleSet& rules) : rules_(rules) {}

  const std::set<FactId>& OfItem(std::size_t pathway, std::size_t item) {
    auto [it, inserted] = items_.try_emplace({pathway, item});
    if (inserted) {
      const int condition = rules_.pathways[pathway].items[item].condition;
      if (condition >= 0) Cond(condition, false, it->second);
    }
    return it->second;
  }

 private:
  void Expr(int index, bool defaulted, std::set<FactId>& out) {
    const ExprNode& e = rules_.expressions[static_cast<std::size_t>(index)];
    switch (e.op) {
      case ExprOp::kFact:
      case ExprOp::kField:
        if (defaulted) out.insert(e.fact);
        return;
      case ExprOp::kCount:
      case ExprOp::kSum:
        if (defaulted) out.insert(e.fact);
        if (e.where >= 0) Cond(e.where, defaulted, out);
        if (e.of >= 0) Expr(e.of, defaulted, out);
        return;
      case ExprOp::kCoalesce:
        for (std::size_t i = 0; i < e.args.size(); ++i) {
          Expr(e.args[i], defaulted || i + 1 < e.args.size(), out);
        }
        return;
      default:
        for (int a : e.args) Expr(a, defaulted, out);
        return;
    }
  }

  void Cond(int index, bool defaulted, std::set<FactId>& out) {
    const CondNode& c = rules_.conditions[static_cast<std::size_t>(index)];
    switch (c.op) {
      case CondOp::kExists:
        Expr(c.lhs, true, out);
        return;
      case CondOp::kSome:
      case CondOp::kEvery:
      case CondOp::kDisjoint:
        if (defaulted) out.insert(c.list);
        break;
      case CondOp::kPathway:
      case CondOp::kItem: {
        // What another pathway's verdict or item reads, it reads for this item too.
        const auto& items = rules_.pathways[static_cast<std::size_t>(c.target)].items;
        for (const Item& item : items) {
          if (c.op == CondOp::kItem ? item.id != c.item_id : !Decides(item.kind)) continue;
          if (item.condition >= 0) Cond(item.condition, defaulted, out);
        }
        return;
      }
      default:
        break;
    }
    if (c.lhs >= 0) Expr(c.lhs, defaulted, out);
    if (c.rhs >= 0) Expr(c.rhs, defaulted, out);
    for (int child : c.children) Cond(child, defaulted, out);
  }

  const RuleSet& rules_;
  std::map<std::pair<std::size_t, std::size_t>, std::set<FactId>> items_;
};

std::string_view Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// Lower case, with spaces and hyphens as underscores: "Not taken" and "not-taken" are not_taken.
std::string Normalize(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '-') {
      out += '_';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Answer Invalid(std::string hint) {
  return Answer{Answer::Kind::kInvalid, nullptr, std::move(hint)};
}

std::optional<Answer> Keyword(std::string_view text) {
  const std::string word = Lower(Trim(text));
  if (word.empty() || word == "?" || word == "don't know" || word == "dont know" ||
      word == "don\xe2\x80\x99t know" || word == "idk" || word == "unknown") {
    return Answer{Answer::Kind::kDontKnow, nullptr, ""};
  }
  if (word == "q" || word == "quit") return Answer{Answer::Kind::kQuit, nullptr, ""};
  if (word == "help") return Answer{Answer::Kind::kHelp, nullptr, ""};
  return std::nullopt;
}

std::optional<bool> Bool(std::string_view text) {
  const std::string word = Lower(Trim(text));
  if (word == "y" || word == "yes" || word == "true") return true;
  if (word == "n" || word == "no" || word == "false") return false;
  return std::nullopt;
}

std::string Bounds(const FactDecl& decl) {
  if (decl.minimum && decl.maximum) return fmt::format(" {}-{}", *decl.minimum, *decl.maximum);
  if (decl.minimum) return fmt::format(" from {}", *decl.minimum);
  if (decl.maximum) return fmt::format(" up to {}", *decl.maximum);
  return "";
}

// One scalar typed by a person, as JSON of the fact's (or list item's) type, before the
// profile loader checks it. Returns nullopt with `why` set when the text is not of the type.
std::optional<json> Scalar(std::string_view text, ValueType type, const FactDecl& decl,
                           std::string& why) {
  switch (type) {
    case ValueType::kBool:
      if (auto b = Bool(text)) return json(*b);
      why = "answer y or n";
      return std::nullopt;
    case ValueType::kInteger: {
      std::string_view digits = text;
      if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
      std::int64_t i = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), i);
      if (ec == std::errc() && end == digits.data() + digits.size() && !digits.empty()) {
        return json(i);
      }
      why = fmt::format("answer a whole number{}", Bounds(decl));
      return std::nullopt;
    }
    case ValueType::kNumber: {
      const std::string copy(text);
      char* end = nullptr;
      const double d = std::strtod(copy.c_str(), &end);
      if (!copy.empty() && end == copy.c_str() + copy.size() && std::isfinite(d)) {
        if (d == std::floor(d) && std::fabs(d) < 1e15) return json(static_cast<std::int64_t>(d));
        return json(d);
      }
      why = fmt::format("answer a number{}", Bounds(decl));
      return std::nullopt;
    }
    case ValueType::kEnum: {
      std::size_t n = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc() && end == text.data() + text.size()) {
        if (n >= 1 && n <= decl.values.size()) return json(decl.values[n - 1]);
        why = fmt::format("choose a number from 1 to {}", decl.values.size());
        return std::nullopt;
      }
      const std::string wanted = Normalize(text);
      for (const std::string& v : decl.values) {
        if (Normalize(v) == wanted) return json(v);
      }
      why = fmt::format("choose a number from 1 to {}, or one of: {}", decl.values.size(),
                        fmt::join(decl.values, ", "));
      return std::nullopt;
    }
    case ValueType::kDate:
      return json(std::string(text));
    case ValueType::kString:
      return json(std::string(text));
    case ValueType::kList:
      break;
  }
  why = "this question takes a list";
  return std::nullopt;
}

// The smallest profile that holds `value` for `decl`, so the profile loader can judge it.
json ProbeProfile(const FactDictionary& dictionary, const FactDecl& decl, const json& value) {
  json profile = json::object();
  if (decl.list) {
    json record = json::object();
    record[decl.field_name] = value;
    SetProfileValue(profile, dictionary.at(*decl.list).path, json::array({record}));
  } else {
    SetProfileValue(profile, decl.path, value);
  }
  return profile;
}

}  // namespace

std::vector<Question> RankQuestions(const RuleSet& rules, const Facts& facts,
                                    const std::vector<Verdict>& verdicts,
                                    const std::vector<std::size_t>& selection,
                                    const std::set<FactId>& asked,
                                    std::optional<FactId> record_list) {
  const FactDictionary& dictionary = rules.dictionary;
  // A field stands for its list, except the fields of the record being filled in.
  auto key = [&](FactId f) -> FactId {
    const FactDecl& d = dictionary.at(f);
    if (d.list && d.list != record_list) return *d.list;
    return f;
  };
  auto askable = [&](FactId f) {
    const FactId k = key(f);
    if (asked.count(k) != 0) return false;
    // A field of the record being filled in is known or not per record: `asked` says which.
    return dictionary.at(k).list.has_value() || k >= facts.values.size() ||
           !facts.values[k].known();
  };
  auto candidate = [&](FactId f) { return !record_list || dictionary.at(f).list == record_list; };
  DefaultedFacts defaulted(rules);

  std::map<FactId, Question> found;
  for (std::size_t p : selection) {
    const Verdict& v = verdicts[p];
    if (v.kind == VerdictKind::kNotApplicable || v.kind == VerdictKind::kEligible) {
      // Settled, unless a defaulted fact of a deciding item could still turn it.
      bool turnable = false;
      for (const ItemResult& r : v.items) {
        if (!Decides(rules.pathways[p].items[r.item].kind)) continue;
        const auto& d = defaulted.OfItem(p, r.item);
        turnable = turnable || std::any_of(d.begin(), d.end(), askable);
      }
      if (!turnable) continue;
    }
    const auto& items = rules.pathways[p].items;
    // An item is open when some answer can still change its outcome.
    auto open = [&](const ItemResult& r) {
      const auto& d = defaulted.OfItem(p, r.item);
      if (std::any_of(d.begin(), d.end(), askable)) return true;
      return r.status == Outcome::kUnknown &&
             std::any_of(r.missing.facts.begin(), r.missing.facts.end(), askable);
    };
    Standing s;
    for (const ItemResult& r : v.items) {
      const ItemKind kind = items[r.item].kind;
      if (!Decides(kind) || open(r) || r.status == Outcome::kMet) continue;
      const bool unmet = r.status == Outcome::kUnmet;
      const bool stuck = r.status == Outcome::kUnknown;
      switch (kind) {
        case ItemKind::kGate:
          s.gate_unmet |= unmet;
          s.gate_stuck |= stuck;
          break;
        case ItemKind::kRequirement:
          s.requirement_unmet |= unmet;
          s.requirement_stuck |= stuck;
          break;
        case ItemKind::kRestriction:
          s.restriction_unmet |= unmet;
          s.restriction_stuck |= stuck;
          break;
        case ItemKind::kCondition:
          s.condition_closed |= unmet || stuck;
          break;
        default:
          break;
      }
    }
    // The most deciding kind through which each fact can move this pathway.
    std::map<FactId, int> best;
    auto consider = [&](FactId f, ItemKind kind) {
      if (!askable(f) || !candidate(f)) return;
      int& weight = best[key(f)];
      weight = std::max(weight, Weight(kind));
    };
    for (const ItemResult& r : v.items) {
      const ItemKind kind = items[r.item].kind;
      if (!Decides(kind) || !open(r) || !s.CanMove(kind)) continue;
      if (r.status == Outcome::kUnknown) {
        for (FactId f : r.missing.facts) consider(f, kind);
      }
      for (FactId f : defaulted.OfItem(p, r.item)) consider(f, kind);
    }
    for (auto [fact, weight] : best) {
      Question& q = found[fact];
      q.fact = fact;
      q.score += weight;
      ++q.pathways;
    }
  }
  std::vector<Question> out;
  for (auto& [fact, q] : found) out.push_back(q);
  std::stable_sort(out.begin(), out.end(), [](const Question& a, const Question& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.pathways > b.pathways;
  });
  return out;
}

std::optional<FactId> NextQuestion(const RuleSet& rules, const Facts& facts, Date as_of,
                                   const std::vector<std::size_t>& selection,
                                   const std::set<FactId>& asked) {
  std::vector<Question> ranked =
      RankQuestions(rules, facts, Evaluate(rules, facts, as_of), selection, asked);
  if (ranked.empty()) return std::nullopt;
  return ranked.front().fact;
}

Answer ParseAnswer(const FactDictionary& dictionary, FactId fact, std::string_view raw) {
  if (auto keyword = Keyword(raw)) return *keyword;
  const std::string_view text = Trim(raw);
  const FactDecl& decl = dictionary.at(fact);
  json value;
  std::string why;
  if (decl.type == ValueType::kList) {
    if (!decl.item_type) return Invalid("a list of records is asked one record at a time");
    value = json::array();
    const bool none_is_value = *decl.item_type == ValueType::kEnum && decl.EnumIndex("none") >= 0;
    if (Lower(text) != "none" || none_is_value) {
      std::size_t start = 0;
      while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        const std::string_view item = Trim(text.substr(start, comma - start));
        start = comma + 1;
        if (item.empty()) continue;
        auto v = Scalar(item, *decl.item_type, decl, why);
        if (!v) return Invalid(fmt::format("\"{}\": {}", EscapeForDisplay(item), why));
        value.push_back(std::move(*v));
      }
    }
  } else {
    auto v = Scalar(text, decl.type, decl, why);
    if (!v) return Invalid(why);
    value = std::move(*v);
  }
  // The profile loader is the judge: an answer fits when a profile holding it loads.
  std::string probe;
  try {
    probe = ProbeProfile(dictionary, decl, value).dump();
  } catch (const json::type_error&) {
    return Invalid("the answer is not valid UTF-8 text");
  }
  FactsLoad load = FactsFromJson(dictionary, SourceFile("answer", probe));
  if (!load.ok) {
    std::string message = load.diagnostics.empty() ? "does not fit" : load.diagnostics[0].message;
    if (decl.type == ValueType::kDate ||
        (decl.type == ValueType::kList && decl.item_type == ValueType::kDate)) {
      message += " (a real calendar date, e.g. 2024-06-30)";
    }
    return Invalid(std::move(message));
  }
  return Answer{Answer::Kind::kValue, std::move(value), ""};
}

Answer ParseYesNo(std::string_view text) {
  if (auto keyword = Keyword(text)) return *keyword;
  if (auto b = Bool(text)) return Answer{Answer::Kind::kValue, json(*b), ""};
  return Invalid("answer y or n");
}

std::string TypeHint(const FactDecl& decl) {
  auto scalar = [&](ValueType type) -> std::string {
    switch (type) {
      case ValueType::kBool:
        return "y/n";
      case ValueType::kDate:
        return "YYYY-MM-DD";
      case ValueType::kEnum:
        return fmt::format("1-{}", decl.values.size());
      case ValueType::kInteger:
      case ValueType::kNumber: {
        std::string hint = type == ValueType::kInteger ? "whole number" : "number";
        hint += Bounds(decl);
        if (!decl.unit.empty()) hint += " " + decl.unit;
        return hint;
      }
      case ValueType::kString:
        return "text";
      case ValueType::kList:
        break;
    }
    return "";
  };
  if (decl.type != ValueType::kList) return scalar(decl.type);
  if (!decl.item_type) return "y/n";
  const bool none_is_value = *decl.item_type == ValueType::kEnum && decl.EnumIndex("none") >= 0;
  return fmt::format("{}, comma-separated{}", scalar(*decl.item_type),
                     none_is_value ? "" : ", or none");
}

void SetProfileValue(json& profile, const std::string& path, json value) {
  json* at = &profile;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? dot : dot - start);
    if (dot == std::string::npos) {
      (*at)[key] = std::move(value);
      return;
    }
    json& next = (*at)[key];
    if (!next.is_object()) next = json::object();
    at = &next;
    start = dot + 1;
  }
}

}  // namespace imgvisa

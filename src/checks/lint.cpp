#include "imgvisa/checks/lint.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "checks/rule_graph.h"
#include "imgvisa/base/country.h"
#include "imgvisa/engine/evaluator.h"
#include "imgvisa/output/explain.h"
#include "imgvisa/profile/display_value.h"
#include "imgvisa/profile/facts.h"

namespace imgvisa {

const std::vector<DiagnosticCode>& AllDiagnosticCodes() {
  static const std::vector<DiagnosticCode> kCodes = {
      {"E001", "invalid-json",
       "The file is not valid JSON (syntax, truncation, invalid UTF-8, number out of range, NUL "
       "byte, empty).",
       Severity::kError},
      {"E002", "duplicate-key", "A key appears twice in one JSON object.", Severity::kError},
      {"E003", "limit-exceeded",
       "Nesting depth, string length, array length or line length exceeds imgvisa's limits.",
       Severity::kError},
      {"E010", "unknown-key", "A key or operator the rule language does not define.",
       Severity::kError},
      {"E011", "wrong-json-type", "A value of the wrong JSON type for its field.",
       Severity::kError},
      {"E012", "missing-field", "A required field is missing.", Severity::kError},
      {"E013", "invalid-value",
       "A value that is not valid for its field (date, kind, type, id form).", Severity::kError},
      {"E020", "duplicate-declaration",
       "A fact, definition, pathway, enum value or unsettled id declared twice.", Severity::kError},
      {"E021", "unknown-fact", "A fact or record field that the fact dictionary does not declare.",
       Severity::kError},
      {"E022", "unknown-reference",
       "A reference to a pathway, item or definition that does not exist.", Severity::kError},
      {"E023", "reference-cycle", "References that form a cycle.", Severity::kError},
      {"E024", "type-mismatch", "An operator applied to operands whose types do not fit.",
       Severity::kError},
      {"E025", "bad-placeholder", "A text placeholder that names no fact and no let value.",
       Severity::kError},
      {"E026", "value-not-allowed",
       "A value that is not one of an enum's values, verdicts or statuses, or not a country code.",
       Severity::kError},
      {"E027", "field-outside-list", "A record field read outside some/every/count/sum/disjoint.",
       Severity::kError},
      {"E028", "overlapping-versions", "Two versions of one item whose effective ranges overlap.",
       Severity::kError},
      {"E029", "empty-effective-range", "An effective range whose start is not before its end.",
       Severity::kError},
      {"E030", "no-ruleset-manifest", "No ruleset section, or more than one, in the rule set.",
       Severity::kError},
      {"E031", "no-source", "An item that cites no source.", Severity::kError},
      {"E040", "unknown-profile-fact", "A profile key that is not a declared fact.",
       Severity::kError},
      {"E041", "profile-wrong-type", "A profile value of the wrong type.", Severity::kError},
      {"E042", "profile-value-not-allowed", "A profile value that is not one of the enum's values.",
       Severity::kError},
      {"E043", "profile-out-of-range",
       "A profile number outside the fact's bounds or the exact int64 range.", Severity::kError},
      {"E044", "profile-bad-date", "A profile date that is not YYYY-MM-DD or does not exist.",
       Severity::kError},
      {"E045", "profile-bad-country",
       "A profile country that is not an upper-case ISO 3166-1 alpha-2 code.", Severity::kError},
      {"E050", "unreadable", "A file or directory that cannot be read.", Severity::kError},
      {"E060", "bad-test-case", "A malformed rule test case.", Severity::kError},
      {"E101", "never-met",
       "A condition that no combination of fact values can meet, given the dictionary's types and "
       "bounds.",
       Severity::kError},
      {"W101", "stale-source",
       "A source last verified longer ago than the staleness limit (365 days; 180 for volatile "
       "items).",
       Severity::kWarning},
      {"W102", "never-unmet",
       "A condition that every combination of known fact values meets: it decides nothing.",
       Severity::kWarning},
      {"W103", "unused-fact", "A declared fact that no rule reads.", Severity::kWarning},
      {"W104", "unused-definition", "A named condition that nothing references.",
       Severity::kWarning},
  };
  return kCodes;
}

const DiagnosticCode* FindDiagnosticCode(std::string_view code) {
  for (const DiagnosticCode& c : AllDiagnosticCodes()) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

namespace {

Diagnostic At(const RuleSet& rules, const Origin& origin, Severity severity, std::string code,
              std::string message) {
  return Diagnostic{severity, std::move(code), std::move(message), rules.files[origin.file].name(),
                    origin.offset};
}

// ---- W101: stale sources -------------------------------------------------------------------

void DetectStaleSources(const RuleSet& rules, const LintOptions& options,
                        std::vector<Diagnostic>& out) {
  for (const Pathway& p : rules.pathways) {
    for (const Item& item : p.items) {
      const int limit =
          item.is_volatile ? options.stale_after_days_volatile : options.stale_after_days;
      for (const Source& s : item.sources) {
        const int age = options.as_of.days() - s.verified.days();
        if (age <= limit) continue;
        out.push_back(
            At(rules, s.origin, Severity::kWarning, "W101",
               fmt::format(
                   "source \"{}\" of {}/{} was last verified on {}, {} days before {}; the limit "
                   "for {} items is {} days: check it again and update \"verified\"",
                   s.instrument, p.id, item.id, s.verified.ToString(), age,
                   options.as_of.ToString(), item.is_volatile ? "volatile" : "other", limit)));
      }
    }
  }
}

// ---- E101 / W102: conditions that can never be met or never be unmet -----------------------

// The candidate that stands for every string (or country) no literal names.
constexpr std::string_view kOther = "\x01other";

// For an example profile: a country that no candidate names, as kOther stands for.
std::string OtherCountry(const std::vector<Value>& candidates) {
  for (const Country& country : Countries()) {
    const bool named = std::any_of(candidates.begin(), candidates.end(),
                                   [&](const Value& v) { return v.string == country.code; });
    if (!named) return std::string(country.code);
  }
  return "(any other country)";
}

// Candidate values for one fact: the boundaries of every literal it is compared with.
struct Candidates {
  std::vector<Value> values;
  void Add(Value v) {
    for (const Value& x : values) {
      if (x.kind == v.kind && x.integer == v.integer && x.number == v.number &&
          x.string == v.string && x.boolean == v.boolean) {
        return;
      }
    }
    values.push_back(std::move(v));
  }
};

class ConditionSpace {
 public:
  explicit ConditionSpace(const RuleSet& rules) : rules_(rules) {}

  // Collects candidates; false when the condition uses something the analysis does not model
  // (arithmetic, lists, other pathways, unsettled points, fact-to-fact comparisons).
  bool Collect(int index) {
    const CondNode& c = rules_.conditions[static_cast<std::size_t>(index)];
    switch (c.op) {
      case CondOp::kAll:
      case CondOp::kAny:
      case CondOp::kNot:
      case CondOp::kRef:
        return std::all_of(c.children.begin(), c.children.end(),
                           [&](int child) { return Collect(child); });
      case CondOp::kCompare: {
        const ExprNode& l = rules_.expressions[static_cast<std::size_t>(c.lhs)];
        const ExprNode& r = rules_.expressions[static_cast<std::size_t>(c.rhs)];
        if (l.op == ExprOp::kFact && r.op == ExprOp::kLiteral) return AddAround(l.fact, r.literal);
        if (r.op == ExprOp::kFact && l.op == ExprOp::kLiteral) return AddAround(r.fact, l.literal);
        return false;
      }
      case CondOp::kIn: {
        const ExprNode& l = rules_.expressions[static_cast<std::size_t>(c.lhs)];
        if (l.op != ExprOp::kFact) return false;
        for (const Value& v : c.set) {
          if (!AddAround(l.fact, v)) return false;
        }
        return true;
      }
      default:  // exists is always met once every fact is known: nothing to learn from it here
        return false;
    }
  }

  const std::map<FactId, Candidates>& facts() const { return facts_; }

 private:
  bool InBounds(const FactDecl& d, double x) const {
    return (!d.minimum || x >= *d.minimum) && (!d.maximum || x <= *d.maximum);
  }

  bool AddDefaults(FactId fact) {
    const FactDecl& d = rules_.dictionary.at(fact);
    Candidates& c = facts_[fact];
    switch (d.type) {
      case ValueType::kBool:
        c.Add(Value::Bool(false));
        c.Add(Value::Bool(true));
        return true;
      case ValueType::kEnum:
        for (std::size_t i = 0; i < d.values.size(); ++i)
          c.Add(Value::Enum(static_cast<std::int64_t>(i)));
        return true;
      case ValueType::kString:
      case ValueType::kCountry:
        c.Add(Value::String(std::string(kOther)));
        return true;
      case ValueType::kInteger:
        c.Add(Value::Integer(d.minimum ? static_cast<std::int64_t>(*d.minimum) : 0));
        return true;
      case ValueType::kNumber:
        c.Add(Value::Number(d.minimum ? *d.minimum : 0));
        return true;
      case ValueType::kDate:
        c.Add(Value::OfDate(Date::FromCivil(2000, 1, 1)));
        return true;
      case ValueType::kList:
        return false;
    }
    return false;
  }

  bool AddAround(FactId fact, const Value& v) {
    if (!AddDefaults(fact)) return false;
    const FactDecl& d = rules_.dictionary.at(fact);
    Candidates& c = facts_[fact];
    switch (d.type) {
      case ValueType::kInteger:
      case ValueType::kNumber: {
        const double x = v.AsNumber();
        const double step = d.type == ValueType::kInteger ? 1 : 0.5;
        for (double y : {x - step, x, x + step}) {
          if (!InBounds(d, y)) continue;
          c.Add(d.type == ValueType::kInteger ? Value::Integer(static_cast<std::int64_t>(y))
                                              : Value::Number(y));
        }
        return true;
      }
      case ValueType::kDate:
        for (int delta : {-1, 0, 1}) c.Add(Value::OfDate(v.date().AddDays(delta)));
        return true;
      case ValueType::kString:
      case ValueType::kCountry:
        c.Add(v);
        return true;
      default:
        return true;  // bools and enums are already complete
    }
  }

  const RuleSet& rules_;
  std::map<FactId, Candidates> facts_;
};

std::string ExampleProfile(const RuleSet& rules, const std::map<FactId, Candidates>& space,
                           const std::vector<std::size_t>& choice) {
  nlohmann::ordered_json profile = nlohmann::ordered_json::object();
  std::size_t i = 0;
  for (const auto& [fact, candidates] : space) {
    const FactDecl& d = rules.dictionary.at(fact);
    const Value& v = candidates.values[choice[i++]];
    nlohmann::ordered_json* node = &profile;
    std::size_t start = 0;
    for (std::size_t dot = d.path.find('.'); dot != std::string::npos;
         dot = d.path.find('.', start)) {
      node = &(*node)[d.path.substr(start, dot - start)];
      start = dot + 1;
    }
    nlohmann::ordered_json& leaf = (*node)[d.path.substr(start)];
    switch (v.kind) {
      case Value::Kind::kBool:
        leaf = v.boolean;
        break;
      case Value::Kind::kInteger:
        leaf = v.integer;
        break;
      case Value::Kind::kNumber:
        leaf = v.number;
        break;
      case Value::Kind::kString:
        leaf = v.string != kOther              ? v.string
               : d.type == ValueType::kCountry ? OtherCountry(candidates.values)
                                               : std::string("(any other text)");
        break;
      default:
        leaf = DisplayValue(v, &d);
    }
  }
  return profile.dump();
}

// Outcome of a condition over every combination of candidate values, all facts known.
void DetectConstantConditions(const RuleSet& rules, const LintOptions& options,
                              std::vector<Diagnostic>& out) {
  constexpr std::size_t kMaxCombinations = 20000;
  std::set<int> reported;
  // One evaluator for every combination: making one prepares every condition of the set.
  Evaluator evaluator(rules);
  for (const Pathway& p : rules.pathways) {
    for (const Item& item : p.items) {
      if (item.condition < 0 || reported.count(item.condition)) continue;
      ConditionSpace space(rules);
      if (!space.Collect(item.condition) || space.facts().empty()) continue;
      std::size_t combinations = 1;
      for (const auto& [fact, c] : space.facts()) {
        combinations *= c.values.size();
        if (combinations > kMaxCombinations) break;
      }
      if (combinations > kMaxCombinations) continue;
      Facts facts;
      facts.values.resize(rules.dictionary.facts().size());
      std::vector<std::size_t> choice(space.facts().size(), 0);
      std::optional<std::vector<std::size_t>> met, unmet;
      for (std::size_t n = 0; n < combinations; ++n) {
        std::size_t rest = n, i = 0;
        for (const auto& [fact, c] : space.facts()) {
          choice[i] = rest % c.values.size();
          rest /= c.values.size();
          facts.values[fact] = c.values[choice[i]];
          ++i;
        }
        const Outcome o = evaluator.Condition(item.condition, facts, options.as_of).outcome;
        if (o == Outcome::kMet && !met) met = choice;
        if (o == Outcome::kUnmet && !unmet) unmet = choice;
        if (met && unmet) break;
      }
      if (met && unmet) continue;
      reported.insert(item.condition);
      const std::string rule = ConditionToString(rules, item.condition);
      if (!met) {
        out.push_back(
            At(rules, item.origin, Severity::kError, "E101",
               fmt::format(
                   "the condition of {}/{} can never be met: {}; e.g. {} leaves it unmet, and so "
                   "does every other combination of values the dictionary allows",
                   p.id, item.id, rule, ExampleProfile(rules, space.facts(), *unmet))));
      } else if (!unmet) {
        out.push_back(At(
            rules, item.origin, Severity::kWarning, "W102",
            fmt::format(
                "the condition of {}/{} can never be unmet once its facts are known: {}; e.g. {} "
                "meets it, as does every other combination",
                p.id, item.id, rule, ExampleProfile(rules, space.facts(), *met))));
      }
    }
  }
}

// ---- W103 / W104: unused facts and definitions --------------------------------------------

void DetectUnused(const RuleSet& rules, std::vector<Diagnostic>& out) {
  std::vector<bool> facts(rules.dictionary.facts().size(), false);
  std::vector<char> conds(rules.conditions.size(), 0);  // walked: those are in use
  auto on_condition = [&](const CondNode& c) {
    if (c.op == CondOp::kSome || c.op == CondOp::kEvery || c.op == CondOp::kDisjoint) {
      facts[c.list] = true;
    }
  };
  auto on_expression = [&](const ExprNode& e) {
    if (e.op == ExprOp::kFact || e.op == ExprOp::kField || e.op == ExprOp::kCount ||
        e.op == ExprOp::kSum) {
      facts[e.fact] = true;
      if (const auto& list = rules.dictionary.at(e.fact).list) facts[*list] = true;
    }
  };
  for (const Pathway& p : rules.pathways) {
    for (const Item& item : p.items) {
      if (item.condition >= 0) {
        WalkCondition(rules, item.condition, conds, on_condition, on_expression);
      }
      for (const auto& let : item.lets) {
        WalkExpression(rules, let.second, conds, on_condition, on_expression);
      }
      if (item.at >= 0) WalkExpression(rules, item.at, conds, on_condition, on_expression);
      for (const TextTemplate* t : {&item.met_text, &item.unmet_text, &item.unknown_text}) {
        for (const auto& s : t->segments) {
          if (s.kind == TextTemplate::Segment::Kind::kFact)
            facts[static_cast<std::size_t>(s.index)] = true;
        }
      }
    }
  }
  // A fact read to derive another, or to date one, is read by every rule that reads that one.
  for (const Derivation& d : rules.derivations) {
    for (const Derivation::Case& k : d.cases) {
      WalkCondition(rules, k.condition, conds, on_condition, on_expression);
    }
  }
  for (const FactDecl& d : rules.dictionary.facts()) {
    if (d.dated) facts[d.dated->by] = true;
  }
  // The name of an alternative tells the person which offer a verdict is for.
  if (const auto& a = rules.dictionary.alternatives(); a && a->name) facts[*a->name] = true;
  for (std::size_t f = 0; f < facts.size(); ++f) {
    const FactDecl& d = rules.dictionary.at(static_cast<FactId>(f));
    if (facts[f] || d.list)
      continue;  // record fields may document a period without deciding anything
    out.push_back(Diagnostic{
        Severity::kWarning, "W103",
        fmt::format("fact \"{}\" is declared but no rule reads it: a person would be asked "
                    "for it for nothing; remove it or use it",
                    d.path),
        d.file, d.offset});
  }
  for (const auto& [name, cond] : rules.definitions) {
    if (conds[static_cast<std::size_t>(cond)]) continue;
    out.push_back(At(rules, rules.definition_origins.at(name), Severity::kWarning, "W104",
                     fmt::format("definition \"{}\" is never referenced", name)));
  }
}

}  // namespace

std::vector<Diagnostic> Lint(const RuleSet& rules, const LintOptions& options) {
  std::vector<Diagnostic> out;
  DetectStaleSources(rules, options, out);
  DetectConstantConditions(rules, options, out);
  DetectUnused(rules, out);
  for (const SourceFile& f : rules.files) Locate(out, f);
  SortByLocation(out);
  return out;
}

}  // namespace imgvisa

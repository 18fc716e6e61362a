// What a fact declaration says about time and about other facts: "dated" (the fact counts only
// from its date) and "derive" (the rules work the fact out when the profile leaves it unknown).
// Both name other facts, so they are compiled once the whole dictionary is declared.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "imgvisa/rules/rule_reads.h"
#include "rules/compiler/compiler.h"

namespace imgvisa::compiler {
namespace {

// The type a literal must have to be a value of fact `id`.
Typed ValueOf(const FactDictionary& dictionary, FactId id) {
  const FactDecl& d = dictionary.at(id);
  return Typed{0, d.type, d.type == ValueType::kEnum ? static_cast<int>(id) : -1};
}

// "by" of a dating: a date fact, or for a list of records one of its date fields.
std::optional<FactId> DatingDate(CompileContext& c, const FactDecl& d, const json& dated,
                                 std::uint16_t f, const std::string& dp) {
  const std::string by = c.StringMember(dated, "by", true, f, dp, "\"dated\"");
  if (by.empty()) return std::nullopt;
  const FactDictionary& dictionary = c.rules.dictionary;
  std::optional<FactId> id;
  if (d.is_record_list()) {
    for (FactId field : d.fields) {
      if (dictionary.at(field).field_name == by) id = field;
    }
  } else {
    id = dictionary.Find(by);
    if (id && dictionary.at(*id).list) id.reset();
  }
  if (!id) {
    c.Error("E021",
            fmt::format("\"dated\" \"by\" names no {} \"{}\"",
                        d.is_record_list() ? "field of the list" : "fact", EscapeForDisplay(by)),
            f, AppendPointer(dp, "by"));
    return std::nullopt;
  }
  if (dictionary.at(*id).type != ValueType::kDate) {
    c.Error("E024",
            fmt::format("\"dated\" \"by\" must name a date fact; \"{}\" is of type {}",
                        EscapeForDisplay(by), ValueTypeName(dictionary.at(*id).type)),
            f, AppendPointer(dp, "by"));
    return std::nullopt;
  }
  return id;
}

void CompileDating(CompileContext& c, const FactExtras& x) {
  const FactDecl& d = c.rules.dictionary.at(x.fact);
  const std::uint16_t f = x.file;
  const std::string dp = AppendPointer(x.pointer, "dated");
  c.CheckKeys(*x.dated, {"by", "values", "before"}, f, dp, "\"dated\"");
  Dating dating;
  const std::optional<FactId> by = DatingDate(c, d, *x.dated, f, dp);
  if (!by) return;
  dating.by = *by;
  const bool scalar = d.type != ValueType::kList;
  if (!scalar && !d.is_record_list()) {
    c.Error("E013", "a list of scalars cannot be dated", f, dp);
    return;
  }
  if (!scalar) {
    for (const char* key : {"values", "before"}) {
      if (x.dated->contains(key)) {
        c.Error("E013",
                fmt::format("\"{}\" applies to a dated scalar fact: a list's records are left "
                            "out before their date",
                            key),
                f, AppendPointer(dp, key), true);
      }
    }
    c.rules.dictionary.SetDating(x.fact, std::move(dating));
    return;
  }
  if (const json* values =
          c.Member(*x.dated, "values", json::value_t::array, false, f, dp, "\"dated\"")) {
    for (std::size_t i = 0; i < values->size(); ++i) {
      auto v = Coerce(c, (*values)[i], ValueOf(c.rules.dictionary, x.fact), f,
                      AppendPointer(AppendPointer(dp, "values"), i));
      if (v) dating.values.push_back(std::move(*v));
    }
  }
  auto before = x.dated->find("before");
  if (before == x.dated->end()) {
    c.Error("E012", "a dated scalar fact needs \"before\": what it reads before its date", f, dp);
    return;
  }
  auto v = Coerce(c, *before, ValueOf(c.rules.dictionary, x.fact), f, AppendPointer(dp, "before"));
  if (!v) return;
  dating.before = std::move(*v);
  c.rules.dictionary.SetDating(x.fact, std::move(dating));
}

// One case of a "derive": {"when": condition, "value": literal}.
std::optional<Derivation::Case> CompileCase(CompileContext& c, const FactExtras& x, const json& j,
                                            const std::string& cp) {
  if (!j.is_object()) {
    c.Error("E011", "a \"derive\" case must be an object", x.file, cp);
    return std::nullopt;
  }
  c.CheckKeys(j, {"when", "value", "$comment"}, x.file, cp, "a \"derive\" case");
  auto when = j.find("when");
  auto value = j.find("value");
  if (when == j.end() || value == j.end()) {
    c.Error("E012", "a \"derive\" case needs \"when\" and \"value\"", x.file, cp);
    return std::nullopt;
  }
  Scope scope;
  scope.file = x.file;
  Derivation::Case out;
  out.condition = CompileCondition(c, *when, scope, AppendPointer(cp, "when"));
  auto v =
      Coerce(c, *value, ValueOf(c.rules.dictionary, x.fact), x.file, AppendPointer(cp, "value"));
  if (out.condition < 0 || !v) return std::nullopt;
  out.value = std::move(*v);
  return out;
}

std::optional<Derivation> CompileDerive(CompileContext& c, const FactExtras& x) {
  const std::string dp = AppendPointer(x.pointer, "derive");
  if (c.rules.dictionary.at(x.fact).type == ValueType::kList) {
    c.Error("E013", "only scalar facts can be derived", x.file, dp);
    return std::nullopt;
  }
  if (x.derive->empty()) {
    c.Error("E013", "\"derive\" needs at least one case", x.file, dp);
    return std::nullopt;
  }
  Derivation d;
  d.fact = x.fact;
  bool ok = true;
  for (std::size_t i = 0; i < x.derive->size(); ++i) {
    auto one = CompileCase(c, x, (*x.derive)[i], AppendPointer(dp, i));
    if (one) {
      d.cases.push_back(std::move(*one));
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return d;
}

// Derivations ordered so that each comes after the derived facts its conditions read; a
// derivation that reads a pathway's verdict, or reads itself through others, is refused.
void OrderDerivations(CompileContext& c, std::vector<Derivation> found,
                      const std::vector<const FactExtras*>& where) {
  RuleReads reads(c.rules);
  std::vector<Reads> read(found.size());
  for (std::size_t i = 0; i < found.size(); ++i) {
    for (const Derivation::Case& k : found[i].cases) reads.AddCondition(k.condition, read[i]);
    if (!read[i].pathways.empty()) {
      c.Error("E013", "a derived fact cannot read a pathway's verdict or items", where[i]->file,
              AppendPointer(where[i]->pointer, "derive"));
    }
  }
  std::vector<int> state(found.size(), 0);  // 0 not placed, 1 placing, 2 placed
  std::function<bool(std::size_t)> place = [&](std::size_t i) {
    if (state[i] == 2) return true;
    if (state[i] == 1) return false;
    state[i] = 1;
    for (std::size_t j = 0; j < found.size(); ++j) {
      if (j != i && read[i].facts.contains(found[j].fact) && !place(j)) return false;
    }
    if (read[i].facts.contains(found[i].fact)) return false;
    state[i] = 2;
    c.rules.derivations.push_back(found[i]);
    return true;
  };
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (!place(i)) {
      c.Error(
          "E023",
          fmt::format("the derivation of \"{}\" reads itself, through the facts it derives from",
                      c.rules.dictionary.at(found[i].fact).path),
          where[i]->file, AppendPointer(where[i]->pointer, "derive"));
      return;
    }
  }
}

}  // namespace

void CompileAlternatives(CompileContext& c) {
  if (c.alternatives == nullptr) return;
  const std::uint16_t f = c.alternatives_file;
  const std::string ap = "/ruleset/alternatives";
  if (c.alternatives->size() != 1) {
    c.Error("E013", "\"alternatives\" names one list: {\"offers\": \"offer\"}", f, ap);
    return;
  }
  Alternatives a;
  a.key = c.alternatives->begin().key();
  const std::string kp = AppendPointer(ap, a.key);
  const json& prefix = c.alternatives->begin().value();
  const FactDictionary& dictionary = c.rules.dictionary;
  if (!prefix.is_string() || dictionary.ChildrenOf(prefix.get<std::string>()) == nullptr) {
    c.Error("E021", "an alternative must name a group of facts (\"offer\" for offer.start, ...)", f,
            kp);
    return;
  }
  a.prefix = prefix.get<std::string>();
  if (dictionary.Find(a.key) || dictionary.ChildrenOf(a.key) != nullptr ||
      a.key.find('.') != std::string::npos) {
    c.Error("E020",
            fmt::format("\"{}\" is a fact or a group of facts already, or not a top-level key",
                        EscapeForDisplay(a.key)),
            f, kp, true);
    return;
  }
  for (std::size_t i = 0; i < dictionary.facts().size(); ++i) {
    const FactDecl& d = dictionary.facts()[i];
    if (!d.list && d.path.rfind(a.prefix + ".", 0) == 0) a.facts.push_back(static_cast<FactId>(i));
  }
  a.name = dictionary.Find(a.prefix + ".name");
  c.rules.dictionary.SetAlternatives(std::move(a));
}

void CompileAskOrders(CompileContext& c) {
  for (const FactExtras& x : c.fact_extras) {
    if (x.ask == nullptr) continue;
    const std::string ap = AppendPointer(x.pointer, "ask");
    c.CheckKeys(*x.ask, {"after", "unless"}, x.file, ap, "\"ask\"");
    const std::string after = c.StringMember(*x.ask, "after", true, x.file, ap, "\"ask\"");
    if (after.empty()) continue;
    const FactDictionary& dictionary = c.rules.dictionary;
    const std::optional<FactId> id = dictionary.Find(after);
    if (!id || dictionary.at(*id).list || *id == x.fact) {
      c.Error("E021",
              fmt::format("\"ask\" \"after\" names no other fact \"{}\"", EscapeForDisplay(after)),
              x.file, AppendPointer(ap, "after"));
      continue;
    }
    std::vector<Value> unless;
    if (const json* values =
            c.Member(*x.ask, "unless", json::value_t::array, false, x.file, ap, "\"ask\"")) {
      for (std::size_t i = 0; i < values->size(); ++i) {
        auto v = Coerce(c, (*values)[i], ValueOf(dictionary, *id), x.file,
                        AppendPointer(AppendPointer(ap, "unless"), i));
        if (v) unless.push_back(std::move(*v));
      }
    }
    c.rules.dictionary.SetAskOrder(x.fact, *id, std::move(unless));
  }
}

void CompileDatings(CompileContext& c) {
  for (const FactExtras& x : c.fact_extras) {
    if (x.dated != nullptr) CompileDating(c, x);
  }
}

void CompileDerivations(CompileContext& c) {
  std::vector<Derivation> found;
  std::vector<const FactExtras*> where;
  for (const FactExtras& x : c.fact_extras) {
    if (x.derive == nullptr) continue;
    if (auto d = CompileDerive(c, x)) {
      found.push_back(std::move(*d));
      where.push_back(&x);
    }
  }
  OrderDerivations(c, std::move(found), where);
}

}  // namespace imgvisa::compiler

#include "imgvisa/output/explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <sstream>

#include "imgvisa/engine/verdict.h"
#include "imgvisa/profile/display_value.h"
#include "imgvisa/profile/facts.h"

namespace imgvisa {
namespace {

using json = nlohmann::ordered_json;

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// The whole words of `text`, in order.
std::vector<std::string_view> WordsOf(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsWordChar(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && IsWordChar(text[i])) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

bool SameLetters(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool AllCaps(std::string_view word) {
  return std::none_of(word.begin(), word.end(),
                      [](char c) { return std::islower(static_cast<unsigned char>(c)) != 0; });
}

// One word of a fact's path as the fact's description writes it: an acronym in capitals
// ("usmle" → "USMLE"), a short abbreviation spelled out when the description has the words it
// abbreviates ("son" → "Statement of Need"); otherwise as it is.
std::string WordAsDescribed(std::string_view word, const std::vector<std::string_view>& described) {
  for (std::string_view d : described) {
    if (SameLetters(word, d) && AllCaps(d)) return std::string(d);
  }
  const bool letters = std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
  });
  if (word.size() < 3 || word.size() > 4 || !letters) return std::string(word);
  for (std::size_t i = 0; i + word.size() <= described.size(); ++i) {
    bool initials = std::isupper(static_cast<unsigned char>(described[i][0])) != 0;
    for (std::size_t k = 0; k < word.size() && initials; ++k) {
      initials = SameLetters(word.substr(k, 1), described[i + k].substr(0, 1));
    }
    if (!initials) continue;
    std::string phrase(described[i]);
    for (std::size_t k = 1; k < word.size(); ++k) phrase += " " + std::string(described[i + k]);
    return phrase;
  }
  return std::string(word);
}

std::string LiteralToString(const RuleSet& rules, const Value& v, int enum_fact) {
  const FactDecl* decl =
      enum_fact >= 0 ? &rules.dictionary.at(static_cast<FactId>(enum_fact)) : nullptr;
  if (v.kind == Value::Kind::kString) return "\"" + v.string + "\"";
  return DisplayValue(v, decl);
}

std::string ExprToString(const RuleSet& rules, int index) {
  const ExprNode& e = rules.expressions[static_cast<std::size_t>(index)];
  auto arg = [&](std::size_t i) { return ExprToString(rules, e.args[i]); };
  switch (e.op) {
    case ExprOp::kLiteral:
      return LiteralToString(rules, e.literal, e.enum_fact);
    case ExprOp::kFact:
      return rules.dictionary.at(e.fact).path;
    case ExprOp::kField:
      return "." + rules.dictionary.at(e.fact).field_name;
    case ExprOp::kAsOf:
      return "as_of";
    case ExprOp::kMonthsBetween:
      return fmt::format("months({} → {})", arg(0), arg(1));
    case ExprOp::kDaysBetween:
      return fmt::format("days({} → {})", arg(0), arg(1));
    case ExprOp::kAddMonths:
      return fmt::format("{} + {} months", arg(0), arg(1));
    case ExprOp::kAddDays:
      return fmt::format("{} + {} days", arg(0), arg(1));
    case ExprOp::kAdd:
      return fmt::format("({} + {})", arg(0), arg(1));
    case ExprOp::kSub:
      return fmt::format("({} - {})", arg(0), arg(1));
    case ExprOp::kCount:
      return fmt::format("count({}{})", rules.dictionary.at(e.fact).path,
                         e.where >= 0 ? " where " + ConditionToString(rules, e.where) : "");
    case ExprOp::kSum:
      return fmt::format("sum({} of {}{})", ExprToString(rules, e.of),
                         rules.dictionary.at(e.fact).path,
                         e.where >= 0 ? " where " + ConditionToString(rules, e.where) : "");
    case ExprOp::kCoalesce: {
      std::vector<std::string> parts;
      for (std::size_t i = 0; i < e.args.size(); ++i) parts.push_back(arg(i));
      return fmt::format("first known of({})", fmt::join(parts, ", "));
    }
  }
  return "?";
}

const char* CompareSymbol(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNe:
      return "≠";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "≤";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return "≥";
  }
  return "?";
}

std::string Words(std::uint8_t mask, const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (mask & (1u << i)) out.push_back(words[i]);
  }
  return fmt::format("{}", fmt::join(out, "/"));
}

std::string Range(const Effective& e) {
  if (!e.from && !e.until) return "always";
  if (e.from && e.until)
    return fmt::format("{} to {}", e.from->ToString(), e.until->AddDays(-1).ToString());
  if (e.from) return "from " + e.from->ToString();
  return "until " + e.until->AddDays(-1).ToString();
}

std::string SourceMarkdown(const Source& s) {
  std::string name = s.instrument + (s.section.empty() ? "" : ", " + s.section);
  if (!s.url.empty()) name = fmt::format("[{}]({})", name, s.url);
  if (!s.read.empty())
    return fmt::format("{} (verified {}: {})", name, s.verified.ToString(), s.read);
  return fmt::format("{} (verified {})", name, s.verified.ToString());
}

const char* KindHeading(ItemKind kind) {
  switch (kind) {
    case ItemKind::kGate:
      return "Who it concerns";
    case ItemKind::kRequirement:
      return "Requirements";
    case ItemKind::kRestriction:
      return "Restrictions (dated gates that block even when the merits are met)";
    case ItemKind::kCondition:
      return "Conditions (decisions no profile can settle)";
    case ItemKind::kNote:
      return "Notes";
    case ItemKind::kConsequence:
      return "Consequences";
  }
  return "";
}

void UnsettledIn(const RuleSet& rules, int index, std::vector<int>& out) {
  const CondNode& c = rules.conditions[static_cast<std::size_t>(index)];
  if (c.op == CondOp::kUnsettled && std::find(out.begin(), out.end(), c.target) == out.end())
    out.push_back(c.target);
  for (int child : c.children) UnsettledIn(rules, child, out);
}

bool Shown(const Item& item, std::optional<Date> as_of) {
  return !as_of || item.effective.Contains(*as_of);
}

}  // namespace

std::string ConditionToString(const RuleSet& rules, int index) {
  const CondNode& c = rules.conditions[static_cast<std::size_t>(index)];
  auto children = [&](const char* name) {
    std::vector<std::string> parts;
    for (int child : c.children) parts.push_back(ConditionToString(rules, child));
    return fmt::format("{}({})", name, fmt::join(parts, ", "));
  };
  auto set = [&](int enum_fact) {
    std::vector<std::string> parts;
    for (const Value& v : c.set) parts.push_back(LiteralToString(rules, v, enum_fact));
    return fmt::format("{{{}}}", fmt::join(parts, ", "));
  };
  switch (c.op) {
    case CondOp::kAll:
      return children("all");
    case CondOp::kAny:
      return children("any");
    case CondOp::kNot:
      return "not " + ConditionToString(rules, c.children[0]);
    case CondOp::kRef: {
      for (const auto& [name, cond] : rules.definitions) {
        if (cond == c.children[0]) return name;
      }
      return ConditionToString(rules, c.children[0]);
    }
    case CondOp::kCompare:
      return fmt::format("{} {} {}", ExprToString(rules, c.lhs), CompareSymbol(c.compare),
                         ExprToString(rules, c.rhs));
    case CondOp::kIn:
      return fmt::format("{} in {}", ExprToString(rules, c.lhs),
                         set(rules.expressions[static_cast<std::size_t>(c.lhs)].enum_fact));
    case CondOp::kInList:
      return fmt::format("{} in {}", ExprToString(rules, c.lhs), ExprToString(rules, c.rhs));
    case CondOp::kOverlaps:
      return fmt::format(
          "some of {} in {}", ExprToString(rules, c.lhs),
          set(static_cast<int>(rules.expressions[static_cast<std::size_t>(c.lhs)].fact)));
    case CondOp::kWithin:
      return fmt::format(
          "all of {} in {}", ExprToString(rules, c.lhs),
          set(static_cast<int>(rules.expressions[static_cast<std::size_t>(c.lhs)].fact)));
    case CondOp::kExists:
      return fmt::format("{} is known", ExprToString(rules, c.lhs));
    case CondOp::kSome:
    case CondOp::kEvery:
      return fmt::format("{} record of {} with {}", c.op == CondOp::kSome ? "some" : "every",
                         rules.dictionary.at(c.list).path, ConditionToString(rules, c.children[0]));
    case CondOp::kPathway:
      return fmt::format(
          "verdict of {} is {}", rules.pathways[static_cast<std::size_t>(c.target)].id,
          Words(c.accept,
                std::vector<std::string>(std::begin(kVerdictNames), std::end(kVerdictNames))));
    case CondOp::kItem:
      return fmt::format("{}/{} is {}", rules.pathways[static_cast<std::size_t>(c.target)].id,
                         c.item_id, Words(c.accept, {"met", "unmet", "unknown", "inactive"}));
    case CondOp::kUnsettled:
      return fmt::format("unsettled[{}]", rules.unsettled[static_cast<std::size_t>(c.target)].id);
    case CondOp::kDisjoint:
      return fmt::format(
          "no two records of {}{} overlap from {} to {}", rules.dictionary.at(c.list).path,
          c.children.empty() ? std::string()
                             : fmt::format(" with {}", ConditionToString(rules, c.children[0])),
          ExprToString(rules, c.lhs), ExprToString(rules, c.rhs));
  }
  return "?";
}

std::string PlaceholderWords(std::string_view name, std::string_view description) {
  const std::vector<std::string_view> described = WordsOf(description);
  std::string words;
  for (char c : name) {
    if (c == '[' || c == ']') continue;
    words += (c == '.' || c == '_') ? ' ' : c;
  }
  std::string out;
  for (std::string_view w : WordsOf(words)) {
    if (!out.empty()) out += ' ';
    out += WordAsDescribed(w, described);
  }
  return out;
}

// A value the person's profile would fill in. Not brackets: text output shows item ids in
// them, and markdown reads <...> as markup.
std::string Slot(const std::string& words) { return "‹" + words + "›"; }

std::string TemplateText(const RuleSet& rules, const Item& item, const TextTemplate& text) {
  std::string out;
  for (const auto& s : text.segments) {
    switch (s.kind) {
      case TextTemplate::Segment::Kind::kLiteral:
        out += s.literal;
        break;
      case TextTemplate::Segment::Kind::kFact: {
        const FactDecl& fact = rules.dictionary.at(static_cast<FactId>(s.index));
        out += Slot(PlaceholderWords(fact.path, fact.description));
        break;
      }
      case TextTemplate::Segment::Kind::kLet:
        out += Slot(PlaceholderWords(item.lets[static_cast<std::size_t>(s.index)].first, ""));
        break;
    }
  }
  return out;
}

void ExplainPathways(std::ostream& out, const RuleSet& rules,
                     const std::vector<std::size_t>& pathways, std::optional<Date> as_of,
                     const std::string& format) {
  if (format == "json") {
    json list = json::array();
    for (std::size_t p : pathways) {
      const Pathway& pw = rules.pathways[p];
      json items = json::array();
      for (const Item& item : pw.items) {
        if (!Shown(item, as_of)) continue;
        json j = {{"id", item.id}, {"kind", ItemKindName(item.kind)}, {"title", item.title}};
        if (item.condition >= 0) j["condition"] = ConditionToString(rules, item.condition);
        j["met"] = TemplateText(rules, item, item.met_text);
        if (item.unmet_text.present) j["unmet"] = TemplateText(rules, item, item.unmet_text);
        j["effective"] = Range(item.effective);
        if (item.is_volatile) j["volatile"] = true;
        json sources = json::array();
        for (const Source& s : item.sources) {
          sources.push_back({{"instrument", s.instrument},
                             {"section", s.section},
                             {"url", s.url},
                             {"verified", s.verified.ToString()}});
          if (!s.read.empty()) sources.back()["read"] = s.read;
        }
        j["sources"] = std::move(sources);
        items.push_back(std::move(j));
      }
      list.push_back({{"pathway", pw.id},
                      {"title", pw.title},
                      {"summary", pw.summary},
                      {"sponsor", pw.sponsor},
                      {"component", pw.component},
                      {"effective", Range(pw.effective)},
                      {"items", std::move(items)}});
    }
    json doc = {{"rules", {{"name", rules.name}, {"version", rules.version}}},
                {"pathways", std::move(list)}};
    if (as_of) doc["as_of"] = as_of->ToString();
    out << doc.dump(2) << "\n";
    return;
  }
  const bool md = format == "markdown";
  for (std::size_t p : pathways) {
    const Pathway& pw = rules.pathways[p];
    if (md) {
      out << fmt::format("## `{}` — {}\n\n{}\n\n", pw.id, pw.title, pw.summary);
      out << fmt::format(
          "Sponsor: {}. In force: {}.{}\n", pw.sponsor, Range(pw.effective),
          pw.component
              ? " A shared component: other pathways read it; `check` shows it only when asked."
              : "");
    } else {
      out << fmt::format("{} — {}\n  {}\n  sponsor: {}; in force: {}\n", pw.id, pw.title,
                         pw.summary, pw.sponsor, Range(pw.effective));
    }
    for (ItemKind kind : {ItemKind::kGate, ItemKind::kRequirement, ItemKind::kRestriction,
                          ItemKind::kCondition, ItemKind::kConsequence, ItemKind::kNote}) {
      bool heading = false;
      for (const Item& item : pw.items) {
        if (item.kind != kind || !Shown(item, as_of)) continue;
        if (!heading) {
          out << (md ? fmt::format("\n### {}\n\n", KindHeading(kind))
                     : fmt::format("\n  {}\n", KindHeading(kind)));
          heading = true;
        }
        std::string dated =
            as_of ? ""
                  : (Range(item.effective) == "always" ? "" : " (" + Range(item.effective) + ")");
        if (item.is_volatile) dated += " — volatile";
        if (md) {
          out << fmt::format("- **{}** `{}`{}\n", item.title, item.id, dated);
          if (item.condition >= 0)
            out << fmt::format("  - Rule: `{}`\n", ConditionToString(rules, item.condition));
          if (item.at >= 0)
            out << fmt::format("  - Judged at: `{}` (or the evaluation date, if later)\n",
                               ExprToString(rules, item.at));
          out << fmt::format("  - {}: {}\n", Decides(item.kind) ? "When met" : "Says",
                             TemplateText(rules, item, item.met_text));
          if (item.unmet_text.present)
            out << fmt::format("  - When not: {}\n", TemplateText(rules, item, item.unmet_text));
          std::vector<int> unsettled;
          if (item.condition >= 0) UnsettledIn(rules, item.condition, unsettled);
          for (int u : unsettled) {
            const Unsettled& x = rules.unsettled[static_cast<std::size_t>(u)];
            out << fmt::format("  - Unsettled ({}): {} Decided by: {}.\n", x.id, x.reason,
                               x.decides);
          }
          for (const Source& s : item.sources) out << "  - Source: " << SourceMarkdown(s) << "\n";
        } else {
          out << fmt::format(
              "    {} [{}]{}\n      {}\n", item.title, item.id, dated,
              TemplateText(
                  rules, item,
                  Decides(item.kind) && item.unmet_text.present ? item.unmet_text : item.met_text));
          for (const Source& s : item.sources) {
            out << fmt::format("      source: {}{}{} (verified {})\n", s.instrument,
                               s.section.empty() ? "" : ", " + s.section,
                               s.url.empty() ? "" : " <" + s.url + ">", s.verified.ToString());
          }
        }
      }
    }
    out << "\n";
  }
}

// What the rule language's time and derivation say about a fact (docs/rule-language.md).
void DatedAndDerived(std::ostream& out, const RuleSet& rules, const FactDecl& d) {
  if (d.dated) {
    const FactDecl& by = rules.dictionary.at(d.dated->by);
    if (d.is_record_list()) {
      out << fmt::format("- Counts from its date: a record counts from its `{}`\n", by.field_name);
    } else {
      std::vector<std::string> values;
      for (const Value& v : d.dated->values) values.push_back(DisplayValue(v, &d));
      out << fmt::format(
          "- Counts from its date: {} counts from `{}`; before that date it reads {}\n",
          values.empty() ? std::string("its value") : fmt::format("{}", fmt::join(values, " or ")),
          by.path, DisplayValue(d.dated->before, &d));
    }
  }
  for (const Derivation& derivation : rules.derivations) {
    if (&rules.dictionary.at(derivation.fact) != &d) continue;
    for (const Derivation::Case& k : derivation.cases) {
      out << fmt::format("- Derived when the profile leaves it out: {} when `{}`\n",
                         DisplayValue(k.value, &d), ConditionToString(rules, k.condition));
    }
  }
}

void ExplainFacts(std::ostream& out, const RuleSet& rules) {
  for (const FactDecl& d : rules.dictionary.facts()) {
    if (d.list) continue;
    std::string type(ValueTypeName(d.type));
    if (d.type == ValueType::kEnum) type += ": " + fmt::format("{}", fmt::join(d.values, ", "));
    if (d.item_type) {
      type = fmt::format("list of {}", ValueTypeName(*d.item_type));
      if (!d.values.empty()) type += fmt::format(" ({})", fmt::join(d.values, ", "));
    }
    if (d.is_record_list()) type = "list of records";
    if (d.minimum || d.maximum) {
      type += fmt::format(", {} to {}", d.minimum ? fmt::format("{}", *d.minimum) : "…",
                          d.maximum ? fmt::format("{}", *d.maximum) : "…");
    }
    if (!d.unit.empty()) type += ", in " + d.unit;
    out << fmt::format("### `{}`\n\n{}\n\n- Type: {}\n- Question: {}\n", d.path, d.description,
                       type, d.question);
    if (!d.example.empty()) out << fmt::format("- Example: `{}`\n", d.example);
    DatedAndDerived(out, rules, d);
    for (FactId f : d.fields) {
      const FactDecl& field = rules.dictionary.at(f);
      std::string ft(ValueTypeName(field.type));
      if (field.type == ValueType::kEnum)
        ft += ": " + fmt::format("{}", fmt::join(field.values, ", "));
      out << fmt::format("  - `{}` ({}): {}\n", field.field_name, ft, field.description);
    }
    out << "\n";
  }
}

}  // namespace imgvisa

namespace imgvisa {

std::string PathwaysDocument(const RuleSet& rules) {
  std::ostringstream out;
  out << "# Pathways and their requirements\n\n"
      << "<!-- Generated by `imgvisa docs pathways` from rules/; do not edit. A test fails when it "
         "is stale. -->\n\n"
      << fmt::format(
             "Rule set {} {}. Every item shows its rule, the texts a person sees (with ‹…› where "
             "the person's own values go), every dated version and its sources. Verdict "
             "precedence and the rule language: "
             "[rule-language.md](rule-language.md).\n\n",
             rules.name, rules.version);
  std::vector<std::size_t> all = rules.presentation_order;
  for (std::size_t p : all)
    out << fmt::format("- `{}` — {}\n", rules.pathways[p].id, rules.pathways[p].title);
  out << "\n";
  ExplainPathways(out, rules, all, std::nullopt, "markdown");
  std::string text = out.str();
  while (text.size() > 1 && text[text.size() - 1] == '\n' && text[text.size() - 2] == '\n')
    text.pop_back();
  return text;
}

namespace {
// The section on a group of facts the profile may give several times (several offers).
void ExplainAlternatives(std::ostream& out, const RuleSet& rules) {
  const std::optional<Alternatives>& a = rules.dictionary.alternatives();
  if (!a) return;
  out << fmt::format(
      "## Several {0}s\n\n"
      "The `{0}.*` facts describe one {0}. A person weighing several gives them as a list "
      "instead: `\"{1}\": [{{\"name\": \"…\", …}}, {{…}}]`, each element holding the "
      "facts after `{0}.` (`{{\"{0}\": {{\"start\": …}}}}` becomes `{{\"{1}\": [{{\"start\": "
      "…}}]}}`). A profile gives `{0}` or `{1}`, not both. Every pathway that reads a `{0}.*` "
      "fact is then judged against each {0}, and its verdict is the best of them (eligible, "
      "conditional, undetermined, blocked, ineligible, not applicable), naming the {0} it is "
      "for by its place in the list (from 0 in JSON, from 1 in text) and its `name`. Pathways "
      "that read no `{0}.*` fact are judged once.\n\n",
      a->prefix, a->key);
}
}  // namespace

std::string ProfileDocument(const RuleSet& rules) {
  std::ostringstream out;
  out << "# The profile: every fact imgvisa reads\n\n"
      << "<!-- Generated by `imgvisa docs profile` from rules/facts; do not edit. A test fails "
         "when it is stale. -->\n\n"
      << "A profile is a JSON object. A fact `a.b.c` is written as nested objects: `{\"a\": "
         "{\"b\": {\"c\": ...}}}`. "
         "Give only what you know: **a fact you leave out is unknown, never false or zero**, and "
         "`null` means the same. "
         "Every verdict that depends on a missing fact says which one and asks its question. Keys "
         "not listed here are "
         "errors (with a suggestion), as are values of the wrong type. A profile may also carry "
         "`$schema`, `$comment` and "
         "`$id` (an identifier echoed in the output).\n\n"
         "Dates are `YYYY-MM-DD`; countries (type `country`) are ISO 3166-1 alpha-2 codes in "
         "capitals (`IN`, `NG`, `CA`), exactly as the standard lists them (US territories such as "
         "`PR` and `GU` have codes of their own): a name (`Nigeria`), an alpha-3 code (`NGA`) or "
         "a code in lower case (`ng`) is an error (E045) that suggests the code.\n\n"
         "Examples: [examples/profiles/](../examples/profiles/).\n\n";
  ExplainAlternatives(out, rules);
  out << "## Facts\n\n";
  ExplainFacts(out, rules);
  std::string text = out.str();
  while (text.size() > 1 && text[text.size() - 1] == '\n' && text[text.size() - 2] == '\n')
    text.pop_back();
  return text;
}

}  // namespace imgvisa

#include <fmt/format.h>

#include <algorithm>

#include "rules/compiler/compiler.h"

namespace imgvisa::compiler {
namespace {

Effective CompileEffective(CompileContext& c, const json& owner, std::uint16_t f,
                           const std::string& pointer) {
  Effective e;
  const json* eff =
      c.Member(owner, "effective", json::value_t::object, false, f, pointer, "an element");
  if (eff == nullptr) return e;
  const std::string ep = AppendPointer(pointer, "effective");
  c.CheckKeys(*eff, {"from", "until"}, f, ep, "an effective range");
  e.from = c.DateMember(*eff, "from", false, f, ep, "an effective range");
  e.until = c.DateMember(*eff, "until", false, f, ep, "an effective range");
  if (e.from && e.until && *e.from >= *e.until) {
    c.Error("E029",
            fmt::format("effective range is empty: \"from\" {} is not before \"until\" {}",
                        e.from->ToString(), e.until->ToString()),
            f, ep);
  }
  return e;
}

// The `{name}` of a text: a let value of the item, else a scalar fact; reported otherwise.
std::optional<TextTemplate::Segment> Placeholder(CompileContext& c, const std::string& name,
                                                 const Item& item, std::uint16_t f,
                                                 const std::string& tp) {
  auto let = std::find_if(item.lets.begin(), item.lets.end(),
                          [&](const auto& l) { return l.first == name; });
  if (let != item.lets.end()) {
    return TextTemplate::Segment{TextTemplate::Segment::Kind::kLet, "",
                                 static_cast<int>(let - item.lets.begin())};
  }
  const FactDictionary& dictionary = c.rules.dictionary;
  auto fact = dictionary.Find(name);
  if (fact && !dictionary.at(*fact).list) {
    return TextTemplate::Segment{TextTemplate::Segment::Kind::kFact, "", *fact};
  }
  std::vector<std::string> candidates;
  for (const auto& l : item.lets) candidates.push_back(l.first);
  for (const FactDecl& d : dictionary.facts()) {
    if (!d.list) candidates.push_back(d.path);
  }
  c.Error("E025",
          WithSuggestion(fmt::format("text placeholder {{{}}} names no fact and no let value",
                                     EscapeForDisplay(name)),
                         name, candidates),
          f, tp);
  return std::nullopt;
}

TextTemplate CompileText(CompileContext& c, const json& text, const char* key, bool required,
                         const Item& item, std::uint16_t f, const std::string& pointer) {
  TextTemplate t;
  const std::string s = c.StringMember(text, key, required, f, pointer, "a text");
  if (!text.contains(key)) return t;
  t.present = true;
  const std::string tp = AppendPointer(pointer, key);
  std::string literal;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '{') {
      literal += s[i];
      continue;
    }
    if (i + 1 < s.size() && s[i + 1] == '{') {
      literal += '{';
      ++i;
      continue;
    }
    const std::size_t close = s.find('}', i);
    if (close == std::string::npos) {
      c.Error("E025", "unclosed '{' in text (write '{{' for a literal brace)", f, tp);
      return t;
    }
    const std::string name = s.substr(i + 1, close - i - 1);
    i = close;
    if (!literal.empty()) {
      t.segments.push_back({TextTemplate::Segment::Kind::kLiteral, std::move(literal), 0});
      literal.clear();
    }
    if (auto segment = Placeholder(c, name, item, f, tp)) t.segments.push_back(std::move(*segment));
  }
  if (!literal.empty()) {
    t.segments.push_back({TextTemplate::Segment::Kind::kLiteral, std::move(literal), 0});
  }
  return t;
}

void CompileLets(CompileContext& c, const json& lets, Item& item, Scope& scope,
                 const std::string& pointer) {
  for (auto it = lets.begin(); it != lets.end(); ++it) {
    const std::string lp = AppendPointer(AppendPointer(pointer, "let"), it.key());
    if (!ValidName(it.key(), false)) {
      c.Error("E013",
              fmt::format("let name \"{}\" must use a-z, 0-9 and _", EscapeForDisplay(it.key())),
              scope.file, lp, true);
      continue;
    }
    Typed t = CompileExpr(c, it.value(), scope, lp, {});
    if (t.ok()) item.lets.emplace_back(it.key(), t.index);
  }
}

void CompileTexts(CompileContext& c, const json& text, Item& item, std::uint16_t f,
                  const std::string& pointer) {
  const std::string tp = AppendPointer(pointer, "text");
  c.CheckKeys(text, {"met", "unmet", "unknown"}, f, tp, "a text");
  item.met_text = CompileText(c, text, "met", true, item, f, tp);
  item.unmet_text = CompileText(c, text, "unmet", Decides(item.kind), item, f, tp);
  item.unknown_text = CompileText(c, text, "unknown", false, item, f, tp);
}

void CompileSources(CompileContext& c, const json& sources, Item& item, std::uint16_t f,
                    const std::string& pointer) {
  if (sources.empty()) {
    c.Error("E031",
            fmt::format("item \"{}\" cites no source: every item needs at least one", item.id), f,
            AppendPointer(pointer, "sources"));
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const std::string sp = AppendPointer(AppendPointer(pointer, "sources"), i);
    const json& s = sources[i];
    if (!s.is_object()) {
      c.Error("E011", "a source must be an object", f, sp);
      continue;
    }
    c.CheckKeys(s, {"instrument", "section", "url", "verified", "read"}, f, sp, "a source");
    Source src;
    src.origin = {f, c.OffsetOf(f, sp)};
    src.instrument = c.StringMember(s, "instrument", true, f, sp, "a source");
    src.section = c.StringMember(s, "section", false, f, sp, "a source");
    src.url = c.StringMember(s, "url", false, f, sp, "a source");
    if (auto d = c.DateMember(s, "verified", true, f, sp, "a source")) src.verified = *d;
    src.read = c.StringMember(s, "read", false, f, sp, "a source");
    item.sources.push_back(std::move(src));
  }
}

// Two versions of one item must not be in force on the same day.
void CheckVersions(CompileContext& c, const Pathway& pathway, const Item& item, std::uint16_t f,
                   const std::string& pointer) {
  for (const Item& other : pathway.items) {
    if (other.id == item.id && other.effective.Overlaps(item.effective)) {
      const LineCol at = c.rules.files[other.origin.file].ToLineCol(other.origin.offset);
      c.Error("E028",
              fmt::format("item \"{}\" has another version whose effective range overlaps this "
                          "one (line {}); versions of one item must not overlap",
                          item.id, at.line),
              f, AppendPointer(pointer, "id"));
      break;
    }
  }
}

// "at": the date a limit is judged at, a date expression (docs/rule-language.md).
void CompileAt(CompileContext& c, const json& at, Item& item, Scope& scope,
               const std::string& pointer) {
  const std::string ap = AppendPointer(pointer, "at");
  const Typed t = CompileExpr(c, at, scope, ap, Typed{0, ValueType::kDate, -1});
  if (!t.ok()) return;
  if (t.type != ValueType::kDate) {
    c.Error("E024", fmt::format("\"at\" must be a date, not {}", ValueTypeName(t.type)), scope.file,
            ap);
    return;
  }
  item.at = t.index;
}

// The item's kind; false (reported unless the kind is missing) when it is none of the kinds.
bool CompileKind(CompileContext& c, const json& j, Item& item, std::uint16_t f,
                 const std::string& pointer) {
  const std::string kind = c.StringMember(j, "kind", true, f, pointer, "an item");
  static const std::vector<std::string> kKinds = {"gate",      "requirement", "restriction",
                                                  "condition", "note",        "consequence"};
  auto k = std::find(kKinds.begin(), kKinds.end(), kind);
  if (k == kKinds.end()) {
    if (!kind.empty()) {
      c.Error("E013",
              WithSuggestion(fmt::format("unknown item kind \"{}\"", EscapeForDisplay(kind)), kind,
                             kKinds),
              f, AppendPointer(pointer, "kind"));
    }
    return false;
  }
  item.kind = static_cast<ItemKind>(k - kKinds.begin());
  return true;
}

void CompileItem(CompileContext& c, const json& j, Scope& scope, const std::string& pointer) {
  const std::uint16_t f = scope.file;
  if (!j.is_object()) {
    c.Error("E011", "an item must be an object", f, pointer);
    return;
  }
  c.CheckKeys(j,
              {"id", "kind", "title", "condition", "at", "let", "text", "sources", "effective",
               "volatile", "$comment"},
              f, pointer, "an item");
  Item item;
  item.origin = {f, c.OffsetOf(f, pointer)};
  item.id = c.StringMember(j, "id", true, f, pointer, "an item");
  if (!item.id.empty() && !ValidId(item.id)) {
    c.Error(
        "E013",
        fmt::format("item id \"{}\" must be kebab-case (a-z, 0-9, '-')", EscapeForDisplay(item.id)),
        f, AppendPointer(pointer, "id"));
  }
  item.title = c.StringMember(j, "title", true, f, pointer, "an item");
  if (!CompileKind(c, j, item, f, pointer)) return;
  if (const json* v =
          c.Member(j, "volatile", json::value_t::boolean, false, f, pointer, "an item")) {
    item.is_volatile = v->get<bool>();
  }
  item.effective = CompileEffective(c, j, f, pointer);
  if (auto it = j.find("condition"); it != j.end()) {
    item.condition = CompileCondition(c, *it, scope, AppendPointer(pointer, "condition"));
  } else if (Decides(item.kind)) {
    c.Error("E012", fmt::format("a {} item needs a \"condition\"", ItemKindName(item.kind)), f,
            pointer);
  }
  if (auto it = j.find("at"); it != j.end()) CompileAt(c, *it, item, scope, pointer);
  if (const json* lets = c.Member(j, "let", json::value_t::object, false, f, pointer, "an item")) {
    CompileLets(c, *lets, item, scope, pointer);
  }
  if (const json* text = c.Member(j, "text", json::value_t::object, true, f, pointer, "an item")) {
    CompileTexts(c, *text, item, f, pointer);
  }
  if (const json* sources =
          c.Member(j, "sources", json::value_t::array, true, f, pointer, "an item")) {
    CompileSources(c, *sources, item, f, pointer);
  } else if (!j.contains("sources")) {
    // Member already reported E012; say it in the words of the rule too.
    c.diagnostics.back().code = "E031";
    c.diagnostics.back().message =
        fmt::format("item \"{}\" cites no source: every item needs \"sources\"", item.id);
  }
  Pathway& pathway = c.rules.pathways[static_cast<std::size_t>(scope.pathway)];
  CheckVersions(c, pathway, item, f, pointer);
  pathway.items.push_back(std::move(item));
}

}  // namespace

void CompilePathway(CompileContext& c, std::uint16_t f, int index) {
  const json& p = c.docs[f].value["pathway"];
  const std::string pointer = "/pathway";
  Pathway& out = c.rules.pathways[index];
  out.origin = {f, c.OffsetOf(f, pointer)};
  c.CheckKeys(p, {"id", "title", "summary", "sponsor", "component", "effective", "items"}, f,
              pointer, "a pathway");
  if (!ValidId(out.id)) {
    c.Error("E013",
            fmt::format("pathway id \"{}\" must be kebab-case (a-z, 0-9, '-')",
                        EscapeForDisplay(out.id)),
            f, "/pathway/id");
  }
  out.title = c.StringMember(p, "title", true, f, pointer, "a pathway");
  out.summary = c.StringMember(p, "summary", true, f, pointer, "a pathway");
  out.sponsor = c.StringMember(p, "sponsor", true, f, pointer, "a pathway");
  if (const json* component =
          c.Member(p, "component", json::value_t::boolean, false, f, pointer, "a pathway")) {
    out.component = component->get<bool>();
  }
  out.effective = CompileEffective(c, p, f, pointer);
  const json* items = c.Member(p, "items", json::value_t::array, true, f, pointer, "a pathway");
  if (items == nullptr) return;
  if (items->empty()) c.Error("E013", "a pathway needs at least one item", f, "/pathway/items");
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string ip = AppendPointer("/pathway/items", i);
    Scope scope;
    scope.file = f;
    scope.pathway = index;
    scope.item_count = c.rules.pathways[index].items.size();
    scope.deps = &c.pathway_deps[static_cast<std::size_t>(index)];
    CompileItem(c, (*items)[i], scope, ip);
  }
}

}  // namespace imgvisa::compiler

#include "imgvisa/output/result_writer.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>

#include "base/utf8.h"
#include "imgvisa/output/render.h"

namespace imgvisa {
namespace {

using json = nlohmann::ordered_json;

// A string value holds no children, so destroying it does not allocate (unlike objects).
std::string DumpString(std::string_view s) {
  return json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  if (!IsValidUtf8(s)) {
    // Rare (a file name with stray bytes): let nlohmann apply its replacement rules.
    out += DumpString(s);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the pending stretch that needs no escaping
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Skip eight bytes at a time while none needs escaping (a control character, '"' or '\\').
    while (s.size() - i >= 8 && JsonSpecialBits(Load8(s.data() + i)) == 0) i += 8;
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

namespace {

// `"key":"value"` (with a leading comma unless `first`), escaped by AppendJsonString.
void Member(std::string& out, std::string_view key, std::string_view value, bool first = false) {
  if (!first) out += ',';
  AppendJsonString(out, key);
  out += ':';
  AppendJsonString(out, value);
}

std::string Quoted(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

}  // namespace

// The fragments are escaped by hand rather than dumped from nlohmann values: destroying a
// nlohmann object allocates, and an allocation failure there would terminate the process.
ResultWriter::ResultWriter(const RuleSet& rules) {
  static_assert(static_cast<std::size_t>(VerdictKind::kNotApplicable) + 1 == kVerdictKinds);
  for (const Pathway& p : rules.pathways) {
    for (const Item& item : p.items) {
      for (const Source& s : item.sources) AddSource(s);
    }
  }
  for (const Pathway& p : rules.pathways) AddPathway(p);
  for (const FactDecl& d : rules.dictionary.facts()) AddFact(rules.dictionary, d);
  for (const Unsettled& u : rules.unsettled) AddUnsettled(u);
  if (rules.dictionary.alternatives()) {
    const std::string quoted = Quoted(rules.dictionary.alternatives()->prefix);
    alternatives_prefix_ = quoted.substr(1, quoted.size() - 2);
  }
}

void ResultWriter::AddPathway(const Pathway& p) {
  PathwayParts parts;
  std::array<std::string, kVerdictKinds>& summary_heads = summary_heads_.emplace_back();
  std::string summary_head = "{";
  Member(summary_head, "pathway", p.id, true);
  std::string head = summary_head;
  Member(head, "title", p.title);
  for (std::size_t k = 0; k < kVerdictKinds; ++k) {
    const std::string verdict = ",\"verdict\":\"" +
                                std::string(VerdictName(static_cast<VerdictKind>(k))) +
                                "\",\"decisive\":[";
    parts.head[k] = head + verdict;
    summary_heads[k] = summary_head + verdict;
  }
  for (const Item& item : p.items) parts.items.push_back(ItemFragments(item));
  pathways_.push_back(std::move(parts));
}

void ResultWriter::AddSource(const Source& s) {
  std::string id = SourceId(s);
  if (source_index_.count(id) != 0) return;
  std::string entry = ",";
  AppendJsonString(entry, id);
  entry += ":{";
  Member(entry, "instrument", s.instrument, true);
  Member(entry, "section", s.section);
  Member(entry, "url", s.url);
  Member(entry, "verified", s.verified.ToString());
  entry += '}';
  source_index_.emplace(std::move(id), static_cast<std::uint16_t>(sources_.size()));
  sources_.push_back(std::move(entry));
}

ResultWriter::ItemParts ResultWriter::ItemFragments(const Item& item) const {
  // Each fragment begins as its first bytes, not assigned them: GCC 12 warns falsely
  // (-Wrestrict) on such assignments here.
  ItemParts ip{"{", "\"sources\":[", ",", {}};
  Member(ip.head, "id", item.id, true);
  Member(ip.head, "kind", ItemKindName(item.kind));
  Member(ip.head, "title", item.title);
  ip.head += ",\"status\":\"";
  for (std::size_t k = 0; k < item.sources.size(); ++k) {
    const std::string id = SourceId(item.sources[k]);
    if (k > 0) ip.tail += ',';
    AppendJsonString(ip.tail, id);
    ip.sources.push_back(source_index_.at(id));
  }
  ip.tail += ']';
  if (item.is_volatile) ip.tail += ",\"volatile\":true";
  ip.tail += '}';
  AppendJsonString(ip.id, item.id);
  return ip;
}

void ResultWriter::AddFact(const FactDictionary& dictionary, const FactDecl& d) {
  const FactDecl& asked = d.list ? dictionary.at(*d.list) : d;
  const std::string path = Quoted(d.path);
  fact_paths_.push_back("," + path);
  fact_objects_.push_back(",{\"fact\":" + path + "}");
  std::string question = ",{";
  Member(question, "fact", d.path, true);
  Member(question, "question", asked.question);
  question += '}';
  fact_questions_.push_back(std::move(question));
}

void ResultWriter::AddUnsettled(const Unsettled& u) {
  const std::string id = Quoted(u.id);
  unsettled_ids_.push_back("," + id);
  unsettled_objects_.push_back(",{\"id\":" + id + "}");
  std::string object = ",{";
  Member(object, "id", u.id, true);
  Member(object, "reason", u.reason);
  Member(object, "decides", u.decides);
  object += '}';
  unsettled_.push_back(std::move(object));
}

void ResultWriter::AppendResult(std::string& out, std::string_view input, std::size_t line,
                                std::string_view id, Date as_of,
                                const std::vector<Verdict>& verdicts,
                                const std::vector<std::size_t>& selection) const {
  AppendRecordHead(out, input, line, id, as_of);
  for (std::size_t k = 0; k < selection.size(); ++k) {
    if (k > 0) out += ',';
    AppendVerdict(out, verdicts[selection[k]]);
  }
  out += ']';
  AppendSources(out, verdicts, selection);
  out += "}\n";
}

void ResultWriter::AppendSources(std::string& out, const std::vector<Verdict>& verdicts,
                                 const std::vector<std::size_t>& selection) const {
  std::vector<char> seen(sources_.size(), 0);
  out += ",\"sources\":{";
  std::size_t skip = 1;  // the first entry's comma
  for (std::size_t p : selection) {
    const Verdict& v = verdicts[p];
    const std::vector<ItemParts>& items = pathways_[v.pathway].items;
    ForEachListedItem(v, [&](const ItemResult& r) {
      for (std::uint16_t s : items[r.item].sources) {
        if (seen[s] != 0) continue;
        seen[s] = 1;
        out.append(sources_[s].data() + skip, sources_[s].size() - skip);
        skip = 0;
      }
    });
  }
  out += '}';
}

void ResultWriter::AppendRecordHead(std::string& out, std::string_view input, std::size_t line,
                                    std::string_view id, Date as_of) const {
  out += "{\"type\":\"result\",\"format\":";
  out += std::to_string(kCheckFormat);
  out += ",\"input\":";
  AppendJsonString(out, input);
  if (line > 0) {
    out += ",\"line\":";
    out += std::to_string(line);
  }
  if (!id.empty()) {
    out += ",\"id\":";
    AppendJsonString(out, id);
  }
  out += ",\"as_of\":\"";
  out += as_of.ToString();
  out += "\",\"verdicts\":[";
}

namespace {
// The fragment of each id (each held after a comma), comma-separated.
void AppendList(std::string& out, const IdSet& ids, const std::vector<std::string>& fragments) {
  std::size_t skip = 1;  // the first element's comma
  ids.ForEach([&](std::uint16_t id) {
    const std::string& f = fragments[id];
    out.append(f.data() + skip, f.size() - skip);
    skip = 0;
  });
}
}  // namespace

void ResultWriter::AppendItemLists(std::string& out, const Verdict& v) const {
  const std::vector<ItemParts>& items = pathways_[v.pathway].items;
  const auto ids = [&](const std::vector<std::size_t>& indexes) {
    std::size_t skip = 1;  // the first id's comma
    for (std::size_t d : indexes) {
      const std::string& id = items[v.items[d].item].id;
      out.append(id.data() + skip, id.size() - skip);
      skip = 0;
    }
    out += ']';
  };
  ids(v.decisive);
  if (!v.whichever.empty()) {
    out += ",\"whichever_way\":[";
    ids(v.whichever);
  }
  if (v.alternative < 0) return;
  out += ",\"";
  out += alternatives_prefix_;
  out += "\":{\"index\":";
  out += std::to_string(v.alternative);
  if (!v.alternative_name.empty()) {
    out += ",\"name\":";
    AppendJsonString(out, v.alternative_name);
  }
  if (v.alternatives_agree) out += ",\"all_alike\":true";
  out += '}';
}

void ResultWriter::AppendVerdictSummary(std::string& out, const Verdict& v) const {
  out += summary_heads_[v.pathway][static_cast<std::size_t>(v.kind)];
  AppendItemLists(out, v);
  out += ",\"missing\":[";
  AppendList(out, v.missing.facts, fact_objects_);
  out += "],\"unsettled\":[";
  AppendList(out, v.missing.unsettled, unsettled_objects_);
  out += "]}";
}

void ResultWriter::AppendVerdict(std::string& out, const Verdict& v) const {
  const PathwayParts& parts = pathways_[v.pathway];
  const auto kind = static_cast<std::size_t>(v.kind);
  out += parts.head[kind];
  AppendItemLists(out, v);
  out += ",\"missing\":[";
  AppendList(out, v.missing.facts, fact_questions_);
  out += "],\"unsettled\":[";
  AppendList(out, v.missing.unsettled, unsettled_);
  out += "],\"items\":[";
  bool first_item = true;
  ForEachListedItem(v, [&](const ItemResult& r) {
    const ItemParts& ip = parts.items[r.item];
    if (!first_item) out += ',';
    first_item = false;
    out += ip.head;
    out += OutcomeName(r.status);
    out += "\",\"text\":";
    AppendJsonString(out, r.text);
    out += ",\"missing\":[";
    AppendList(out, r.missing.facts, fact_paths_);
    out += "],\"unsettled\":[";
    AppendList(out, r.missing.unsettled, unsettled_ids_);
    out += "],";
    out += ip.tail;
  });
  out += "]}";
}

}  // namespace imgvisa

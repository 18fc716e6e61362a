#include "imgvisa/output/render.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "imgvisa/base/diagnostic.h"
#include "imgvisa/profile/display_value.h"

namespace imgvisa {

const char* VerdictColor(VerdictKind kind) {
  switch (kind) {
    case VerdictKind::kEligible:
      return "\x1b[1;32m";
    case VerdictKind::kConditional:
      return "\x1b[1;33m";
    case VerdictKind::kBlocked:
      return "\x1b[1;35m";
    case VerdictKind::kIneligible:
      return "\x1b[1;31m";
    case VerdictKind::kUndetermined:
      return "\x1b[1;36m";
    case VerdictKind::kNotApplicable:
      return "\x1b[2m";
  }
  return "";
}

namespace {

using json = nlohmann::ordered_json;

std::string Paint(const TextStyle& style, const char* code, std::string_view text) {
  if (!style.color) return std::string(text);
  return fmt::format("{}{}\x1b[0m", code, text);
}

std::string StatusLabel(const Item& item, Outcome status) {
  if (item.kind == ItemKind::kNote) return "note";
  if (item.kind == ItemKind::kConsequence) return "consequence";
  if (item.kind == ItemKind::kCondition && status != Outcome::kMet) return "pending";
  if (item.kind == ItemKind::kRestriction && status == Outcome::kUnmet) return "blocks";
  if (item.kind == ItemKind::kGate && status == Outcome::kUnmet) return "n/a";
  return std::string(OutcomeName(status));
}

// Streamed piece by piece: every shown item prints its sources, and building each line as a
// string first was thousands of allocations per check.
void WriteSourceLine(std::ostream& out, const Source& s) {
  out << "              source: " << s.instrument;
  if (!s.section.empty()) out << ", " << s.section;
  if (!s.url.empty()) out << " <" << s.url << '>';
  out << " (verified " << s.verified.ToString() << ")\n";
}

// Order of reasons in text: what stands in the way first.
int Rank(const Item& item, Outcome status) {
  if (!Decides(item.kind)) return 3;
  if (status == Outcome::kUnmet) return 0;
  if (status == Outcome::kUnknown) return 1;
  return 2;
}

}  // namespace

std::string AlternativeName(const RuleSet& rules, const Verdict& v) {
  const std::string name =
      v.alternative_name.empty() ? "" : " (" + EscapeForDisplay(v.alternative_name) + ")";
  return fmt::format("{} {}{}", rules.dictionary.alternatives()->prefix, v.alternative + 1, name);
}

namespace {
// "  for offer 2 (Riverside)": which of several offers the verdict is for, or that all agree.
std::string AlternativeLine(const RuleSet& rules, const Verdict& v) {
  if (v.alternatives_agree) {
    return fmt::format("  the same for every {}; the reasons below are for {}\n",
                       rules.dictionary.alternatives()->prefix, AlternativeName(rules, v));
  }
  return fmt::format("  for {}\n", AlternativeName(rules, v));
}
}  // namespace

void RenderTextHeading(std::ostream& out, const RuleSet& rules, const std::string& input,
                       Date as_of, const std::vector<FactConflict>* conflicts) {
  out << fmt::format("{} — as of {} (rules {} {})\n\n", input, as_of.ToString(), rules.name,
                     rules.version);
  if (conflicts != nullptr && !conflicts->empty()) {
    for (const FactConflict& c : *conflicts) out << "  " << FormatDiagnosticLine(c.warning) << "\n";
    out << "\n";
  }
}

void RenderText(std::ostream& out, const RuleSet& rules, const std::vector<Verdict>& verdicts,
                const std::vector<std::size_t>& selection, const std::string& input, Date as_of,
                const TextStyle& style, const PlansByPathway* plans,
                const std::vector<FactConflict>* conflicts) {
  RenderTextHeading(out, rules, input, as_of, conflicts);
  RenderVerdictTable(out, rules, verdicts, selection, style);
  RenderTextReasons(out, rules, verdicts, selection, as_of, style, plans);
}

void RenderVerdictTable(std::ostream& out, const RuleSet& rules,
                        const std::vector<Verdict>& verdicts,
                        const std::vector<std::size_t>& selection, const TextStyle& style) {
  std::size_t width = 0;
  for (std::size_t p : selection) width = std::max(width, rules.pathways[p].id.size());
  for (std::size_t p : selection) {
    const Verdict& v = verdicts[p];
    const std::string word = fmt::format("{:<14}", VerdictName(v.kind));
    out << fmt::format("  {:<{}}  {}  {}\n", rules.pathways[p].id, width,
                       Paint(style, VerdictColor(v.kind), word), rules.pathways[p].title);
  }
}

void RenderTextReasons(std::ostream& out, const RuleSet& rules,
                       const std::vector<Verdict>& verdicts,
                       const std::vector<std::size_t>& selection, Date as_of,
                       const TextStyle& style, const PlansByPathway* plans) {
  for (std::size_t p : selection) {
    const Verdict& v = verdicts[p];
    const Pathway& pathway = rules.pathways[p];
    std::string upper(VerdictName(v.kind));
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    out << fmt::format("\n{}: {} — {}\n", pathway.id, Paint(style, VerdictColor(v.kind), upper),
                       pathway.title);
    if (v.alternative >= 0) out << AlternativeLine(rules, v);
    if (!v.in_force) {
      out << fmt::format("  not in force on {}\n", as_of.ToString());
      continue;
    }
    std::vector<std::size_t> order;
    if (v.kind == VerdictKind::kNotApplicable) {
      order = v.decisive;
    } else {
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (v.items[i].shown) order.push_back(i);
      }
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return Rank(pathway.items[v.items[a].item], v.items[a].status) <
               Rank(pathway.items[v.items[b].item], v.items[b].status);
      });
    }
    for (std::size_t i : order) {
      const ItemResult& r = v.items[i];
      const Item& item = pathway.items[r.item];
      const bool whichever =
          std::find(v.whichever.begin(), v.whichever.end(), i) != v.whichever.end();
      out << fmt::format("  {:<11} {}: {}\n",
                         whichever ? std::string("either way") : StatusLabel(item, r.status),
                         item.id, r.text);

      if (r.status == Outcome::kUnknown && Decides(item.kind)) {
        for (std::uint16_t f : r.missing.facts) {
          out << fmt::format("              missing: {}\n", rules.dictionary.at(f).path);
        }
        for (std::uint16_t u : r.missing.unsettled) {
          const Unsettled& x = rules.unsettled[u];
          out << fmt::format("              unsettled: {} Who decides: {}.\n", x.reason, x.decides);
        }
      }
      for (const Source& s : item.sources) WriteSourceLine(out, s);
      if (item.is_volatile && !item.sources.empty()) {
        Date latest = item.sources.front().verified;
        for (const Source& s : item.sources) latest = std::max(latest, s.verified);
        // Checked as of a past date, a source may have been verified after it.
        const int age = as_of.days() - latest.days();
        out << fmt::format(
            "              caution: this rule follows executive action that can change without "
            "notice; last verified {}, {} days {} {}\n",
            latest.ToString(), age < 0 ? -age : age, age < 0 ? "after" : "before",
            as_of.ToString());
      }
    }
    if (plans != nullptr && !(*plans)[p].empty()) {
      out << "  next steps (fewest changes first; the longest lead time sets the pace):\n";
      for (std::size_t i = 0; i < (*plans)[p].size(); ++i) {
        const NextStepPlan& plan = (*plans)[p][i];
        out << fmt::format("    {} {} -> {}, in about {} days:\n", i == 0 ? "plan" : "or", i + 1,
                           VerdictName(plan.result), plan.lead_time_days);
        for (FactId f : plan.changes) {
          const FactDecl& d = rules.dictionary.at(f);
          out << fmt::format("      - {} ({} -> {}; about {} days)\n", d.change->step, d.path,
                             DisplayValue(d.change->to, &d), d.change->lead_time_days);
        }
      }
    }
    if (!v.whichever.empty()) {
      out << "  whichever way the items marked \"either way\" are settled, the pathway stays "
             "closed\n";
    }
    if (!v.missing.facts.empty() && !IsClosed(v.kind)) {
      out << "  to settle this, answer:\n";
      for (std::uint16_t f : v.missing.facts) {
        const FactDecl& d = rules.dictionary.at(f);
        const FactDecl& asked = d.list ? rules.dictionary.at(*d.list) : d;
        // A record field without its own question is asked through its list's question.
        const std::string question = d.list && !d.question.empty()
                                         ? fmt::format("{} {}", asked.question, d.question)
                                         : asked.question;
        out << fmt::format("    - {} ({})\n", question, d.path);
      }
    }
  }
}

void RenderWhatIfText(std::ostream& out, const RuleSet& rules, const std::vector<Verdict>& now,
                      const std::vector<Verdict>& then, const std::vector<std::size_t>& selection,
                      const std::vector<FactChange>& changes, const TextStyle& style) {
  std::vector<std::string> specs;
  for (const FactChange& c : changes) specs.push_back(c.spec);
  out << fmt::format("\nwhat if {}:\n", fmt::join(specs, ", "));
  std::size_t width = 0;
  for (std::size_t p : selection) width = std::max(width, rules.pathways[p].id.size());
  bool any = false;
  for (std::size_t p : selection) {
    if (now[p].kind == then[p].kind) continue;
    any = true;
    out << fmt::format(
        "  {:<{}}  {}  ->  {}\n", rules.pathways[p].id, width,
        Paint(style, VerdictColor(now[p].kind), fmt::format("{:<14}", VerdictName(now[p].kind))),
        Paint(style, VerdictColor(then[p].kind), VerdictName(then[p].kind)));
  }
  if (!any) out << "  no verdict changes\n";
}

json PlansToJson(const RuleSet& rules, const std::vector<NextStepPlan>& plans) {
  json list = json::array();
  for (const NextStepPlan& plan : plans) {
    json changes = json::array();
    for (FactId f : plan.changes) {
      const FactDecl& d = rules.dictionary.at(f);
      changes.push_back({{"fact", d.path},
                         {"to", DisplayValue(d.change->to, &d)},
                         {"step", d.change->step},
                         {"lead_time_days", d.change->lead_time_days}});
    }
    list.push_back({{"changes", std::move(changes)},
                    {"result", VerdictName(plan.result)},
                    {"lead_time_days", plan.lead_time_days}});
  }
  return list;
}

json PlansSummaryToJson(const RuleSet& rules, const std::vector<NextStepPlan>& plans) {
  json list = json::array();
  for (const NextStepPlan& plan : plans) {
    json changes = json::array();
    for (FactId f : plan.changes) {
      const FactDecl& d = rules.dictionary.at(f);
      changes.push_back({{"fact", d.path}, {"to", DisplayValue(d.change->to, &d)}});
    }
    list.push_back({{"changes", std::move(changes)},
                    {"result", VerdictName(plan.result)},
                    {"lead_time_days", plan.lead_time_days}});
  }
  return list;
}

json RecordHead(std::string_view type, const std::string& input, std::size_t line,
                const std::string& id, Date as_of, int format) {
  json record = json::object();
  record["type"] = type;
  if (format > 0) record["format"] = format;
  record["input"] = input;
  if (line > 0) record["line"] = line;
  if (!id.empty()) record["id"] = id;
  record["as_of"] = as_of.ToString();
  return record;
}

json RulesToJson(const RuleSet& rules) {
  return json{{"name", rules.name}, {"version", rules.version}, {"sha256", rules.Sha256()}};
}

namespace {
json ItemIds(const Pathway& pathway, const Verdict& v, const std::vector<std::size_t>& indexes) {
  json ids = json::array();
  for (std::size_t i : indexes) ids.push_back(pathway.items[v.items[i].item].id);
  return ids;
}

// "decisive", "whichever_way" when the verdict has such items, and the alternative it is for
// ("offer") when the profile weighs several (docs/cli.md).
void AddItemLists(json& out, const RuleSet& rules, const Pathway& pathway, const Verdict& v) {
  out["decisive"] = ItemIds(pathway, v, v.decisive);
  if (!v.whichever.empty()) out["whichever_way"] = ItemIds(pathway, v, v.whichever);
  if (v.alternative >= 0) {
    json which = {{"index", v.alternative}};
    if (!v.alternative_name.empty()) which["name"] = v.alternative_name;
    if (v.alternatives_agree) which["all_alike"] = true;
    out[rules.dictionary.alternatives()->prefix] = std::move(which);
  }
}
}  // namespace

json VerdictSummaryToJson(const RuleSet& rules, const Verdict& v) {
  const Pathway& pathway = rules.pathways[v.pathway];
  json out = json::object();
  out["pathway"] = pathway.id;
  out["verdict"] = VerdictName(v.kind);
  AddItemLists(out, rules, pathway, v);
  json missing = json::array();
  for (std::uint16_t f : v.missing.facts)
    missing.push_back(json{{"fact", rules.dictionary.at(f).path}});
  out["missing"] = std::move(missing);
  json unsettled = json::array();
  for (std::uint16_t u : v.missing.unsettled)
    unsettled.push_back(json{{"id", rules.unsettled[u].id}});
  out["unsettled"] = std::move(unsettled);
  return out;
}

std::string SourceId(const Source& s) {
  // FNV-1a: a hash that is the same on every platform and in every release.
  std::uint64_t h = 14695981039346656037ULL;
  const auto mix = [&](std::string_view text) {
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
    h = (h ^ 0x1f) * 1099511628211ULL;  // a separator, so fields do not run into each other
  };
  mix(s.instrument);
  mix(s.section);
  mix(s.url);
  mix(s.verified.ToString());
  return fmt::format("S{:08x}", static_cast<std::uint32_t>(h ^ (h >> 32)));
}

void CitedSources::Add(const RuleSet& rules, const Verdict& v) {
  const Pathway& pathway = rules.pathways[v.pathway];
  ForEachListedItem(v, [&](const ItemResult& r) {
    for (const Source& s : pathway.items[r.item].sources) {
      std::string id = SourceId(s);
      const bool known =
          std::any_of(cited_.begin(), cited_.end(), [&](const auto& c) { return c.first == id; });
      if (!known) cited_.emplace_back(std::move(id), &s);
    }
  });
}

json CitedSources::ToJson() const {
  json out = json::object();
  for (const auto& [id, s] : cited_) {
    out[id] = json{{"instrument", s->instrument},
                   {"section", s->section},
                   {"url", s->url},
                   {"verified", s->verified.ToString()}};
  }
  return out;
}

json VerdictToJson(const RuleSet& rules, const Verdict& v) {
  const Pathway& pathway = rules.pathways[v.pathway];
  json out = json::object();
  out["pathway"] = pathway.id;
  out["title"] = pathway.title;
  out["verdict"] = VerdictName(v.kind);
  AddItemLists(out, rules, pathway, v);
  json missing = json::array();
  for (std::uint16_t f : v.missing.facts) {
    const FactDecl& d = rules.dictionary.at(f);
    const FactDecl& asked = d.list ? rules.dictionary.at(*d.list) : d;
    missing.push_back(json{{"fact", d.path}, {"question", asked.question}});
  }
  out["missing"] = std::move(missing);
  json unsettled = json::array();
  for (std::uint16_t u : v.missing.unsettled) {
    const Unsettled& x = rules.unsettled[u];
    unsettled.push_back(json{{"id", x.id}, {"reason", x.reason}, {"decides", x.decides}});
  }
  out["unsettled"] = std::move(unsettled);
  json items = json::array();
  ForEachListedItem(v, [&](const ItemResult& r) {
    const Item& item = pathway.items[r.item];
    json j = json::object();
    j["id"] = item.id;
    j["kind"] = ItemKindName(item.kind);
    j["title"] = item.title;
    j["status"] = OutcomeName(r.status);
    j["text"] = r.text;
    json facts = json::array();
    for (std::uint16_t f : r.missing.facts) facts.push_back(rules.dictionary.at(f).path);
    j["missing"] = std::move(facts);
    json points = json::array();
    for (std::uint16_t u : r.missing.unsettled) points.push_back(rules.unsettled[u].id);
    j["unsettled"] = std::move(points);
    json sources = json::array();
    for (const Source& s : item.sources) sources.push_back(SourceId(s));
    j["sources"] = std::move(sources);
    if (item.is_volatile) j["volatile"] = true;
    items.push_back(std::move(j));
  });
  out["items"] = std::move(items);
  return out;
}

json FactConflictsToJson(const std::vector<FactConflict>& conflicts) {
  json list = json::array();
  for (const FactConflict& c : conflicts) {
    json w = {{"code", c.warning.code}, {"message", c.warning.message}};
    if (c.warning.position.line > 0) {
      w["line"] = c.warning.position.line;
      w["column"] = c.warning.position.column;
    }
    w["facts"] = c.fact_names;
    list.push_back(std::move(w));
  }
  return list;
}

}  // namespace imgvisa

#include "imgvisa/output/short_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "imgvisa/base/diagnostic.h"
#include "imgvisa/output/text_wrap.h"

namespace imgvisa {
namespace {

// Enough to act on without scrolling: the rest is behind --detail full.
constexpr std::size_t kMaxSteps = 5;
constexpr std::size_t kMaxQuestions = 5;
constexpr std::size_t kMaxReasonsPerPathway = 3;
// The answer's length in lines at most: the reasons get what the rest leaves.
constexpr std::size_t kMaxLines = 60;

// "Citizen of Canada" reads "citizen of Canada" inside a sentence; "US citizen" stays.
std::string LowerFirst(std::string_view text) {
  std::string s(text);
  if (s.size() >= 2 && std::isupper(static_cast<unsigned char>(s[0])) &&
      !std::isupper(static_cast<unsigned char>(s[1]))) {
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  }
  return s;
}

// The head of a step for a table cell: "Pass USMLE Step 3: an IMG may ..." gives "pass USMLE
// Step 3".
std::string StepHead(std::string_view step) {
  std::size_t end = step.size();
  for (std::string_view stop : {":", " (", ". ", ";", ", or "}) {
    end = std::min(end, step.find(stop));
  }
  std::string_view head = step.substr(0, end);
  if (!head.empty() && head.back() == '.') head.remove_suffix(1);
  return LowerFirst(head);
}

// The first gate of a closed or undetermined verdict that keeps the pathway from concerning the
// person: not met, or not known. Open verdicts have every gate met.
const ItemResult* KeepingGate(const Pathway& pathway, const Verdict& v) {
  if (IsOpen(v.kind) || !v.in_force) return nullptr;
  for (const ItemResult& r : v.items) {
    if (pathway.items[r.item].kind == ItemKind::kGate && r.status != Outcome::kMet) return &r;
  }
  return nullptr;
}

// "waivers" for waiver-arc, waiver-va, ...; "pathways" when the ids share no first word.
std::string GroupNoun(const RuleSet& rules, const std::vector<std::size_t>& pathways) {
  const std::string& first = rules.pathways[pathways.front()].id;
  const std::size_t dash = first.find('-');
  if (dash == std::string::npos) return "pathways";
  const std::string prefix = first.substr(0, dash + 1);
  for (std::size_t p : pathways) {
    if (rules.pathways[p].id.rfind(prefix, 0) != 0) return "pathways";
  }
  return first.substr(0, dash) + "s";
}

std::string QuestionText(const RuleSet& rules, FactId fact) {
  const FactDecl& d = rules.dictionary.at(fact);
  const FactDecl& asked = d.list ? rules.dictionary.at(*d.list) : d;
  if (d.list && !d.question.empty()) return fmt::format("{} {}", asked.question, d.question);
  return asked.question.empty() ? d.path : asked.question;
}

}  // namespace

ShortTextReport::ShortTextReport(const RuleSet& rules, const ShortTextInput& input,
                                 std::size_t columns, TextStyle style)
    : rules_(rules), input_(input), columns_(columns), style_(style) {
  for (std::size_t p : input.selection) {
    const Pathway& pathway = rules.pathways[p];
    const ItemResult* gate = KeepingGate(pathway, input.verdicts[p]);
    if (gate == nullptr) {
      shown_.push_back(p);
      continue;
    }
    const Item* item = &pathway.items[gate->item];
    auto same = std::find_if(folds_.begin(), folds_.end(), [&](const Fold& f) {
      return f.gate->title == item->title && f.status == gate->status;
    });
    if (same == folds_.end()) same = folds_.insert(folds_.end(), Fold{item, gate->status, {}});
    same->pathways.push_back(p);
  }
  GatherLoneFolds();
}

// Pathways that are each not-applicable by a gate of their own ("tn: only if a citizen of Canada
// or Mexico") take one row together; --detail full gives each one's reason.
void ShortTextReport::GatherLoneFolds() {
  Fold others{nullptr, Outcome::kUnmet, {}};
  std::vector<Fold> kept;
  for (Fold& f : folds_) {
    const bool lone = f.pathways.size() == 1 && f.status == Outcome::kUnmet &&
                      input_.verdicts[f.pathways.front()].kind == VerdictKind::kNotApplicable;
    if (lone) {
      others.pathways.push_back(f.pathways.front());
    } else {
      kept.push_back(std::move(f));
    }
  }
  if (others.pathways.size() < 2) return;  // one alone keeps its own row and reason
  kept.push_back(std::move(others));
  folds_ = std::move(kept);
}

std::string ShortTextReport::PathwayList(const std::vector<std::size_t>& pathways) const {
  std::vector<std::string> ids;
  for (std::size_t p : pathways) ids.push_back(rules_.pathways[p].id);
  return fmt::format("{}", fmt::join(ids, ", "));
}

std::string ShortTextReport::FoldLabel(const Fold& fold) const {
  if (fold.pathways.size() == 1) return rules_.pathways[fold.pathways.front()].id;
  return fmt::format("{} {}", fold.pathways.size(), GroupNoun(rules_, fold.pathways));
}

// The few words after a verdict in the table.
std::string ShortTextReport::Words(std::size_t p) const {
  const Verdict& v = input_.verdicts[p];
  const Pathway& pathway = rules_.pathways[p];
  std::string words;
  if (!v.in_force) return "not in force on this date";
  if (v.curable && !input_.plans[p].empty()) {
    std::vector<std::string> heads;
    for (FactId f : input_.plans[p].front().changes) {
      heads.push_back(StepHead(rules_.dictionary.at(f).change->step));
    }
    words = fmt::format("not yet: {}", fmt::join(heads, ", then "));
  } else if (IsOpen(v.kind)) {
    words = pathway.title;
  } else {
    const Item* first = nullptr;
    for (std::size_t i : v.decisive) {
      const ItemResult& r = v.items[i];
      if (r.status != Outcome::kMet || v.kind == VerdictKind::kUndetermined) {
        first = &pathway.items[r.item];
        break;
      }
    }
    if (v.kind == VerdictKind::kUndetermined) {
      words = first ? "depends on: " + LowerFirst(first->title) : pathway.title;
    } else {
      words = first ? LowerFirst(first->title) : pathway.title;
    }
  }
  // Which of several offers the verdict is for comes first: it must not be cut off.
  if (v.alternative >= 0 && !v.alternatives_agree) {
    const std::string which = "for " + AlternativeName(rules_, v);
    return IsOpen(v.kind) ? which : which + ": " + words;
  }
  return words;
}

void ShortTextReport::WriteRow(std::ostream& out, const std::string& label, std::size_t label_width,
                               VerdictKind kind, const std::string& verdict_word,
                               const std::string& words, bool wrap) const {
  const std::string pad(label_width - DisplayWidth(label), ' ');
  const std::string painted =
      style_.color ? fmt::format("{}{}\x1b[0m", VerdictColor(kind), verdict_word) : verdict_word;
  const std::string prefix = fmt::format("  {}{}  {} — ", label, pad, painted);
  const std::size_t prefix_width = 2 + label_width + 2 + DisplayWidth(verdict_word) + 3;
  if (wrap) {
    out << HangingIndent(prefix, prefix_width, words, 2 + label_width + 2, columns_);
    return;
  }
  // One line a row, so that the table fits a screen: the reasons below say the rest.
  const std::size_t room = columns_ > prefix_width + 8 ? columns_ - prefix_width : 8;
  std::vector<std::string> lines = WrapWords(words, room - 1, room);
  std::string cell = lines.front();
  if (lines.size() > 1) cell += "…";
  out << prefix << cell << "\n";
}

void ShortTextReport::WriteHeading(std::ostream& out, const std::string& input, Date as_of,
                                   const std::vector<FactConflict>& conflicts) const {
  out << HangingIndent("", 0,
                       fmt::format("{} — as of {} (rules {} {})", input, as_of.ToString(),
                                   rules_.name, rules_.version),
                       2, columns_)
      << "\n";
  if (conflicts.empty()) return;
  for (const FactConflict& c : conflicts) {
    out << HangingIndent("  ", 2, FormatDiagnosticLine(c.warning), 4, columns_);
  }
  out << "\n";
}

void ShortTextReport::WriteTable(std::ostream& out) const {
  std::size_t width = 0;
  for (std::size_t p : shown_) width = std::max(width, rules_.pathways[p].id.size());
  for (const Fold& f : folds_) width = std::max(width, DisplayWidth(FoldLabel(f)));
  for (std::size_t p : shown_) {
    const VerdictKind kind = input_.verdicts[p].kind;
    WriteRow(out, rules_.pathways[p].id, width, kind, std::string(VerdictName(kind)), Words(p),
             /*wrap=*/false);
  }
  for (const Fold& f : folds_) {
    VerdictKind kind = input_.verdicts[f.pathways.front()].kind;
    for (std::size_t p : f.pathways) {
      if (input_.verdicts[p].kind != kind) kind = VerdictKind::kUndetermined;
    }
    if (f.gate == nullptr) {
      WriteRow(out, FoldLabel(f), width, kind, std::string(VerdictName(kind)),
               PathwayList(f.pathways),
               /*wrap=*/true);
      continue;
    }
    std::string words = "only if: " + LowerFirst(f.gate->title);
    if (f.status == Outcome::kUnknown) words += " (not known yet)";
    // "10 waivers" names them well enough; other groups list their members.
    if (FoldLabel(f).find("pathways") != std::string::npos) {
      words += " (" + PathwayList(f.pathways) + ")";
    }
    // A folded line is the only place its reason is given: it is not cut.
    WriteRow(out, FoldLabel(f), width, kind, std::string(VerdictName(kind)), words,
             /*wrap=*/true);
  }
}

std::vector<ShortTextReport::Step> ShortTextReport::Steps() const {
  std::vector<Step> steps;
  auto add = [&](const std::string& text, int lead_time_days, std::size_t p) {
    auto same =
        std::find_if(steps.begin(), steps.end(), [&](const Step& s) { return s.text == text; });
    if (same == steps.end()) same = steps.insert(steps.end(), Step{text, lead_time_days, {}});
    same->pathways.push_back(p);
  };
  for (std::size_t p : shown_) {
    const Verdict& v = input_.verdicts[p];
    if (!input_.plans[p].empty()) {
      for (FactId f : input_.plans[p].front().changes) {
        const FactChangeSpec& change = *rules_.dictionary.at(f).change;
        add(change.step, change.lead_time_days, p);
      }
    } else if (v.kind == VerdictKind::kConditional) {
      // What a conditional verdict waits for is the step to take, even where no declared change
      // makes it happen.
      for (std::size_t i : v.decisive) {
        const ItemResult& r = v.items[i];
        if (r.status != Outcome::kMet) add(rules_.pathways[p].items[r.item].title + ".", -1, p);
      }
    }
  }
  // The step that serves the most pathways first, then the one that takes longest to finish,
  // which sets the pace.
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
    if (a.pathways.size() != b.pathways.size()) return a.pathways.size() > b.pathways.size();
    return a.lead_time_days > b.lead_time_days;
  });
  return steps;
}

void ShortTextReport::WriteSteps(std::ostream& out) const {
  const std::vector<Step> steps = Steps();
  const bool ask = AsksFirstQuestion();
  if (steps.empty() && !ask) return;
  out << "\nNext steps:\n";
  std::size_t n = 0;
  for (const Step& s : steps) {
    if (n == kMaxSteps) break;
    const std::string lead =
        s.lead_time_days >= 0 ? fmt::format("about {} days; ", s.lead_time_days) : "";
    const std::string text = fmt::format("{} [{}for {}]", s.text, lead, PathwayList(s.pathways));
    const std::string prefix = fmt::format("  {}. ", ++n);
    out << HangingIndent(prefix, prefix.size(), text, prefix.size(), columns_);
  }
  if (ask) {
    const std::string prefix = fmt::format("  {}. ", ++n);
    const Question& q = input_.questions.front();
    const std::string text =
        fmt::format("Answer: {} [it can settle {} verdict{}]", QuestionText(rules_, q.fact),
                    q.pathways, q.pathways == 1 ? "" : "s");
    out << HangingIndent(prefix, prefix.size(), text, prefix.size(), columns_);
  }
}

std::string ShortTextReport::Reasons(std::size_t p) const {
  const Verdict& v = input_.verdicts[p];
  const Pathway& pathway = rules_.pathways[p];
  std::string out = fmt::format("  {} ({}):\n", pathway.id, VerdictName(v.kind));
  std::vector<std::string> met;
  std::size_t listed = 0, more = 0;
  for (std::size_t i : v.decisive) {
    const ItemResult& r = v.items[i];
    const Item& item = pathway.items[r.item];
    // Met requirements of an open verdict are many and alike: one line names them all.
    if (r.status == Outcome::kMet) {
      met.push_back(LowerFirst(item.title));
      continue;
    }
    if (listed == kMaxReasonsPerPathway) {
      ++more;
      continue;
    }
    ++listed;
    const char* label = item.kind == ItemKind::kCondition ? "pending"
                        : r.status == Outcome::kUnknown   ? "unknown"
                        : v.curable                       ? "not yet"
                                                          : "unmet";
    const std::string prefix = fmt::format("    {:<8}", label);
    out += HangingIndent(prefix, prefix.size(), item.title, prefix.size(), columns_);
  }
  if (more > 0) out += fmt::format("    and {} more\n", more);
  if (!met.empty()) {
    const std::string prefix = fmt::format("    {:<8}", "met");
    const std::string text =
        met.size() <= 2 ? fmt::format("{}", fmt::join(met, "; "))
                        : fmt::format("{} requirements, among them {}", met.size(), met.front());
    out += HangingIndent(prefix, prefix.size(), text, prefix.size(), columns_);
  }
  return out;
}

std::size_t ShortTextReport::WriteReasons(std::ostream& out, std::size_t budget) const {
  // Open verdicts first, then those a step can open, then those an answer can settle.
  std::vector<std::size_t> order;
  for (int pass = 0; pass < 3; ++pass) {
    for (std::size_t p : shown_) {
      const Verdict& v = input_.verdicts[p];
      if (!v.in_force || v.decisive.empty()) continue;
      const int rank = IsOpen(v.kind)                         ? 0
                       : v.curable                            ? 1
                       : v.kind == VerdictKind::kUndetermined ? 2
                                                              : 3;
      if (rank == pass) order.push_back(p);
    }
  }
  if (order.empty() || budget < 3) return 0;
  std::string text = "\nWhy:\n";
  std::size_t lines = 2, left_out = 0;
  for (std::size_t p : order) {
    const std::string block = Reasons(p);
    const std::size_t n = static_cast<std::size_t>(std::count(block.begin(), block.end(), '\n'));
    // A line is kept for saying what did not fit.
    if (left_out > 0 || lines + n + 1 > budget) {
      ++left_out;
      continue;
    }
    text += block;
    lines += n;
  }
  if (lines == 2) return 0;
  if (left_out > 0) {
    text += fmt::format("  (and {} more pathway{}: --detail full)\n", left_out,
                        left_out == 1 ? "" : "s");
    ++lines;
  }
  out << text;
  return lines;
}

std::string ShortTextReport::Questions() const {
  // The first question is a next step already when some pathway is undetermined.
  const std::size_t first = AsksFirstQuestion() ? 1 : 0;
  if (input_.questions.size() <= first) return "";
  std::string out = "\nQuestions that would settle the most:\n";
  const std::size_t last = std::min(first + kMaxQuestions, input_.questions.size());
  for (std::size_t i = first; i < last; ++i) {
    const Question& q = input_.questions[i];
    const std::string text =
        fmt::format("{} [{}; {} pathway{}]", QuestionText(rules_, q.fact),
                    rules_.dictionary.at(q.fact).path, q.pathways, q.pathways == 1 ? "" : "s");
    out += HangingIndent("  - ", 4, text, 4, columns_);
  }
  if (input_.questions.size() > last) {
    out += fmt::format("  ({} more: imgvisa ask)\n", input_.questions.size() - last);
  }
  return out;
}

bool ShortTextReport::AsksFirstQuestion() const {
  if (input_.questions.empty()) return false;
  for (std::size_t p : input_.selection) {
    if (input_.verdicts[p].kind == VerdictKind::kUndetermined) return true;
  }
  return false;
}

void ShortTextReport::WriteRest(std::ostream& out, std::size_t lines_before) const {
  std::ostringstream steps;
  WriteSteps(steps);
  const std::string questions = Questions();
  const std::string footer =
      "\n" +
      HangingIndent("", 0, "Every reason with its sources: --detail full (or -v).", 0, columns_);
  auto count = [](const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
  };
  const std::size_t used = lines_before + count(steps.str()) + count(questions) + count(footer);
  out << steps.str();
  WriteReasons(out, used < kMaxLines ? kMaxLines - used : 0);
  out << questions << footer;
}

}  // namespace imgvisa

#include "imgvisa/cli/cmd_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/load_rules.h"
#include "cli/options.h"
#include "cli/profile_stream.h"
#include "imgvisa/base/diagnostic.h"
#include "imgvisa/cli/cmd_check.h"
#include "imgvisa/cli/exit_code.h"
#include "imgvisa/cli/selection.h"
#include "imgvisa/engine/evaluator.h"
#include "imgvisa/output/render.h"
#include "imgvisa/profile/consistency_checks.h"
#include "imgvisa/profile/facts_from_json.h"

namespace imgvisa {
namespace {

using json = nlohmann::ordered_json;

enum class ChangeKind { kRejected, kAdded, kRemoved, kVerdict, kDecisive };

const char* ChangeName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kRejected:
      return "rejected";
    case ChangeKind::kAdded:
      return "added";
    case ChangeKind::kRemoved:
      return "removed";
    case ChangeKind::kVerdict:
      return "verdict";
    case ChangeKind::kDecisive:
      return "decisive";
  }
  return "";
}

// What one rule set says about one pathway for one profile; empty when the set has no such
// pathway or the profile does not load under the set's dictionary.
struct Side {
  std::optional<VerdictKind> verdict;
  std::vector<std::string> decisive;  // item ids in rule order, each once
};

struct Change {
  std::string pathway;
  std::string title;
  ChangeKind kind = ChangeKind::kVerdict;
  Side before, after;
  std::vector<std::string> added, removed;  // decisive ids
};

Side SideOf(const RuleSet& rules, const std::vector<Verdict>& verdicts, std::string_view id) {
  Side side;
  auto p = rules.FindPathway(id);
  if (!p) return side;
  const Verdict& v = verdicts[*p];
  side.verdict = v.kind;
  for (std::size_t i : v.decisive) {
    const std::string& item = rules.pathways[*p].items[v.items[i].item].id;
    if (std::find(side.decisive.begin(), side.decisive.end(), item) == side.decisive.end())
      side.decisive.push_back(item);
  }
  return side;
}

std::vector<std::string> Minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const std::string& x : a) {
    if (std::find(b.begin(), b.end(), x) == b.end()) out.push_back(x);
  }
  return out;
}

// A profile's errors as standard error gets them, as check words them: the first --max-errors,
// then how many more. `label` names the profile ("-:3" for a line of a stream).
std::string DiagnosticsText(const FactsLoad& load, const std::string& label) {
  std::string text;
  for (const Diagnostic& d : load.diagnostics) text += FormatDiagnosticLine(d) + "\n";
  if (load.omitted_errors > 0) text += FormatOmittedErrors(label, load.omitted_errors) + "\n";
  return text;
}

json Strings(const std::vector<std::string>& v) {
  json a = json::array();
  for (const std::string& s : v) a.push_back(s);
  return a;
}

json VerdictOrNull(const std::optional<VerdictKind>& v) {
  return v ? json(std::string(VerdictName(*v))) : json(nullptr);
}

class DiffRun {
 public:
  DiffRun(const DiffConfig& config, const RuleSet& before, const RuleSet& after,
          std::vector<std::string> pathways, std::ostream& out, std::ostream& err)
      : format_(config.format),
        before_(before),
        after_(after),
        before_checks_(before.dictionary),
        after_checks_(after.dictionary),
        pathways_(std::move(pathways)),
        as_of_(config.as_of),
        max_errors_(config.max_errors),
        out_(out),
        err_(err) {}

  void Header() {
    if (format_ != DiffFormat::kText) return;
    out_ << fmt::format("rules {} {} -> {} {}, as of {}\n", before_.name, before_.version,
                        after_.name, after_.version, as_of_.ToString());
    NoteWriteFailure();
  }

  // Compares one profile text; `line` is its line in an NDJSON stream, 0 otherwise.
  void Profile(const std::string& input, const std::string& text, std::size_t line) {
    ++profiles_;
    const std::size_t first_line = line == 0 ? 1 : line;
    const SourceFile source(input, text, first_line);
    FactsLoad old_load = FactsFromJson(before_.dictionary, source, {}, max_errors_);
    FactsLoad new_load = FactsFromJson(after_.dictionary, source, {}, max_errors_);
    const std::string label = Label(input, line);
    if (!old_load.ok && !new_load.ok) {
      const std::string old_text = DiagnosticsText(old_load, label);
      const std::string new_text = DiagnosticsText(new_load, label);
      if (old_text == new_text) {
        err_ << new_text;
      } else {
        err_ << "under the old rules:\n" << old_text << "under the new rules:\n" << new_text;
      }
      err_ << fmt::format("imgvisa diff: {} loads under neither rule set\n", Label(input, line));
      ++failed_;
      return;
    }
    std::optional<const char*> rejected_by;
    if (!old_load.ok || !new_load.ok) {
      rejected_by = old_load.ok ? "new" : "old";
      err_ << DiagnosticsText(old_load.ok ? new_load : old_load, label);
      err_ << fmt::format(
          "imgvisa diff: {} does not load under the {} rules; every pathway counts as changed\n",
          Label(input, line), *rejected_by);
    }
    // As check does: the facts of a contradiction are unknown under each set, and the warnings
    // are said once, as the new set (or the only one the profile loads under) finds them.
    if (new_load.ok) ClearConflicts(after_, after_checks_, new_load.facts, &source);
    if (old_load.ok) {
      ClearConflicts(before_, before_checks_, old_load.facts, new_load.ok ? nullptr : &source);
    }
    std::vector<Verdict> old_verdicts, new_verdicts;
    if (old_load.ok) old_verdicts = Evaluate(before_, old_load.facts, as_of_);
    if (new_load.ok) new_verdicts = Evaluate(after_, new_load.facts, as_of_);
    const std::string& id = new_load.ok ? new_load.facts.id : old_load.facts.id;

    std::vector<Change> changes;
    for (const std::string& pathway : pathways_) {
      Change c;
      c.pathway = pathway;
      if (old_load.ok) c.before = SideOf(before_, old_verdicts, pathway);
      if (new_load.ok) c.after = SideOf(after_, new_verdicts, pathway);
      c.added = Minus(c.after.decisive, c.before.decisive);
      c.removed = Minus(c.before.decisive, c.after.decisive);
      if (rejected_by) {
        c.kind = ChangeKind::kRejected;
      } else if (!before_.FindPathway(pathway)) {
        c.kind = ChangeKind::kAdded;
      } else if (!after_.FindPathway(pathway)) {
        c.kind = ChangeKind::kRemoved;
      } else if (c.before.verdict != c.after.verdict) {
        c.kind = ChangeKind::kVerdict;
      } else if (!c.added.empty() || !c.removed.empty()) {
        c.kind = ChangeKind::kDecisive;
      } else {
        continue;
      }
      // A reviewer reads the title the pathway has after the change, if it still exists.
      auto p = after_.FindPathway(pathway);
      c.title =
          p ? after_.pathways[*p].title : before_.pathways[*before_.FindPathway(pathway)].title;
      changes.push_back(std::move(c));
    }
    if (changes.empty()) return;
    ++changed_;
    if (format_ == DiffFormat::kText) {
      Text(input, line, id, rejected_by, changes);
    } else {
      for (const Change& c : changes) Record(input, line, id, rejected_by, c);
    }
    NoteWriteFailure();
  }

  // A profile that cannot be read (E050), or a line of a stream over the limit (E003).
  void Unreadable(const std::string& input, std::size_t line, std::string_view code,
                  const std::string& why) {
    ++profiles_;
    ++failed_;
    err_ << fmt::format("{}: error[{}]: {}\n", Label(input, line), code, why);
  }

  void Finish() {
    if (format_ == DiffFormat::kText) {
      out_ << fmt::format("\n{} profiles, {} changed", profiles_, changed_);
      if (failed_ > 0) out_ << fmt::format(", {} failed", failed_);
      out_ << "\n";
    }
    out_.flush();
    NoteWriteFailure();
  }

  /// 0, or errno of the first write that failed (EPIPE: the reader went away).
  int WriteError() const { return write_errno_; }

  int ExitStatus() const {
    if (failed_ > 0) return kExitUsage;
    return changed_ > 0 ? kExitFindings : kExitOk;
  }

 private:
  // Makes the facts of every contradiction among `facts` unknown; with `profile`, also writes
  // the warnings, located in it, to standard error.
  void ClearConflicts(const RuleSet& rules, const ConsistencyChecks& checks, Facts& facts,
                      const SourceFile* profile) {
    checks.Find(facts, conflicts_);
    if (conflicts_.empty()) return;
    ClearConflictingFacts(conflicts_, rules.dictionary, facts);
    if (profile == nullptr) return;
    LocateFactConflicts(conflicts_, rules.dictionary, *profile);
    for (const FactConflict& c : conflicts_) err_ << FormatDiagnosticLine(c.warning) << "\n";
  }

  // Keeps errno of the first failed write, read right after it: later calls may change errno.
  void NoteWriteFailure() {
    if (!out_ && write_errno_ == 0) write_errno_ = errno != 0 ? errno : EIO;
  }

  static std::string Label(const std::string& input, std::size_t line) {
    return line == 0 ? input : fmt::format("{}:{}", input, line);
  }

  std::string ItemTitle(const RuleSet& rules, const std::string& pathway,
                        const std::string& item) const {
    auto p = rules.FindPathway(pathway);
    if (!p) return "";
    for (const Item& i : rules.pathways[*p].items) {
      if (i.id == item) return i.title;
    }
    return "";
  }

  void Text(const std::string& input, std::size_t line, const std::string& id,
            std::optional<const char*> rejected_by, const std::vector<Change>& changes) {
    out_ << "\n" << Label(input, line);
    if (!id.empty()) out_ << " (" << id << ")";
    if (rejected_by) out_ << fmt::format(" — does not load under the {} rules", *rejected_by);
    out_ << "\n";
    for (const Change& c : changes) {
      auto word = [&](const Side& side, bool is_old) -> std::string {
        if (side.verdict) return std::string(VerdictName(*side.verdict));
        if (rejected_by && std::string_view(*rejected_by) == (is_old ? "old" : "new"))
          return "(profile rejected)";
        return is_old ? "(not in old rules)" : "(not in new rules)";
      };
      out_ << fmt::format("  {}: {} -> {}\n", c.pathway, word(c.before, true),
                          word(c.after, false));
      for (const std::string& item : c.added) {
        out_ << fmt::format("    + decisive {}: {}\n", item, ItemTitle(after_, c.pathway, item));
      }
      for (const std::string& item : c.removed) {
        out_ << fmt::format("    - decisive {}: {}\n", item, ItemTitle(before_, c.pathway, item));
      }
    }
  }

  void Record(const std::string& input, std::size_t line, const std::string& id,
              std::optional<const char*> rejected_by, const Change& c) {
    json r = RecordHead("change", input, line, id, as_of_);
    r["pathway"] = c.pathway;
    r["title"] = c.title;
    r["change"] = ChangeName(c.kind);
    if (rejected_by) r["rejected_by"] = *rejected_by;
    r["old_verdict"] = VerdictOrNull(c.before.verdict);
    r["new_verdict"] = VerdictOrNull(c.after.verdict);
    r["old_decisive"] = Strings(c.before.decisive);
    r["new_decisive"] = Strings(c.after.decisive);
    r["decisive_added"] = Strings(c.added);
    r["decisive_removed"] = Strings(c.removed);
    out_ << r.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  }

  DiffFormat format_;
  const RuleSet& before_;
  const RuleSet& after_;
  ConsistencyChecks before_checks_, after_checks_;
  std::vector<FactConflict> conflicts_;  // of the profile at hand, reused
  std::vector<std::string> pathways_;
  Date as_of_;
  std::size_t max_errors_;
  std::ostream& out_;
  std::ostream& err_;
  std::size_t profiles_ = 0, changed_ = 0, failed_ = 0;
  int write_errno_ = 0;
};

// The pathway ids to compare: those asked for, or every non-component pathway of the new set in
// its presentation order, then those only the old set has.
std::optional<std::vector<std::string>> PathwaysToCompare(const RuleSet& before,
                                                          const RuleSet& after,
                                                          const std::vector<std::string>& ids,
                                                          std::string* problem) {
  std::vector<std::string> out;
  if (!ids.empty()) {
    for (const std::string& id : ids) {
      if (!before.FindPathway(id) && !after.FindPathway(id)) {
        // SelectPathways words the error and suggests the closest id of the new set.
        SelectPathways(after, {id}, problem);
        return std::nullopt;
      }
      if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
    return out;
  }
  for (const RuleSet* rules : {&after, &before}) {
    auto all = SelectPathways(*rules, {}, problem);
    if (!all) return std::nullopt;
    for (std::size_t p : *all) {
      const std::string& id = rules->pathways[p].id;
      if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
  }
  return out;
}

}  // namespace

int RunDiff(const DiffOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  const std::optional<DiffConfig> config = ResolveDiffOptions(options, err);
  if (!config) return kExitUsage;
  auto load = [&](const std::string& path, const char* which) {
    return LoadRules(
        path,
        {"diff", fmt::format("the {} rule set ({})", which, EscapeForDisplay(path, 200)),
         config->max_errors},
        err);
  };
  // Both are loaded, so that what is wrong with each is said at once.
  const LoadedRules before = load(config->old_rules, "old");
  const LoadedRules after = load(config->new_rules, "new");
  if (!before || !after) return kExitRules;
  std::string problem;
  auto pathways = PathwaysToCompare(*before, *after, config->pathways, &problem);
  if (!pathways) {
    err << "imgvisa diff: " << problem << "\n";
    return kExitUsage;
  }
  DiffRun run(*config, *before, *after, std::move(*pathways), out, err);
  run.Header();
  for (const std::string& input : config->inputs) {
    if (input == "-") {
      // NDJSON, one profile per line, read as `check` reads it.
      ProfileStream stream(
          in, [&] { out.flush(); }, kMaxProfileBytes);
      ProfileLine line;
      while (stream.Next(line)) {
        if (line.blank) continue;
        if (line.ContentLength() > kMaxProfileBytes) {
          run.Unreadable("-", line.number, "E003",
                         fmt::format("line of {} bytes exceeds the limit of {} bytes",
                                     line.ContentLength(), kMaxProfileBytes));
          continue;
        }
        run.Profile("-", line.text, line.number);
        if (!out) break;
      }
      continue;
    }
    FileRead read = ReadProfile(input, in, kMaxProfileBytes);
    if (!read.ok) {
      run.Unreadable(input, 0, "E050", "cannot read the profile: " + read.error);
      continue;
    }
    run.Profile(input, read.text, 0);
  }
  run.Finish();
  if (!out) {
    if (run.WriteError() == EPIPE) return run.ExitStatus();
    err << "imgvisa diff: cannot write the output: " << std::strerror(run.WriteError()) << "\n";
    return kExitUsage;
  }
  return run.ExitStatus();
}

}  // namespace imgvisa

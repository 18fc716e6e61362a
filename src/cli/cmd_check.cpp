#include "imgvisa/cli/cmd_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/load_rules.h"
#include "cli/options.h"
#include "imgvisa/base/diagnostic.h"
#include "imgvisa/cli/exit_code.h"
#include "imgvisa/cli/selection.h"
#include "imgvisa/engine/evaluator.h"
#include "imgvisa/engine/next_steps.h"
#include "imgvisa/output/render.h"
#include "imgvisa/output/result_writer.h"
#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/profile/facts_reader.h"
#include "imgvisa/profile/what_if.h"
#include "imgvisa/sys/read_file.h"
#include "sys/ordered_workers.h"

namespace imgvisa {
namespace {

using json = nlohmann::ordered_json;

// Longest input name echoed in text output; longer ones end in "...".
constexpr std::size_t kMaxShownPath = 1024;

json ErrorsToJson(const std::vector<Diagnostic>& diagnostics) {
  json errors = json::array();
  for (const Diagnostic& d : diagnostics) {
    json e = {{"code", d.code}, {"message", d.message}};
    if (d.position.line > 0) {
      e["line"] = d.position.line;
      e["column"] = d.position.column;
    }
    errors.push_back(std::move(e));
  }
  return errors;
}

std::string Dump(const json& j) {
  // Our own strings are valid UTF-8, but never let a stray byte turn into an exception here.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// What evaluating one profile gives.
struct Evaluation {
  std::vector<Verdict> verdicts;
  PlansByPathway plans;
  std::vector<Verdict> what_if;
  bool open = false;  // some selected pathway is eligible or conditional
};

// The memory one thread evaluates profiles with, kept from one profile to the next so that a
// stream does not allocate per profile.
struct Workspace {
  std::optional<FactsReader> reader;   // made on first use, for the run's rule set
  std::optional<Evaluator> evaluator;  // likewise
  FactsLoad facts;
  Evaluation evaluation;
};

// What one NDJSON line gives: its record and its diagnostics. Kept apart from the streams so
// that lines can be evaluated on worker threads (--jobs) and still be written in input order.
struct LineOutput {
  std::string out;
  std::string err;
  bool failed = false;
  bool open = false;
  void clear() {
    out.clear();
    err.clear();
    failed = open = false;
  }
};

class CheckRun {
 public:
  CheckRun(const CheckConfig& config, const RuleSet& rules, std::vector<std::size_t> selection,
           std::vector<FactChange> changes, std::ostream& out, std::ostream& err)
      : options_(config),
        rules_(rules),
        changes_(std::move(changes)),
        selection_(std::move(selection)),
        as_of_(config.as_of),
        summary_(config.detail == CheckDetail::kSummary),
        out_(out),
        err_(err) {
    if (options_.format == CheckFormat::kNdjson) writer_.emplace(rules_);
    // Planning is the only use of the planner, and a summary plans nothing.
    if (options_.next_steps && !summary_) planner_.emplace(rules_);
  }

  // Evaluates one profile text; `line` is its line in an NDJSON stream, 0 otherwise.
  void Profile(const std::string& input, std::string text, std::size_t line) {
    if (options_.format == CheckFormat::kNdjson) {
      line_.clear();
      Record(input, text, line, line_, workspace_);
      return Write(line_);
    }
    SourceFile source(input, std::move(text), line == 0 ? 1 : line);
    const FactsLoad& load = ReadFacts(source, workspace_);
    if (!load.ok) return Failed(input, line, load.diagnostics);
    const Evaluation& e = EvaluateProfile(load.facts, workspace_);
    any_open_ = any_open_ || e.open;
    if (options_.format == CheckFormat::kText) {
      if (printed_ > 0) out_ << "\n";
      // The name may hold newlines, escape sequences or invalid UTF-8 (it is a path).
      RenderText(out_, rules_, e.verdicts, selection_, EscapeForDisplay(input, kMaxShownPath),
                 as_of_, TextStyle{options_.color}, &e.plans);
      if (!changes_.empty()) {
        RenderWhatIfText(out_, rules_, e.verdicts, e.what_if, selection_, changes_,
                         TextStyle{options_.color});
      }
    } else {
      results_.push_back(ResultJson(input, line, load.facts.id, e));
    }
    NoteWriteFailure();
    ++printed_;
  }

  // One NDJSON record, appended to `o`: safe to call from several threads at once, each with
  // its own workspace.
  // `text` is borrowed and given back, so its storage serves the next line.
  void Record(const std::string& input, std::string& text, std::size_t line, LineOutput& o,
              Workspace& workspace) const {
    SourceFile source(input, std::move(text), line == 0 ? 1 : line);
    struct GiveBack {
      SourceFile& source;
      std::string& text;
      ~GiveBack() { text = std::move(source).TakeText(); }
    } give_back{source, text};
    const FactsLoad& load = ReadFacts(source, workspace);
    if (!load.ok) return ErrorRecord(input, line, load.diagnostics, o);
    const Evaluation& e = EvaluateProfile(load.facts, workspace);
    o.open = o.open || e.open;
    if (!changes_.empty()) {
      o.out += Dump(ResultJson(input, line, load.facts.id, e));
      o.out += '\n';
      return;
    }
    // The same bytes as ResultJson would dump, without building it: a full record is ~100x the
    // profile, and its DOM was most of the time (docs/performance.md).
    writer_->AppendRecordHead(o.out, input, line, load.facts.id, as_of_);
    for (std::size_t k = 0; k < selection_.size(); ++k) {
      const std::size_t p = selection_[k];
      if (k > 0) o.out += ',';
      if (summary_) {
        writer_->AppendVerdictSummary(o.out, e.verdicts[p]);
      } else if (e.plans[p].empty()) {
        writer_->AppendVerdict(o.out, e.verdicts[p]);
      } else {
        o.out += Dump(VerdictJson(e, p));
      }
    }
    o.out += "]}\n";
  }

  // An NDJSON error record and its diagnostics, appended to `o`.
  void ErrorRecord(const std::string& input, std::size_t line,
                   const std::vector<Diagnostic>& diagnostics, LineOutput& o) const {
    o.failed = true;
    for (const Diagnostic& d : diagnostics) {
      o.err += FormatDiagnosticLine(d);
      o.err += '\n';
    }
    o.out += Dump(ErrorJson(input, line, diagnostics));
    o.out += '\n';
  }

  // Writes what a line gave, diagnostics first (as when each is written as it is found).
  // Records are gathered into blocks: the output stream makes a system call of every write of
  // 1 KiB or more, which was a tenth of a stream's time with ~6 KB summary records.
  void Write(const LineOutput& o) {
    failed_ = failed_ || o.failed;
    any_open_ = any_open_ || o.open;
    if (!o.err.empty()) {
      WritePending();
      err_ << o.err;
    }
    if (pending_.empty() && o.out.size() >= kOutputBlock) {  // a --jobs batch: no copy
      out_ << o.out;
      return NoteWriteFailure();
    }
    pending_ += o.out;
    if (pending_.size() >= kOutputBlock) WritePending();
  }

  void WritePending() {
    out_ << pending_;
    pending_.clear();
    NoteWriteFailure();
  }

  void Failed(const std::string& input, std::size_t line,
              const std::vector<Diagnostic>& diagnostics) {
    if (options_.format == CheckFormat::kNdjson) {
      line_.clear();
      ErrorRecord(input, line, diagnostics, line_);
      return Write(line_);
    }
    failed_ = true;
    for (const Diagnostic& d : diagnostics) err_ << FormatDiagnosticLine(d) << "\n";
    if (options_.format == CheckFormat::kJson)
      results_.push_back(ErrorJson(input, line, diagnostics));
  }

  void Unreadable(const std::string& input, const std::string& why) {
    Failed(input, 0,
           {Diagnostic{Severity::kError, "E050", "cannot read the profile: " + why, input,
                       std::nullopt}});
  }

  void Finish() {
    if (options_.format == CheckFormat::kJson) {
      json doc = {{"rules", RulesToJson(rules_)},
                  {"as_of", as_of_.ToString()},
                  {"results", std::move(results_)}};
      out_ << doc.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    }
    Flush();
  }

  /// True once a write to the output has failed; nothing more is worth evaluating then.
  bool OutputFailed() const { return !out_; }

  /// Sends what is written so far on its way.
  void Flush() {
    WritePending();
    out_.flush();
    NoteWriteFailure();
  }

  /// Ends the run: quietly when the reader went away (`| head`), with a message for any other
  /// write error (a full disk), which must not pass for a complete output.
  int Close() {
    if (!out_) {
      if (write_errno_ == EPIPE) return ExitStatus();
      err_ << "imgvisa check: cannot write the output: "
           << (write_errno_ != 0 ? std::strerror(write_errno_) : "write error") << "\n";
      return kExitUsage;
    }
    return ExitStatus();
  }

  int ExitStatus() const {
    if (failed_) return kExitUsage;
    return any_open_ ? kExitOk : kExitNoneOpen;
  }

 private:
  // errno is read right after the write that failed: any later call could overwrite it.
  void NoteWriteFailure() {
    if (!out_ && !write_failed_) {
      write_failed_ = true;
      write_errno_ = errno;
    }
  }

  // Reads a profile into the workspace and returns what was read.
  const FactsLoad& ReadFacts(const SourceFile& source, Workspace& workspace) const {
    if (!workspace.reader) workspace.reader.emplace(rules_.dictionary);
    workspace.reader->Read(source, workspace.facts);
    return workspace.facts;
  }

  // Evaluates into the workspace and returns its evaluation.
  const Evaluation& EvaluateProfile(const Facts& facts, Workspace& workspace) const {
    if (!workspace.evaluator) workspace.evaluator.emplace(rules_);
    Evaluator& evaluator = *workspace.evaluator;
    Evaluation& e = workspace.evaluation;
    // A summary shows no texts and no items, so neither texts nor notes are worked out.
    const EvaluateOptions evaluate{.texts = !summary_, .deciding_only = summary_};
    evaluator.Evaluate(facts, as_of_, evaluate, e.verdicts);
    e.open = false;
    for (std::size_t p : selection_) e.open = e.open || IsOpen(e.verdicts[p].kind);
    e.plans.resize(rules_.pathways.size());
    for (auto& plans : e.plans) plans.clear();
    if (planner_) {
      for (std::size_t p : selection_) {
        const VerdictKind k = e.verdicts[p].kind;
        if (k == VerdictKind::kIneligible || k == VerdictKind::kBlocked) {
          e.plans[p] = planner_->Plan(facts, as_of_, p, evaluator);
        }
      }
    }
    if (!changes_.empty()) {
      evaluator.Evaluate(ApplyChanges(facts, changes_), as_of_, evaluate, e.what_if);
    }
    return e;
  }

  json VerdictJson(const Evaluation& e, std::size_t p) const {
    if (summary_) return VerdictSummaryToJson(rules_, e.verdicts[p]);
    json v = VerdictToJson(rules_, e.verdicts[p]);
    if (!e.plans[p].empty()) v["next_steps"] = PlansToJson(rules_, e.plans[p]);
    return v;
  }

  json ResultJson(const std::string& input, std::size_t line, const std::string& id,
                  const Evaluation& e) const {
    json record = RecordHead("result", input, line, id, as_of_);
    json list = json::array();
    for (std::size_t p : selection_) list.push_back(VerdictJson(e, p));
    record["verdicts"] = std::move(list);
    if (!changes_.empty()) {
      json specs = json::array();
      for (const FactChange& c : changes_) specs.push_back(c.spec);
      json changed = json::array();
      for (std::size_t p : selection_) {
        changed.push_back(summary_ ? VerdictSummaryToJson(rules_, e.what_if[p])
                                   : VerdictToJson(rules_, e.what_if[p]));
      }
      record["what_if"] = {{"changes", std::move(specs)}, {"verdicts", std::move(changed)}};
    }
    return record;
  }

  static json ErrorJson(const std::string& input, std::size_t line,
                        const std::vector<Diagnostic>& diagnostics) {
    json record = {{"type", "error"}, {"input", input}};
    if (line > 0) record["line"] = line;
    record["errors"] = ErrorsToJson(diagnostics);
    return record;
  }

  const CheckConfig& options_;
  const RuleSet& rules_;
  std::optional<NextStepPlanner> planner_;  // only when next steps are planned
  std::optional<ResultWriter> writer_;      // NDJSON only
  LineOutput line_;                         // reused, so a stream does not allocate per line
  std::string pending_;                     // NDJSON records not yet handed to out_ (Write)
  static constexpr std::size_t kOutputBlock = 64 * 1024;
  Workspace workspace_;  // for the calling thread
  std::vector<FactChange> changes_;
  std::vector<std::size_t> selection_;
  Date as_of_;
  bool summary_;
  std::ostream& out_;
  std::ostream& err_;
  json results_ = json::array();
  std::size_t printed_ = 0;
  bool failed_ = false;
  bool any_open_ = false;
  bool write_failed_ = false;
  int write_errno_ = 0;
};

bool IsBlank(const std::string& s) { return s.find_first_not_of(" \t\r") == std::string::npos; }

// std::getline, except that at most `max + 1` bytes of the line are kept (the rest is read and
// counted in `length`), so a stream without newlines cannot exhaust memory.
bool ReadBoundedLine(std::istream& in, std::string& line, std::size_t max, std::size_t& length) {
  line.clear();
  length = 0;
  char buffer[64 * 1024];
  bool any = false;
  while (true) {
    in.getline(buffer, sizeof buffer);
    const auto got = static_cast<std::size_t>(in.gcount());
    const bool full = in.fail() && !in.eof() && got == sizeof buffer - 1;
    // gcount counts the newline when one was extracted; the buffer holds only the bytes before.
    const std::size_t bytes = full || in.eof() ? got : (got > 0 ? got - 1 : 0);
    if (got > 0) any = true;
    length += bytes;
    if (line.size() <= max) line.append(buffer, std::min(bytes, max + 1 - line.size()));
    if (full) {
      in.clear(in.rdstate() & ~std::ios::failbit);
      continue;
    }
    return any;
  }
}

// Lines handed to a worker at a time with --jobs: enough that the hand-over (a lock and a
// wake-up, microseconds) is noise beside evaluating them, few enough that a batch's records
// stay near kBatchOutputBytes. At most 2 x jobs batches exist at once, so this bounds memory:
// 64 full records (~180 KB each) made 11 MB batches and a 57 MB process at --jobs 2.
constexpr std::size_t kMaxLinesPerBatch = 64;
constexpr std::size_t kBatchOutputBytes = 512 * 1024;

// Sizes batches by the records written so far: summaries (~6 KB) go 64 to a batch, full
// records two or three. Until a batch is written its size is unknown, so the first batches
// are of one line each.
class BatchSizer {
 public:
  std::size_t NextBatchLines() const {
    if (lines_written_ == 0) return 1;
    const std::size_t bytes_per_line = std::max<std::size_t>(1, bytes_written_ / lines_written_);
    return std::clamp<std::size_t>(kBatchOutputBytes / bytes_per_line, 1, kMaxLinesPerBatch);
  }
  void Written(std::size_t lines, std::size_t bytes) {
    lines_written_ += lines;
    bytes_written_ += bytes;
  }

 private:
  std::size_t lines_written_ = 0;
  std::size_t bytes_written_ = 0;
};

struct InputLine {
  std::size_t number = 0;
  std::size_t length = 0;  // the line's full length; only its first kMaxProfileBytes + 1 are kept
  std::string text;
};

// One stdin line as the stream sees it: an over-limit line is an error record, a blank one
// nothing at all.
void CheckLine(const CheckRun& run, InputLine& line, LineOutput& o, Workspace& workspace) {
  if (line.length > kMaxProfileBytes) {
    return run.ErrorRecord("-", line.number,
                           {Diagnostic{Severity::kError, "E003",
                                       fmt::format("line of {} bytes exceeds the limit of {} bytes",
                                                   line.length, kMaxProfileBytes),
                                       "-", std::nullopt}},
                           o);
  }
  if (!line.text.empty() && line.text.back() == '\r') line.text.pop_back();
  if (IsBlank(line.text)) return;
  run.Record("-", line.text, line.number, o, workspace);
}

// NDJSON on standard input: one record per non-blank line, in input order, in bounded memory.
// With jobs > 1 lines are evaluated in batches on worker threads; the output is the same bytes.
void StreamLines(CheckRun& run, std::istream& in, std::size_t jobs) {
  // A tied input (std::cin is tied to std::cout) flushes the output before every line it reads:
  // a write per record, a tenth of a stream's time. Untied, records go out in blocks, and are
  // flushed whenever the next read may wait for the producer, so a program that writes a
  // profile and waits for its record still gets it.
  struct Untie {
    std::istream& in;
    std::ostream* tied;
    ~Untie() { in.tie(tied); }
  } untie{in, in.tie(nullptr)};
  std::size_t number = 0;
  auto next = [&](InputLine& line) {
    if (in.rdbuf()->in_avail() <= 0) run.Flush();
    if (!ReadBoundedLine(in, line.text, kMaxProfileBytes, line.length)) return false;
    line.number = ++number;
    return true;
  };
  if (jobs <= 1) {
    InputLine line;
    LineOutput o;
    Workspace workspace;
    while (next(line)) {
      o.clear();
      CheckLine(run, line, o, workspace);
      run.Write(o);
      if (run.OutputFailed()) return;
    }
  } else {
    struct Batch {
      // The first `count` are this batch's; the rest keep their storage for a later batch.
      std::vector<InputLine> lines;
      std::size_t count = 0;
      LineOutput output;
    };
    std::vector<Workspace> workspaces(jobs);  // one per worker, kept for the whole stream
    BatchSizer sizer;                         // read and written on this thread only
    RunOrdered<Batch>(
        jobs,
        [&](Batch& batch) {
          batch.output.clear();
          const std::size_t lines = sizer.NextBatchLines();
          if (batch.lines.size() < lines) batch.lines.resize(lines);
          std::size_t n = 0;
          while (n < lines && next(batch.lines[n])) ++n;
          batch.count = n;
          return n > 0;
        },
        [&](Batch& batch, std::size_t worker) {
          for (std::size_t k = 0; k < batch.count; ++k) {
            CheckLine(run, batch.lines[k], batch.output, workspaces[worker]);
          }
        },
        [&](Batch& batch) {
          sizer.Written(batch.count, batch.output.out.size());
          run.Write(batch.output);
          return !run.OutputFailed();
        });
  }
  if (in.bad()) run.Unreadable("-", "read error");
}

}  // namespace

int RunCheck(const CheckOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  const std::optional<CheckConfig> config = ResolveCheckOptions(options, err);
  if (!config) return kExitUsage;
  const LoadedRules loaded = LoadRules(config->rules_path, {"check"}, err);
  if (!loaded) return kExitRules;
  const RuleSet& rules = *loaded;
  std::string problem;
  auto selection = SelectPathways(rules, config->pathways, &problem);
  if (!selection) {
    err << "imgvisa check: " << EscapeForDisplay(problem, 400) << "\n";
    return kExitUsage;
  }
  std::vector<FactChange> changes;
  for (const std::string& spec : config->what_if) {
    auto change = ParseFactChange(rules.dictionary, spec, &problem);
    if (!change) {
      err << "imgvisa check: " << problem << "\n";
      return kExitUsage;
    }
    changes.push_back(std::move(*change));
  }
  CheckRun run(*config, rules, std::move(*selection), std::move(changes), out, err);
  for (const std::string& input : config->inputs) {
    if (run.OutputFailed()) break;
    if (input == "-" && config->format == CheckFormat::kNdjson) {
      StreamLines(run, in, config->jobs);
      continue;
    }
    if (input == "-") {
      std::string text;
      char buffer[64 * 1024];
      bool too_big = false;
      while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (text.size() > kMaxProfileBytes) {
          too_big = true;
          break;
        }
      }
      if (too_big) {
        run.Unreadable("-", fmt::format("larger than the limit of {} bytes", kMaxProfileBytes));
      } else {
        run.Profile("-", std::move(text), 0);
      }
      continue;
    }
    FileRead read = ReadFile(input, kMaxProfileBytes);
    if (!read.ok) {
      run.Unreadable(input, read.error);
      continue;
    }
    run.Profile(input, std::move(read.text), 0);
  }
  run.Finish();
  return run.Close();
}

}  // namespace imgvisa

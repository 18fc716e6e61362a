#include "imgvisa/cmd_check.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "imgvisa/as_of_option.h"
#include "imgvisa/diagnostic.h"
#include "imgvisa/evaluator.h"
#include "imgvisa/exit_code.h"
#include "imgvisa/facts.h"
#include "imgvisa/next_steps.h"
#include "imgvisa/read_file.h"
#include "imgvisa/render.h"
#include "imgvisa/result_writer.h"
#include "imgvisa/rule_source.h"
#include "imgvisa/ruleset_from_json.h"
#include "imgvisa/selection.h"
#include "imgvisa/what_if.h"

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

class CheckRun {
 public:
  CheckRun(const CheckOptions& options, const RuleSet& rules, std::vector<std::size_t> selection,
           std::vector<FactChange> changes, Date as_of, std::ostream& out, std::ostream& err)
      : options_(options),
        rules_(rules),
        planner_(rules),
        changes_(std::move(changes)),
        selection_(std::move(selection)),
        as_of_(as_of),
        out_(out),
        err_(err) {}

  // Evaluates one profile text; `line` is its line in an NDJSON stream, 0 otherwise.
  void Profile(const std::string& input, std::string text, std::size_t line) {
    SourceFile source(input, std::move(text), line == 0 ? 1 : line);
    FactsLoad load = FactsFromJson(rules_.dictionary, source);
    if (!load.ok) return Failed(input, line, load.diagnostics);
    std::vector<Verdict> verdicts = Evaluate(rules_, load.facts, as_of_);
    for (std::size_t p : selection_) any_open_ = any_open_ || IsOpen(verdicts[p].kind);
    PlansByPathway plans(rules_.pathways.size());
    if (options_.next_steps) {
      for (std::size_t p : selection_) {
        const VerdictKind k = verdicts[p].kind;
        if (k == VerdictKind::kIneligible || k == VerdictKind::kBlocked) {
          plans[p] = planner_.Plan(load.facts, as_of_, p);
        }
      }
    }
    std::vector<Verdict> what_if;
    if (!changes_.empty()) what_if = Evaluate(rules_, ApplyChanges(load.facts, changes_), as_of_);
    if (options_.format == "text") {
      if (printed_ > 0) out_ << "\n";
      // The name may hold newlines, escape sequences or invalid UTF-8 (it is a path).
      RenderText(out_, rules_, verdicts, selection_, EscapeForDisplay(input, kMaxShownPath), as_of_,
                 TextStyle{options_.color}, &plans);
      if (!changes_.empty()) {
        RenderWhatIfText(out_, rules_, verdicts, what_if, selection_, changes_,
                         TextStyle{options_.color});
      }
    } else if (options_.format == "ndjson" && changes_.empty()) {
      // The same bytes as the record built below, without building it: a full record is
      // ~100x the profile, and its DOM was most of the time (docs/performance.md).
      if (!writer_) writer_.emplace(rules_);
      record_text_.clear();
      writer_->AppendRecordHead(record_text_, input, line, load.facts.id, as_of_);
      for (std::size_t k = 0; k < selection_.size(); ++k) {
        const std::size_t p = selection_[k];
        if (k > 0) record_text_ += ',';
        if (plans[p].empty()) {
          writer_->AppendVerdict(record_text_, verdicts[p]);
        } else {
          json v = VerdictToJson(rules_, verdicts[p]);
          v["next_steps"] = PlansToJson(rules_, plans[p]);
          record_text_ += Dump(v);
        }
      }
      record_text_ += "]}\n";
      out_ << record_text_;
    } else {
      json record = json::object();
      record["type"] = "result";
      record["input"] = input;
      if (line > 0) record["line"] = line;
      if (!load.facts.id.empty()) record["id"] = load.facts.id;
      record["as_of"] = as_of_.ToString();
      json list = json::array();
      for (std::size_t p : selection_) {
        json v = VerdictToJson(rules_, verdicts[p]);
        if (!plans[p].empty()) v["next_steps"] = PlansToJson(rules_, plans[p]);
        list.push_back(std::move(v));
      }
      record["verdicts"] = std::move(list);
      if (!changes_.empty()) {
        json specs = json::array();
        for (const FactChange& c : changes_) specs.push_back(c.spec);
        json changed = json::array();
        for (std::size_t p : selection_) changed.push_back(VerdictToJson(rules_, what_if[p]));
        record["what_if"] = {{"changes", std::move(specs)}, {"verdicts", std::move(changed)}};
      }
      Emit(std::move(record));
    }
    NoteWriteFailure();
    ++printed_;
  }

  void Failed(const std::string& input, std::size_t line,
              const std::vector<Diagnostic>& diagnostics) {
    failed_ = true;
    for (const Diagnostic& d : diagnostics) err_ << FormatDiagnosticLine(d) << "\n";
    if (options_.format == "text") return;
    json record = {{"type", "error"}, {"input", input}};
    if (line > 0) record["line"] = line;
    record["errors"] = ErrorsToJson(diagnostics);
    Emit(std::move(record));
    NoteWriteFailure();
  }

  void Unreadable(const std::string& input, const std::string& why) {
    Failed(input, 0,
           {Diagnostic{Severity::kError, "E050", "cannot read the profile: " + why, input,
                       std::nullopt}});
  }

  void Finish() {
    if (options_.format == "json") {
      json doc = {{"rules", RulesToJson(rules_)},
                  {"as_of", as_of_.ToString()},
                  {"results", std::move(results_)}};
      out_ << doc.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    }
    out_.flush();
    NoteWriteFailure();
  }

  /// True once a write to the output has failed; nothing more is worth evaluating then.
  bool OutputFailed() const { return !out_; }

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

  void Emit(json record) {
    if (options_.format == "ndjson") {
      out_ << Dump(record) << "\n";
    } else {
      results_.push_back(std::move(record));
    }
  }

  const CheckOptions& options_;
  const RuleSet& rules_;
  NextStepPlanner planner_;
  std::optional<ResultWriter> writer_;  // made on the first NDJSON record
  std::string record_text_;
  std::vector<FactChange> changes_;
  std::vector<std::size_t> selection_;
  Date as_of_;
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

}  // namespace

int RunCheck(const CheckOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  const auto as_of = ParseAsOfOption(options.as_of, "check", err);
  if (!as_of) return kExitUsage;
  if (options.format != "text" && options.format != "json" && options.format != "ndjson") {
    err << fmt::format("imgvisa check: --format must be text, json or ndjson, not \"{}\"\n",
                       EscapeForDisplay(options.format));
    return kExitUsage;
  }
  if (options.inputs.empty()) {
    err << "imgvisa check: name at least one profile, or - for standard input\n";
    return kExitUsage;
  }
  RuleSetLoad load;
  const RuleSet* embedded = options.rules_path.empty() ? EmbeddedRuleSet() : nullptr;
  if (!embedded) {
    load = LoadRuleSet(options.rules_path, /*positions=*/false);
    if (!load.ok()) {
      for (const Diagnostic& d : load.diagnostics) err << FormatDiagnostic(d) << "\n";
      err << "imgvisa check: the rule set does not load\n";
      return kExitRules;
    }
  }
  const RuleSet& rules = embedded ? *embedded : *load.rules;
  std::string problem;
  auto selection = SelectPathways(rules, options.pathways, &problem);
  if (!selection) {
    err << "imgvisa check: " << EscapeForDisplay(problem, 400) << "\n";
    return kExitUsage;
  }
  std::vector<FactChange> changes;
  for (const std::string& spec : options.what_if) {
    auto change = ParseFactChange(rules.dictionary, spec, &problem);
    if (!change) {
      err << "imgvisa check: " << problem << "\n";
      return kExitUsage;
    }
    changes.push_back(std::move(*change));
  }
  CheckRun run(options, rules, std::move(*selection), std::move(changes), *as_of, out, err);
  for (const std::string& input : options.inputs) {
    if (run.OutputFailed()) break;
    if (input == "-" && options.format == "ndjson") {
      // One profile per line, streamed: constant memory, one record per non-blank line.
      std::string line;
      std::size_t number = 0, length = 0;
      while (ReadBoundedLine(in, line, kMaxProfileBytes, length)) {
        ++number;
        if (length > kMaxProfileBytes) {
          run.Failed("-", number,
                     {Diagnostic{Severity::kError, "E003",
                                 fmt::format("line of {} bytes exceeds the limit of {} bytes",
                                             length, kMaxProfileBytes),
                                 "-", std::nullopt}});
        } else {
          if (!line.empty() && line.back() == '\r') line.pop_back();
          if (IsBlank(line)) continue;
          run.Profile("-", line, number);
        }
        if (run.OutputFailed()) break;
      }
      if (in.bad()) run.Unreadable("-", "read error");
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

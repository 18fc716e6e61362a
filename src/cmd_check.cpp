#include "imgvisa/cmd_check.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "imgvisa/diagnostic.h"
#include "imgvisa/evaluator.h"
#include "imgvisa/exit_code.h"
#include "imgvisa/facts.h"
#include "imgvisa/read_file.h"
#include "imgvisa/render.h"
#include "imgvisa/rule_source.h"
#include "imgvisa/ruleset_from_json.h"
#include "imgvisa/selection.h"

namespace imgvisa {
namespace {

using json = nlohmann::ordered_json;

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
           Date as_of, std::ostream& out, std::ostream& err)
      : options_(options),
        rules_(rules),
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
    if (options_.format == "text") {
      if (printed_ > 0) out_ << "\n";
      RenderText(out_, rules_, verdicts, selection_, input, as_of_, TextStyle{options_.color});
    } else {
      json record = json::object();
      record["type"] = "result";
      record["input"] = input;
      if (line > 0) record["line"] = line;
      if (!load.facts.id.empty()) record["id"] = load.facts.id;
      record["as_of"] = as_of_.ToString();
      json list = json::array();
      for (std::size_t p : selection_) list.push_back(VerdictToJson(rules_, verdicts[p]));
      record["verdicts"] = std::move(list);
      Emit(std::move(record));
    }
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
  }

  int ExitStatus() const {
    if (failed_) return kExitUsage;
    return any_open_ ? kExitOk : kExitNoneOpen;
  }

 private:
  void Emit(json record) {
    if (options_.format == "ndjson") {
      out_ << Dump(record) << "\n";
    } else {
      results_.push_back(std::move(record));
    }
  }

  const CheckOptions& options_;
  const RuleSet& rules_;
  std::vector<std::size_t> selection_;
  Date as_of_;
  std::ostream& out_;
  std::ostream& err_;
  json results_ = json::array();
  std::size_t printed_ = 0;
  bool failed_ = false;
  bool any_open_ = false;
};

bool IsBlank(const std::string& s) { return s.find_first_not_of(" \t\r") == std::string::npos; }

}  // namespace

int RunCheck(const CheckOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  auto as_of = ParseIsoDate(options.as_of);
  if (!as_of) {
    err << fmt::format("imgvisa check: --as-of must be a date YYYY-MM-DD, not \"{}\"\n",
                       EscapeForDisplay(options.as_of));
    return kExitUsage;
  }
  if (options.format != "text" && options.format != "json" && options.format != "ndjson") {
    err << fmt::format("imgvisa check: --format must be text, json or ndjson, not \"{}\"\n",
                       EscapeForDisplay(options.format));
    return kExitUsage;
  }
  if (options.inputs.empty()) {
    err << "imgvisa check: name at least one profile, or - for standard input\n";
    return kExitUsage;
  }
  RuleSetLoad load = LoadRuleSet(options.rules_path);
  if (!load.ok()) {
    for (const Diagnostic& d : load.diagnostics) err << FormatDiagnostic(d) << "\n";
    err << "imgvisa check: the rule set does not load\n";
    return kExitRules;
  }
  const RuleSet& rules = *load.rules;
  std::string problem;
  auto selection = SelectPathways(rules, options.pathways, &problem);
  if (!selection) {
    err << "imgvisa check: " << problem << "\n";
    return kExitUsage;
  }
  CheckRun run(options, rules, std::move(*selection), *as_of, out, err);
  for (const std::string& input : options.inputs) {
    if (input == "-" && options.format == "ndjson") {
      // One profile per line, streamed: constant memory, one record per non-blank line.
      std::string line;
      std::size_t number = 0;
      while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (IsBlank(line)) continue;
        if (line.size() > kMaxProfileBytes) {
          run.Failed("-", number,
                     {Diagnostic{Severity::kError, "E003",
                                 fmt::format("line of {} bytes exceeds the limit of {} bytes",
                                             line.size(), kMaxProfileBytes),
                                 "-", std::nullopt}});
          continue;
        }
        run.Profile("-", line, number);
        if (!out) break;
      }
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
  if (!out) {
    // A reader that went away (`| head`) is not an error worth a message; a full disk is.
    if (errno == EPIPE) return run.ExitStatus();
    err << "imgvisa check: cannot write the output: " << std::strerror(errno) << "\n";
    return kExitUsage;
  }
  return run.ExitStatus();
}

}  // namespace imgvisa

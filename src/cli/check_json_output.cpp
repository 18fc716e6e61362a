#include "cli/check_json_output.h"

namespace imgvisa {

using json = nlohmann::ordered_json;

namespace {

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

}  // namespace

void CheckJsonOutput::Result(const std::string& input, std::size_t line, const std::string& id,
                             const ProfileEvaluation& evaluation) {
  Tally(/*failed=*/false, evaluation.open);
  err_ << WarningLines(evaluation);
  results_.push_back(CheckResultJson(scope_, input, line, id, evaluation, &sources_));
}

void CheckJsonOutput::Error(const std::string& input, std::size_t line,
                            const std::vector<Diagnostic>& diagnostics,
                            std::size_t omitted_errors) {
  Tally(/*failed=*/true, /*open=*/false);
  err_ << ErrorLines(input, line, diagnostics, omitted_errors);
  results_.push_back(CheckErrorJson(input, line, diagnostics, omitted_errors));
}

void CheckJsonOutput::Finish() {
  json doc = {{"format", kCheckFormat},
              {"rules", RulesToJson(scope_.rules)},
              {"as_of", scope_.as_of.ToString()},
              {"results", std::move(results_)}};
  if (!scope_.summary) doc["sources"] = sources_.ToJson();
  out_ << doc.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  NoteWriteFailure();
  Flush();
}

json CheckVerdictJson(const CheckScope& scope, const ProfileEvaluation& evaluation,
                      std::size_t pathway) {
  const Verdict& verdict = evaluation.verdicts[pathway];
  if (scope.summary) {
    json v = VerdictSummaryToJson(scope.rules, verdict);
    if (!evaluation.plans[pathway].empty()) {
      v["next_steps"] = PlansSummaryToJson(scope.rules, evaluation.plans[pathway]);
    }
    return v;
  }
  json v = VerdictToJson(scope.rules, verdict);
  if (!evaluation.plans[pathway].empty()) {
    v["next_steps"] = PlansToJson(scope.rules, evaluation.plans[pathway]);
  }
  return v;
}

json CheckResultJson(const CheckScope& scope, const std::string& input, std::size_t line,
                     const std::string& id, const ProfileEvaluation& evaluation,
                     CitedSources* document_sources) {
  json record = RecordHead("result", input, line, id, scope.as_of, kCheckFormat);
  CitedSources record_sources;
  CitedSources& sources = document_sources != nullptr ? *document_sources : record_sources;
  if (!evaluation.conflicts.empty()) record["warnings"] = FactConflictsToJson(evaluation.conflicts);
  json list = json::array();
  for (std::size_t p : scope.selection) {
    list.push_back(CheckVerdictJson(scope, evaluation, p));
    if (!scope.summary) sources.Add(scope.rules, evaluation.verdicts[p]);
  }
  record["verdicts"] = std::move(list);
  if (!scope.changes.empty()) {
    json specs = json::array();
    for (const FactChange& c : scope.changes) specs.push_back(c.spec);
    json changed = json::array();
    for (std::size_t p : scope.selection) {
      changed.push_back(scope.summary ? VerdictSummaryToJson(scope.rules, evaluation.what_if[p])
                                      : VerdictToJson(scope.rules, evaluation.what_if[p]));
      if (!scope.summary) sources.Add(scope.rules, evaluation.what_if[p]);
    }
    record["what_if"] = {{"changes", std::move(specs)}, {"verdicts", std::move(changed)}};
    if (!evaluation.what_if_conflicts.empty()) {
      record["what_if"]["warnings"] = FactConflictsToJson(evaluation.what_if_conflicts);
    }
  }
  if (!scope.summary && document_sources == nullptr) record["sources"] = sources.ToJson();
  return record;
}

json CheckErrorJson(const std::string& input, std::size_t line,
                    const std::vector<Diagnostic>& diagnostics, std::size_t omitted_errors) {
  json record = {{"type", "error"}, {"format", kCheckFormat}, {"input", input}};
  if (line > 0) record["line"] = line;
  record["errors"] = ErrorsToJson(diagnostics);
  if (omitted_errors > 0) record["more_errors"] = omitted_errors;
  return record;
}

std::string DumpJsonLine(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace imgvisa

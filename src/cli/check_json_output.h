#pragma once

#include <nlohmann/json.hpp>

#include "cli/check_output.h"

namespace imgvisa {

/// `check --format json`: one document, {"format", "rules", "as_of", "results", "sources"},
/// written when the run finishes; each result or error is the record the NDJSON output writes
/// for it, except that the sources its items cite are listed once, for the whole document.
class CheckJsonOutput final : public CheckOutput {
 public:
  using CheckOutput::CheckOutput;

  void Result(const std::string& input, std::size_t line, const std::string& id,
              const ProfileEvaluation& evaluation) override;
  void Error(const std::string& input, std::size_t line, const std::vector<Diagnostic>& diagnostics,
             std::size_t omitted_errors) override;
  void Finish() override;

 private:
  nlohmann::ordered_json results_ = nlohmann::ordered_json::array();
  CitedSources sources_;
};

// The records of docs/cli.md built as JSON values. The NDJSON output writes most records'
// bytes directly (ResultWriter) and builds these only where it does not.

/// One selected pathway's verdict, full or summary, with its next steps when there are any.
nlohmann::ordered_json CheckVerdictJson(const CheckScope& scope,
                                        const ProfileEvaluation& evaluation, std::size_t pathway);

/// The "result" record of one profile. The sources its items cite go to `document_sources`
/// when given (a JSON document lists them once for all its records), else into the record's
/// own "sources"; a summary cites none.
nlohmann::ordered_json CheckResultJson(const CheckScope& scope, const std::string& input,
                                       std::size_t line, const std::string& id,
                                       const ProfileEvaluation& evaluation,
                                       CitedSources* document_sources = nullptr);

/// The "error" record of a profile that cannot be read or does not load; "more_errors" counts
/// the errors beyond --max-errors, when there are any.
nlohmann::ordered_json CheckErrorJson(const std::string& input, std::size_t line,
                                      const std::vector<Diagnostic>& diagnostics,
                                      std::size_t omitted_errors);

/// One line of JSON; invalid UTF-8 (in a path, say) becomes U+FFFD rather than an exception.
std::string DumpJsonLine(const nlohmann::ordered_json& j);

}  // namespace imgvisa

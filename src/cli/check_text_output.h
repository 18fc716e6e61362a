#pragma once

#include "cli/check_output.h"

namespace imgvisa {

/// `check --format text`: each profile's answer for people (short_text.h by default, every
/// reason with --detail full), a blank line between profiles; problems go to the error stream
/// only.
class CheckTextOutput final : public CheckOutput {
 public:
  CheckTextOutput(const CheckScope& scope, bool color, std::ostream& out, std::ostream& err)
      : CheckOutput(scope, out, err), color_(color) {}

  void Result(const std::string& input, std::size_t line, const std::string& id,
              const ProfileEvaluation& evaluation) override;
  void Error(const std::string& input, std::size_t line, const std::vector<Diagnostic>& diagnostics,
             std::size_t omitted_errors) override;

 private:
  /// The --what-if changes and the contradictions they bring, if any.
  void WriteWhatIf(const ProfileEvaluation& evaluation, std::ostream& out);

  bool color_;
  std::size_t printed_ = 0;  // profiles written so far
};

}  // namespace imgvisa

#pragma once

#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/interview.h"

namespace imgvisa {

/// The person's side of `imgvisa ask`: puts the interview's questions on `err` with a hint of
/// what each takes (a menu for enums), reads answers from `in` line by line, asks again with a
/// hint when one does not fit, describes the fact on "help", and shows each verdict an answer
/// moved. Standard output is not touched: it is kept for the profile.
class AskTerminal {
 public:
  enum class End { kDone, kQuit, kEndOfInput };

  /// With `echo_answers`, every answer line is written after its prompt (main sets it when
  /// standard input is not a terminal, so a transcript of piped answers reads like a
  /// conversation).
  AskTerminal(Interview& interview, std::istream& in, std::ostream& err, bool echo_answers)
      : interview_(interview),
        dictionary_(interview.rules().dictionary),
        in_(in),
        err_(err),
        echo_answers_(echo_answers) {}

  /// Asks until nothing left can change a verdict, the person quits or the input ends, then
  /// shows the selected verdicts.
  End Run();

  /// Called at the start and after every answer, once its verdict changes are shown.
  std::function<void()> on_change;
  /// The profile's name in the end screen (the file it is saved to).
  std::string profile_name = "answers";

 private:
  enum class Step { kAnswered, kQuit, kEndOfInput };

  End Questions();
  void Show(const std::vector<VerdictChange>& changes);
  bool ReadLine(std::string& line, bool& too_long);
  void Help(const FactDecl& decl);
  std::optional<Answer> Ask(const std::string& hint,
                            const std::function<Answer(std::string_view)>& parse,
                            const FactDecl& help, const std::string& label = "");
  std::optional<Answer> AskYesNo(const std::string& question, const FactDecl& help);
  void Menu(const FactDecl& decl);
  Step AskValue(FactId fact, bool field);
  void Number(const std::string& question);
  Step AskFact(FactId fact);
  Step AskRecords(FactId list);
  Step AskRecord(FactId list);
  /// The end screen: check's text output for the profile as answered.
  void Table();

  Interview& interview_;
  const FactDictionary& dictionary_;
  std::istream& in_;
  std::ostream& err_;
  bool echo_answers_;
  int number_ = 0;
  std::string indent_ = "   ";
  bool prompt_open_ = false;
};

}  // namespace imgvisa

#include "cli/ask_terminal.h"

#include <fmt/format.h>

#include <algorithm>

#include "cli/check_text_output.h"
#include "cli/profile_checker.h"
#include "imgvisa/base/diagnostic.h"

namespace imgvisa {
namespace {

// Longest answer line kept; a longer one is refused rather than read into memory whole.
constexpr std::size_t kMaxAnswerBytes = 4096;

}  // namespace

AskTerminal::End AskTerminal::Run() {
  const RuleSet& rules = interview_.rules();
  const std::size_t pathways = interview_.selection().size();
  err_ << fmt::format(
      "imgvisa ask — as of {} (rules {} {}), {} pathway{}\n"
      "Answer each question and press Enter: ? or an empty line if you don't know, help for "
      "more about the question, q to stop.\n",
      interview_.as_of().ToString(), rules.name, rules.version, pathways, pathways == 1 ? "" : "s");
  Show({});
  const End end = Questions();
  Table();
  return end;
}

AskTerminal::End AskTerminal::Questions() {
  while (true) {
    const std::optional<FactId> fact = interview_.Next();
    if (!fact) {
      err_ << "\nNothing left to ask can change a verdict.\n";
      return End::kDone;
    }
    const Step step = dictionary_.at(*fact).is_record_list() ? AskRecords(*fact) : AskFact(*fact);
    if (step == Step::kQuit) {
      err_ << "\nStopped.\n";
      return End::kQuit;
    }
    if (step == Step::kEndOfInput) {
      if (prompt_open_) err_ << "\n";
      return End::kEndOfInput;
    }
  }
}

void AskTerminal::Show(const std::vector<VerdictChange>& changes) {
  for (const VerdictChange& c : changes) {
    err_ << fmt::format("  {}: {} -> {}\n", interview_.rules().pathways[c.pathway].id,
                        VerdictName(c.from), VerdictName(c.to));
  }
  if (on_change) on_change();
}

// One line of input, at most kMaxAnswerBytes of it kept; false at end of input.
bool AskTerminal::ReadLine(std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  std::streambuf* buffer = in_.rdbuf();
  bool any = false;
  while (true) {
    const int c = buffer->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      if (!any) return false;
      break;
    }
    any = true;
    if (c == '\n') break;
    if (line.size() < kMaxAnswerBytes) {
      line += static_cast<char>(c);
    } else {
      too_long = true;
    }
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

void AskTerminal::Help(const FactDecl& decl) {
  err_ << fmt::format("{}{}\n", indent_, decl.description);
  if (!decl.unit.empty()) err_ << fmt::format("{}Unit: {}.\n", indent_, decl.unit);
  if (!decl.example.empty()) err_ << fmt::format("{}Example: {}\n", indent_, decl.example);
  err_ << fmt::format("{}(fact {}; ? if you don't know, q to stop)\n", indent_, decl.path);
}

// Prompts until the answer fits; nullopt at end of input.
std::optional<Answer> AskTerminal::Ask(const std::string& hint,
                                       const std::function<Answer(std::string_view)>& parse,
                                       const FactDecl& help, const std::string& label) {
  while (true) {
    err_ << fmt::format("{}{}[{}] > ", indent_, label, hint);
    err_.flush();
    prompt_open_ = true;
    std::string line;
    bool too_long = false;
    if (!ReadLine(line, too_long)) return std::nullopt;
    if (echo_answers_) err_ << EscapeForDisplay(line, 200) << "\n";
    prompt_open_ = false;
    if (too_long) {
      err_ << fmt::format("{}That answer is too long (over {} bytes).\n", indent_, kMaxAnswerBytes);
      continue;
    }
    Answer answer = parse(line);
    if (answer.kind == Answer::Kind::kHelp) {
      Help(help);
      continue;
    }
    if (answer.kind == Answer::Kind::kInvalid) {
      const bool ends =
          !answer.hint.empty() && (answer.hint.back() == '?' || answer.hint.back() == '.');
      err_ << fmt::format("{}Not an answer: {}{} (? if you don't know)\n", indent_, answer.hint,
                          ends ? "" : ".");
      continue;
    }
    if (!answer.read_as.empty()) err_ << fmt::format("{}{}\n", indent_, answer.read_as);
    return answer;
  }
}

std::optional<Answer> AskTerminal::AskYesNo(const std::string& question, const FactDecl& help) {
  return Ask("y/n", ParseYesNo, help, question + " ");
}

void AskTerminal::Menu(const FactDecl& decl) {
  const bool enums = decl.type == ValueType::kEnum ||
                     (decl.type == ValueType::kList && decl.item_type == ValueType::kEnum);
  if (!enums) return;
  for (std::size_t i = 0; i < decl.values.size(); ++i) {
    err_ << fmt::format("{}{}) {}\n", indent_, i + 1, decl.LabelOf(i));
  }
}

// Asks for one fact that is not a list of records, or one field of the record being filled in.
AskTerminal::Step AskTerminal::AskValue(FactId fact, bool field) {
  const FactDecl& decl = dictionary_.at(fact);
  Menu(decl);
  auto answer = Ask(
      TypeHint(decl), [&](std::string_view text) { return ParseAnswer(dictionary_, fact, text); },
      decl);
  if (!answer) return Step::kEndOfInput;
  if (answer->kind == Answer::Kind::kQuit) return Step::kQuit;
  Show(field ? interview_.AnswerField(fact, *answer) : interview_.AnswerFact(fact, *answer));
  return Step::kAnswered;
}

// "question 5 of about 12": those asked so far and those that could still change a verdict.
void AskTerminal::Number(const std::string& question) {
  ++number_;
  const std::size_t about =
      std::max<std::size_t>(number_, number_ - 1 + interview_.OpenQuestions());
  err_ << fmt::format("\nquestion {} of about {}\n{}. {}\n", number_, about, number_, question);
}

AskTerminal::Step AskTerminal::AskFact(FactId fact) {
  indent_ = "   ";
  Number(dictionary_.at(fact).question);
  return AskValue(fact, false);
}

// A list of records: whether there is any, then each record, then whether there is another
// that could matter.
AskTerminal::Step AskTerminal::AskRecords(FactId list) {
  const FactDecl& decl = dictionary_.at(list);
  indent_ = "   ";
  Number(decl.question);
  auto any = AskYesNo("Is there one to list?", decl);
  if (!any) return Step::kEndOfInput;
  if (any->kind == Answer::Kind::kQuit) return Step::kQuit;
  Show(interview_.AnswerHasRecords(list, *any));
  if (any->kind != Answer::Kind::kValue || !any->value.get<bool>()) return Step::kAnswered;
  while (true) {
    if (const Step step = AskRecord(list); step != Step::kAnswered) return step;
    if (!interview_.WorthAnotherRecord(list)) return Step::kAnswered;
    indent_ = "   ";
    auto more = AskYesNo("Is there another one?", decl);
    if (!more) return Step::kEndOfInput;
    if (more->kind == Answer::Kind::kQuit) return Step::kQuit;
    if (more->kind != Answer::Kind::kValue || !more->value.get<bool>()) return Step::kAnswered;
    Show(interview_.AddRecord(list));
  }
}

// The fields of the record just started, those that can still change a verdict.
AskTerminal::Step AskTerminal::AskRecord(FactId list) {
  indent_ = "   ";
  err_ << fmt::format("{}Entry {}:\n", indent_, interview_.RecordCount(list));
  indent_ = "     ";
  while (const std::optional<FactId> field = interview_.NextField(list)) {
    err_ << fmt::format("{}- {}\n", indent_, dictionary_.at(*field).question);
    if (const Step step = AskValue(*field, true); step != Step::kAnswered) return step;
  }
  return Step::kAnswered;
}

// The end: what `imgvisa check` prints for the profile as it stands, through check's own text
// output, so the two never differ.
void AskTerminal::Table() {
  const CheckScope scope{interview_.rules(), interview_.selection(), {}, interview_.as_of()};
  const ProfileChecker checker(scope, /*next_steps=*/true);
  CheckWorkspace workspace;
  const SourceFile profile(profile_name, interview_.profile().Text());
  err_ << fmt::format("\nVerdicts as of {}:\n\n", interview_.as_of().ToString());
  const ProfileEvaluation* evaluation = checker.Check(profile, workspace);
  if (evaluation == nullptr) return;  // every answer was read by the same loader
  CheckTextOutput text(scope, /*color=*/false, err_, err_);
  text.Result(profile_name, 0, "", *evaluation);
}

}  // namespace imgvisa

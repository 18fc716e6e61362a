#include "imgvisa/cli/cmd_ask.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "cli/load_rules.h"
#include "imgvisa/base/diagnostic.h"
#include "imgvisa/cli/as_of_option.h"
#include "imgvisa/cli/exit_code.h"
#include "imgvisa/cli/interview.h"
#include "imgvisa/cli/selection.h"
#include "imgvisa/engine/evaluator.h"
#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/rules/rule_set_from_json.h"

namespace imgvisa {
namespace {

using json = nlohmann::ordered_json;

// Longest answer line kept; a longer one is refused rather than read into memory whole.
constexpr std::size_t kMaxAnswerBytes = 4096;
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

std::string Dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

// --- Writing the profile -------------------------------------------------------------------
// Everything here is async-signal-safe (open, write, fsync, close, rename, unlink), because the
// signal handler saves the answers with the same code as the normal end.

int WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return 0;
}

int WriteAll(int fd, const std::string& text) { return WriteAll(fd, text.data(), text.size()); }

// Writes `temp` and renames it to `path`, so `path` is either untouched or complete. Without
// `replace`, an existing `path` is never overwritten, even one that appeared since the start.
// Without `temp` (empty: `path` is a device or a FIFO, which a rename would replace rather than
// write to) `path` is written in place. Returns 0 or the errno of the step that failed.
int WriteFileAtomically(const char* path, const char* temp, const char* data, std::size_t size,
                        bool replace) {
  if (*temp == '\0') {
    const int fd = ::open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) return errno;
    const int error = WriteAll(fd, data, size);
    return ::close(fd) != 0 && error == 0 ? errno : error;
  }
  const int fd = ::open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return errno;
  int error = WriteAll(fd, data, size);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0) {
    if (replace) {
      if (::rename(temp, path) != 0) error = errno;
    } else if (::renameat2(AT_FDCWD, temp, AT_FDCWD, path, RENAME_NOREPLACE) != 0) {
      error = errno;
      // Some file systems do not know RENAME_NOREPLACE; the check at the start still holds.
      if (error == EINVAL || error == ENOSYS) error = ::rename(temp, path) != 0 ? errno : 0;
    }
  }
  if (error != 0) ::unlink(temp);
  return error;
}

// A hidden file next to the target, so the rename never crosses file systems.
std::string TempPathFor(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  return fmt::format("{}.{}.imgvisa-{}.tmp", dir, base, static_cast<long>(::getpid()));
}

// --- Saving on a signal --------------------------------------------------------------------

// What the handler writes: prepared in full after every answer, so the handler only copies bytes.
struct Snapshot {
  std::string path;  // empty: the profile goes to standard output
  std::string temp;
  bool replace = false;
  bool write = false;  // false: nothing answered yet, nothing to save
  std::string bytes;
  std::string saved;   // said on standard error once the profile is safe
  std::string failed;  // said when the file cannot be written (the profile then goes to stdout)
};

std::atomic<const Snapshot*> g_snapshot{nullptr};
static_assert(std::atomic<const Snapshot*>::is_always_lock_free);

void SaveAndExit(int signal) {
  if (const Snapshot* s = g_snapshot.load()) {
    if (!s->write) {
      WriteAll(2, s->saved);
    } else if (s->path.empty()) {
      WriteAll(1, s->bytes);
      WriteAll(2, s->saved);
    } else if (WriteFileAtomically(s->path.c_str(), s->temp.c_str(), s->bytes.data(),
                                   s->bytes.size(), s->replace) == 0) {
      WriteAll(2, s->saved);
    } else {
      WriteAll(2, s->failed);
      WriteAll(1, s->bytes);
    }
  }
  ::_exit(128 + signal);
}

// Installs SaveAndExit for the interview and puts the previous handlers back afterwards. A
// signal ignored on entry (a background job) stays ignored.
class SignalGuard {
 public:
  SignalGuard() {
    struct sigaction action {};
    action.sa_handler = SaveAndExit;
    sigemptyset(&action.sa_mask);
    for (int s : kSignals) sigaddset(&action.sa_mask, s);
    for (std::size_t i = 0; i < std::size(kSignals); ++i) {
      sigaction(kSignals[i], nullptr, &previous_[i]);
      if (previous_[i].sa_handler != SIG_IGN) sigaction(kSignals[i], &action, nullptr);
    }
  }
  ~SignalGuard() {
    for (std::size_t i = 0; i < std::size(kSignals); ++i) {
      sigaction(kSignals[i], &previous_[i], nullptr);
    }
    if (blocked_) sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
    delete g_snapshot.exchange(nullptr);
  }
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;

  // From here on the program saves by itself; a signal waits until the guard is gone.
  void Block() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : kSignals) sigaddset(&set, s);
    blocked_ = sigprocmask(SIG_BLOCK, &set, &old_mask_) == 0;
  }

  static void Publish(std::unique_ptr<Snapshot> snapshot) {
    // The handler runs on this thread: once the exchange is done it can only see the new one.
    delete g_snapshot.exchange(snapshot.release());
  }

 private:
  struct sigaction previous_[std::size(kSignals)]{};
  sigset_t old_mask_{};
  bool blocked_ = false;
};

std::string Plural(std::size_t n, const char* word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// --- The interview -------------------------------------------------------------------------

class Interview {
 public:
  enum class End { kDone, kQuit, kEndOfInput };

  Interview(const AskOptions& options, const RuleSet& rules, std::vector<std::size_t> selection,
            Date as_of, std::istream& in, std::ostream& err)
      : options_(options),
        rules_(rules),
        dictionary_(rules.dictionary),
        selection_(std::move(selection)),
        as_of_(as_of),
        in_(in),
        err_(err) {}

  End Run() {
    err_ << fmt::format(
        "imgvisa ask — as of {} (rules {} {}), {}\n"
        "Answer each question and press Enter: ? or an empty line if you don't know, help for "
        "more about the question, q to stop.\n",
        as_of_.ToString(), rules_.name, rules_.version, Plural(selection_.size(), "pathway"));
    Update();
    while (true) {
      std::vector<Question> ranked = RankQuestions(rules_, facts_, verdicts_, selection_, asked_);
      if (ranked.empty()) {
        err_ << "\nNothing left to ask can change a verdict.\n";
        return End::kDone;
      }
      const FactId fact = ranked.front().fact;
      const Step step = dictionary_.at(fact).is_record_list() ? AskRecords(fact) : AskFact(fact);
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

  // The profile so far: facts in dictionary order, "don't know" as null (the same as absent).
  json Profile() const {
    json profile = json::object();
    for (const auto& [fact, value] : answers_) {
      SetProfileValue(profile, dictionary_.at(fact).path, value);
    }
    return profile;
  }

  std::size_t answered() const { return answered_; }
  const std::vector<Verdict>& verdicts() const { return verdicts_; }
  const std::vector<std::size_t>& selection() const { return selection_; }

  // After every answer: the snapshot that a signal would save.
  std::function<void(const json& profile, std::size_t answered)> on_change;

 private:
  enum class Step { kAnswered, kQuit, kEndOfInput };

  Facts Load(const json& profile) const {
    // Every answer was accepted by this same loader, so the profile loads.
    return FactsFromJson(dictionary_, SourceFile("answers", Dump(profile))).facts;
  }

  // Re-evaluates, shows each verdict that moved, and refreshes the snapshot.
  void Update() {
    const json profile = Profile();
    facts_ = Load(profile);
    std::vector<Verdict> now = Evaluate(rules_, facts_, as_of_);
    if (!verdicts_.empty()) {
      for (std::size_t p : selection_) {
        if (now[p].kind == verdicts_[p].kind) continue;
        err_ << fmt::format("  {}: {} -> {}\n", rules_.pathways[p].id,
                            VerdictName(verdicts_[p].kind), VerdictName(now[p].kind));
      }
    }
    verdicts_ = std::move(now);
    if (on_change) on_change(profile, answered_);
  }

  // One line of input, at most kMaxAnswerBytes of it kept; false at end of input.
  bool ReadLine(std::string& line, bool& too_long) {
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

  void Help(const FactDecl& decl) {
    err_ << fmt::format("{}{}\n", indent_, decl.description);
    if (!decl.unit.empty()) err_ << fmt::format("{}Unit: {}.\n", indent_, decl.unit);
    if (!decl.example.empty()) err_ << fmt::format("{}Example: {}\n", indent_, decl.example);
    err_ << fmt::format("{}(fact {}; ? if you don't know, q to stop)\n", indent_, decl.path);
  }

  // Prompts until the answer fits; nullopt at end of input.
  std::optional<Answer> Ask(const std::string& hint,
                            const std::function<Answer(std::string_view)>& parse,
                            const FactDecl& help, const std::string& label = "") {
    while (true) {
      err_ << fmt::format("{}{}[{}] > ", indent_, label, hint);
      err_.flush();
      prompt_open_ = true;
      std::string line;
      bool too_long = false;
      if (!ReadLine(line, too_long)) return std::nullopt;
      if (options_.echo_answers) err_ << EscapeForDisplay(line, 200) << "\n";
      prompt_open_ = false;
      if (too_long) {
        err_ << fmt::format("{}That answer is too long (over {} bytes).\n", indent_,
                            kMaxAnswerBytes);
        continue;
      }
      Answer answer = parse(line);
      if (answer.kind == Answer::Kind::kHelp) {
        Help(help);
        continue;
      }
      if (answer.kind == Answer::Kind::kInvalid) {
        err_ << fmt::format("{}Not an answer: {}. (? if you don't know)\n", indent_, answer.hint);
        continue;
      }
      return answer;
    }
  }

  void Menu(const FactDecl& decl) {
    const bool enums = decl.type == ValueType::kEnum ||
                       (decl.type == ValueType::kList && decl.item_type == ValueType::kEnum);
    if (!enums) return;
    for (std::size_t i = 0; i < decl.values.size(); ++i) {
      err_ << fmt::format("{}{}) {}\n", indent_, i + 1, decl.values[i]);
    }
  }

  // Asks for one scalar fact, or one field of the record `record` of a list.
  Step AskValue(FactId fact, json* record) {
    const FactDecl& decl = dictionary_.at(fact);
    Menu(decl);
    auto answer = Ask(
        TypeHint(decl), [&](std::string_view text) { return ParseAnswer(dictionary_, fact, text); },
        decl);
    if (!answer) return Step::kEndOfInput;
    if (answer->kind == Answer::Kind::kQuit) return Step::kQuit;
    json value = answer->kind == Answer::Kind::kValue ? std::move(answer->value) : json(nullptr);
    if (record != nullptr) {
      (*record)[decl.field_name] = std::move(value);
    } else {
      answers_[fact] = std::move(value);
      asked_.insert(fact);
    }
    ++answered_;
    Update();
    return Step::kAnswered;
  }

  Step AskFact(FactId fact) {
    indent_ = "   ";
    err_ << fmt::format("\n{}. {}\n", ++number_, dictionary_.at(fact).question);
    return AskValue(fact, nullptr);
  }

  std::optional<Answer> AskYesNo(const std::string& question, const FactDecl& help) {
    return Ask("y/n", ParseYesNo, help, question + " ");
  }

  // A list of records: whether there is any, then each record field by field, asking only the
  // fields that can still change a verdict, then whether there is another that could matter.
  Step AskRecords(FactId list) {
    const FactDecl& decl = dictionary_.at(list);
    indent_ = "   ";
    err_ << fmt::format("\n{}. {}\n", ++number_, decl.question);
    auto any = AskYesNo("Is there one to list?", decl);
    if (!any) return Step::kEndOfInput;
    if (any->kind == Answer::Kind::kQuit) return Step::kQuit;
    asked_.insert(list);
    ++answered_;
    if (any->kind == Answer::Kind::kDontKnow) {
      answers_[list] = nullptr;
      Update();
      return Step::kAnswered;
    }
    answers_[list] = json::array();
    if (!any->value.get<bool>()) {
      Update();
      return Step::kAnswered;
    }
    while (true) {
      // An entry with nothing known yet already says "there is one more": if a signal ends the
      // interview now, the profile says that much rather than "none".
      answers_[list].push_back(json::object());
      const std::size_t index = answers_[list].size() - 1;
      Update();
      indent_ = "   ";
      err_ << fmt::format("{}Entry {}:\n", indent_, index + 1);
      indent_ = "     ";
      std::set<FactId> asked = asked_;
      while (true) {
        std::vector<Question> ranked =
            RankQuestions(rules_, facts_, verdicts_, selection_, asked, list);
        if (ranked.empty()) break;
        const FactId field = ranked.front().fact;
        asked.insert(field);
        err_ << fmt::format("{}- {}\n", indent_, dictionary_.at(field).question);
        const Step step = AskValue(field, &answers_[list][index]);
        if (step != Step::kAnswered) return step;
      }
      // Would one more entry be worth its questions? Only if one of its fields could matter.
      answers_[list].push_back(json::object());
      const Facts more_facts = Load(Profile());
      const bool worth_more =
          !RankQuestions(rules_, more_facts, Evaluate(rules_, more_facts, as_of_), selection_,
                         asked_, list)
               .empty();
      answers_[list].erase(answers_[list].size() - 1);
      if (!worth_more) return Step::kAnswered;
      indent_ = "   ";
      auto more = AskYesNo("Is there another one?", decl);
      if (!more) return Step::kEndOfInput;
      if (more->kind == Answer::Kind::kQuit) return Step::kQuit;
      if (more->kind != Answer::Kind::kValue || !more->value.get<bool>()) return Step::kAnswered;
    }
  }

  const AskOptions& options_;
  const RuleSet& rules_;
  const FactDictionary& dictionary_;
  std::vector<std::size_t> selection_;
  Date as_of_;
  std::istream& in_;
  std::ostream& err_;
  std::map<FactId, json> answers_;  // by fact id: dictionary order in the profile
  std::set<FactId> asked_;
  Facts facts_;
  std::vector<Verdict> verdicts_;
  std::size_t answered_ = 0;
  int number_ = 0;
  std::string indent_ = "   ";
  bool prompt_open_ = false;
};

void PrintTable(std::ostream& err, const RuleSet& rules, const std::vector<Verdict>& verdicts,
                const std::vector<std::size_t>& selection, Date as_of) {
  err << fmt::format("\nVerdicts as of {}:\n", as_of.ToString());
  std::size_t width = 0;
  for (std::size_t p : selection) width = std::max(width, rules.pathways[p].id.size());
  for (std::size_t p : selection) {
    err << fmt::format("  {:<{}}  {:<14}  {}\n", rules.pathways[p].id, width,
                       VerdictName(verdicts[p].kind), rules.pathways[p].title);
  }
}

}  // namespace

int RunAsk(const AskOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  const auto as_of = ParseAsOfOption(options.as_of, "ask", err);
  if (!as_of) return kExitUsage;
  const std::string& path = options.out_path;
  const std::string shown = EscapeForDisplay(path, 400);
  std::string temp = path.empty() ? "" : TempPathFor(path);
  // Refused before the first question: nobody should answer thirty questions for nothing.
  if (!path.empty()) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        err << fmt::format("imgvisa ask: {} is a directory\n", shown);
        return kExitUsage;
      }
      if (!options.force) {
        err << fmt::format("imgvisa ask: {} already exists; use --force to overwrite it\n", shown);
        return kExitUsage;
      }
      if (!S_ISREG(st.st_mode)) temp.clear();  // a device or FIFO: written in place
    }
    const int fd = temp.empty()
                       ? (::access(path.c_str(), W_OK) == 0 ? 0 : -1)
                       : ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
      err << fmt::format("imgvisa ask: cannot write {}: {}\n", shown, std::strerror(errno));
      return kExitUsage;
    }
    if (!temp.empty()) {
      ::close(fd);
      ::unlink(temp.c_str());
    }
  }
  const LoadedRules loaded = LoadRules(options.rules_path, {"ask"}, err);
  if (!loaded) return kExitRules;
  const RuleSet& rules = *loaded;
  std::string problem;
  auto selection = SelectPathways(rules, options.pathways, &problem);
  if (!selection) {
    err << "imgvisa ask: " << EscapeForDisplay(problem, 400) << "\n";
    return kExitUsage;
  }

  Interview interview(options, rules, std::move(*selection), *as_of, in, err);
  std::optional<SignalGuard> guard;
  if (options.save_on_signal) {
    interview.on_change = [&](const json& profile, std::size_t answered) {
      auto s = std::make_unique<Snapshot>();
      s->path = path;
      s->temp = temp;
      s->replace = options.force;
      s->write = answered > 0;
      s->bytes = Dump(profile) + "\n";
      if (answered == 0) {
        s->saved = path.empty()
                       ? "\ninterrupted: nothing answered\n"
                       : fmt::format("\ninterrupted: nothing answered; {} not written\n", shown);
      } else if (path.empty()) {
        s->saved = fmt::format("\ninterrupted: printed {} to standard output\n",
                               Plural(answered, "answer"));
      } else {
        s->saved =
            fmt::format("\ninterrupted: saved {} to {}\n", Plural(answered, "answer"), shown);
        s->failed = fmt::format(
            "\ninterrupted: cannot write {}; the profile follows on standard output\n", shown);
      }
      SignalGuard::Publish(std::move(s));
    };
    guard.emplace();
  }
  const Interview::End end = interview.Run();
  PrintTable(err, rules, interview.verdicts(), interview.selection(), *as_of);
  if (guard) guard->Block();

  const char* prefix = end == Interview::End::kEndOfInput ? "interrupted: " : "";
  const std::size_t answered = interview.answered();
  const std::string bytes = Dump(interview.Profile()) + "\n";
  int status = kExitNoneOpen;
  for (std::size_t p : interview.selection()) {
    if (IsOpen(interview.verdicts()[p].kind)) status = kExitOk;
  }
  if (path.empty()) {
    out << bytes;
    out.flush();
    if (end == Interview::End::kEndOfInput) {
      err << fmt::format("{}printed {} to standard output\n", prefix, Plural(answered, "answer"));
    }
    return status;
  }
  if (answered == 0) {
    err << fmt::format("{}nothing answered; {} not written\n", prefix, shown);
    return status;
  }
  if (int error = WriteFileAtomically(path.c_str(), temp.c_str(), bytes.data(), bytes.size(),
                                      options.force);
      error != 0) {
    err << fmt::format("imgvisa ask: cannot write {}: {}; the profile follows on standard output\n",
                       shown, std::strerror(error));
    out << bytes;
    out.flush();
    return kExitUsage;
  }
  err << fmt::format("{}saved {} to {}\n", prefix, Plural(answered, "answer"), shown);
  if (end != Interview::End::kEndOfInput) {
    err << fmt::format("Details and sources: imgvisa check {} --as-of {}\n", shown,
                       as_of->ToString());
  }
  return status;
}

}  // namespace imgvisa

#include "imgvisa/cli/man_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

namespace imgvisa {
namespace {

// Text as roff reads it: a backslash is \e, a hyphen-minus \- (so options copy as typed), and
// a line that would start with a control character is protected with \&.
std::string Roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

std::string Bold(std::string_view s) { return "\\fB" + Roff(s) + "\\fR"; }
std::string Italic(std::string_view s) { return "\\fI" + Roff(s) + "\\fR"; }

std::string Joined(const std::vector<std::string>& words, std::string_view separator,
                   std::string (*style)(std::string_view)) {
  std::vector<std::string> styled;
  for (const std::string& w : words) styled.push_back(style(w));
  return fmt::format("{}", fmt::join(styled, separator));
}

// "--format text|json|ndjson", "--as-of DATE", "--jobs, -j N": the head of an option's entry.
std::string OptionHead(const OptionSpec& o) {
  const std::string names = Joined(o.names, ", ", Bold);
  if (o.value.empty()) return names;
  if (o.choices.empty()) return names + " " + Italic(o.value);
  return names + " " + Joined(o.choices, "|", Bold);
}

void WriteOptions(std::ostream& out, const std::vector<OptionSpec>& options) {
  for (const OptionSpec& o : options) {
    out << ".TP\n" << OptionHead(o) << "\n" << Roff(o.help);
    if (o.repeatable && o.help.find("repeatable") == std::string::npos) out << " (repeatable)";
    if (o.required) out << " (required)";
    out << "\n";
  }
}

void WriteCommand(std::ostream& out, const CommandLine& line, const CommandSpec& c) {
  out << ".SS \"" << Roff(c.name) << "\"\n";
  out << Bold(Synopsis(line, c)) << "\n.PP\n" << Roff(c.summary) << ".\n";
  for (const ArgumentSpec& a : c.arguments) {
    out << ".TP\n" << Italic(a.name + (a.many ? "..." : "")) << "\n" << Roff(a.help);
    const bool named = std::all_of(a.choices.begin(), a.choices.end(), [&](const std::string& c) {
      return a.help.find(c) != std::string::npos;
    });
    if (!named) out << ": " << Roff(ChoiceList(a.choices));
    out << "\n";
  }
  WriteOptions(out, c.options);
}

void WriteExitStatuses(std::ostream& out, const CommandLine& line) {
  out << ".SH \"EXIT STATUS\"\n"
      << "Usage errors exit 2 with two lines on standard error: what is wrong, with a suggestion "
         "for a mistyped command, option or value, and where to look.\n";
  std::vector<std::string> commands = {""};
  for (const CommandSpec& c : line.commands) commands.push_back(c.name);
  for (const std::string& c : commands) {
    out << ".SS \"" << (c.empty() ? Roff(line.program + " --version, --help") : Roff(c)) << "\"\n";
    for (const ExitStatus& s : ExitStatusesOf(c)) {
      out << ".TP\n.B " << s.status << "\n" << Roff(s.meaning) << "\n";
    }
  }
}

constexpr std::string_view kDescription =
    R"(reads a JSON profile of what an international medical graduate knows (school, exams, ECFMG status, offer, immigration history) and says, for each US visa pathway into residency and fellowship \(em ECFMG Certification, J\-1 clinical, J\-1 research and short\-term scholar, H\-1B, O\-1, TN and the INA 212(e) waivers \(em whether it is open, exactly why, and on which legal source.
.PP
A fact left out of a profile is unknown, never false: the verdict then lists the questions that would settle it.
Verdicts are \fBeligible\fR, \fBconditional\fR (requirements met, a decision pending), \fBblocked\fR (a dated restriction applies), \fBineligible\fR (a requirement is unmet), \fBundetermined\fR (nothing unmet, something unknown) and \fBnot\-applicable\fR (the pathway does not concern the person).
.PP
The rules are JSON files embedded in the binary at build time; \fB\-\-rules\fR evaluates another set, and \fBlint\fR and \fBtest\fR check a set before anyone relies on it.
imgvisa is an aid, not legal advice.
)";

constexpr std::string_view kEnvironment = R"(.SH ENVIRONMENT
.TP
.B NO_COLOR
When set to a non\-empty value, \fBcheck\fR never colours its output, whatever \fB\-\-color\fR says.
.TP
.B IMGVISA_HUGE_PAGES
\fB0\fR, \fBoff\fR or \fBno\fR keeps \fBcheck\fR from moving its heap onto transparent huge pages. No output depends on it.
)";

constexpr std::string_view kExamples = R"(.SH EXAMPLES
.nf
imgvisa check profile.json
imgvisa check \-\-format json \-\-pathway h1b profile.json
imgvisa check \-\-format ndjson \-\-detail summary \-\-jobs 0 \- < profiles.ndjson
imgvisa ask \-\-out profile.json
imgvisa explain j1\-clinical
imgvisa lint \-\-strict \-\-allow W101 rules/
imgvisa test rules/ \-\-case "12\-month"
imgvisa help check
.fi
)";

constexpr std::string_view kSeeAlso = R"(.SH "SEE ALSO"
The contract of every command, option, output format and exit status, and the profile facts, pathways, rule language and diagnostics, are documented in
.IR /usr/share/doc/imgvisa/ :
.BR cli.md ,
.BR profile.md ,
.BR pathways.md ,
.BR rule\-language.md ,
.BR rule\-tests.md ,
.BR diagnostics.md .
)";

}  // namespace

std::vector<ExitStatus> ExitStatusesOf(std::string_view command) {
  const ExitStatus usage{2, "usage error"};
  const ExitStatus rules{3, "the rule set does not load (its diagnostics on standard error)"};
  if (command.empty()) return {{0, "printed"}, rules};
  if (command == "check") {
    return {{0,
             "every input evaluated, and some selected pathway of some profile is eligible or "
             "conditional"},
            {1, "every input evaluated, and no selected pathway is eligible or conditional"},
            {2,
             "usage error, or some input could not be read or is not a valid profile (the "
             "others are still evaluated)"},
            rules};
  }
  if (command == "ask") {
    return {{0, "the interview ended and some selected pathway is eligible or conditional"},
            {1, "the interview ended and no selected pathway is eligible or conditional"},
            {2,
             "usage error, an --out file that exists without --force or cannot be written, "
             "or the profile could not be written at the end"},
            rules,
            {130,
             "interrupted by Ctrl-C after saving the answers so far (143 for SIGTERM, 129 "
             "for SIGHUP)"}};
  }
  if (command == "lint") {
    return {{0, "clean (warnings allowed unless --strict)"},
            {1,
             "findings: errors, and with --strict warnings (codes named with --allow are "
             "silenced)"},
            {2,
             "usage error or an unreadable path (a set that does not compile is a finding, "
             "not status 3)"}};
  }
  if (command == "test") {
    return {{0, "every case passed (and coverage is at least --min-coverage)"},
            {1, "a case failed, or coverage is short"},
            {2,
             "a malformed test case (it also counts as failed), a filter that selects no "
             "case, or a usage error"},
            rules};
  }
  if (command == "diff") {
    return {{0, "nothing changed"},
            {1, "some profile's verdict or decisive items changed"},
            {2, "usage error, or some profile could not be read or loads under neither set"},
            {3, "a rule set does not load"}};
  }
  if (command == "explain") return {{0, "printed"}, {2, "usage error (an unknown pathway)"}, rules};
  if (command == "docs" || command == "schema") return {{0, "printed"}, usage, rules};
  if (command == "completion") return {{0, "printed"}, usage, rules};
  if (command == "help") return {{0, "printed"}, {2, "usage error (an unknown command)"}};
  return {};
}

void WriteManPage(std::ostream& out, const CommandLine& line, std::string_view version) {
  out << ".\\\" Generated by `imgvisa docs man` from the command line the binary parses; do not "
         "edit.\n";
  out << fmt::format(".TH IMGVISA 1 \"\" \"imgvisa {}\" \"User Commands\"\n", Roff(version));
  // Options and paths are copied from the page: no hyphenation, no stretched spaces.
  out << ".nh\n.ad l\n";
  out << ".SH NAME\n" << Roff(line.program) << " \\- " << Roff(line.summary) << "\n";
  out << ".SH SYNOPSIS\n";
  for (const CommandSpec& c : line.commands) out << Bold(Synopsis(line, c)) << "\n.br\n";
  out << Bold(line.program + " --version") << "\n";
  out << ".SH DESCRIPTION\n.B " << Roff(line.program) << "\n" << kDescription;
  out << ".SH OPTIONS\nBefore any command:\n";
  WriteOptions(out, line.options);
  out << ".SH COMMANDS\n";
  for (const CommandSpec& c : line.commands) WriteCommand(out, line, c);
  WriteExitStatuses(out, line);
  out << kEnvironment << kExamples << kSeeAlso;
}

}  // namespace imgvisa

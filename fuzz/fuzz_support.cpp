#include "fuzz_support.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "imgvisa/rules/rule_set_from_json.h"
#include "imgvisa/rules/rule_source.h"

namespace imgvisa::fuzz {

const RuleSet& EmbeddedRules() {
  static const RuleSet* rules = [] {
    RuleSetLoad load = RuleSetFromFiles(EmbeddedRuleFiles(), "rules/");
    if (!load.ok()) {
      std::fprintf(stderr, "fuzz: the embedded rule set does not load\n");
      std::abort();
    }
    return new RuleSet(std::move(*load.rules));
  }();
  return *rules;
}

std::string Bytes(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

std::vector<SourceFile> SplitFiles(std::string_view input, const std::string& first_name) {
  constexpr std::string_view kMarker = "#file ";
  std::vector<SourceFile> files;
  std::string name = first_name;
  std::string text;
  bool marked = false;
  std::size_t pos = 0;
  while (pos < input.size()) {
    const std::size_t newline = input.find('\n', pos);
    const std::size_t end = newline == std::string_view::npos ? input.size() : newline;
    const std::size_t next = newline == std::string_view::npos ? input.size() : newline + 1;
    const std::string_view line = input.substr(pos, end - pos);
    if (line.substr(0, kMarker.size()) == kMarker) {
      if (marked || !text.empty()) files.emplace_back(name, std::move(text));
      name = std::string(line.substr(kMarker.size()));
      text.clear();
      marked = true;
    } else {
      text.append(input.substr(pos, next - pos));
    }
    pos = next;
  }
  if (marked || !text.empty() || files.empty()) files.emplace_back(name, std::move(text));
  return files;
}

std::vector<std::pair<std::size_t, std::string>> NonBlankLines(std::string_view input) {
  std::vector<std::pair<std::size_t, std::string>> lines;
  std::size_t number = 0, pos = 0;
  while (pos < input.size()) {
    std::size_t end = input.find('\n', pos);
    if (end == std::string_view::npos) end = input.size();
    ++number;
    std::string line(input.substr(pos, end - pos));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t\r") != std::string::npos) lines.emplace_back(number, line);
    pos = end + 1;
  }
  return lines;
}

void CheckDiagnostics(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics) {
    const std::string line = FormatDiagnosticLine(d);
    const std::string full = FormatDiagnostic(d);
    if (d.code.empty()) {
      std::fprintf(stderr, "fuzz: diagnostic without a code: %s\n", line.c_str());
      std::abort();
    }
    for (char c : line) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) {
        std::fprintf(stderr, "fuzz: raw control byte 0x%02x in a diagnostic line\n", u);
        std::abort();
      }
    }
    (void)full;
  }
}

std::string WriteRuleSubset(const std::vector<std::string>& prefixes,
                            const std::vector<RuleEdit>& edits) {
  // Every directory made, removed at exit (a target may write several subsets).
  static std::vector<std::string>* made = [] {
    std::atexit([] {
      for (const std::string& d : *made) std::filesystem::remove_all(d);
    });
    return new std::vector<std::string>;
  }();
  char pattern[] = "/tmp/imgvisa-fuzz-rules-XXXXXX";
  const char* dir = ::mkdtemp(pattern);
  if (dir == nullptr) std::abort();
  made->push_back(dir);
  std::size_t applied = 0;
  for (const SourceFile& f : EmbeddedRuleFiles()) {
    bool wanted = false;
    for (const std::string& p : prefixes) wanted = wanted || f.name().rfind(p, 0) == 0;
    if (!wanted) continue;
    // Flatten "rules/facts/core.json" to "facts-core.json": order and content are what count.
    std::string flat = f.name().substr(f.name().find('/') + 1);
    for (char& c : flat) c = c == '/' ? '-' : c;
    std::ofstream out(std::string(dir) + "/" + flat, std::ios::binary);
    if (f.name() == "rules/ruleset.json") {
      // The manifest's "order" names every pathway; a slice holds only some of them.
      nlohmann::ordered_json manifest = nlohmann::ordered_json::parse(f.text());
      manifest["ruleset"].erase("order");
      out << manifest.dump(2);
    } else {
      std::string text = f.text();
      for (const RuleEdit& e : edits) {
        if (e.file != f.name()) continue;
        const std::size_t at = text.find(e.from);
        if (at == std::string::npos) break;
        text.replace(at, e.from.size(), e.to);
        ++applied;
      }
      out << text;
    }
  }
  if (applied != edits.size()) {
    std::fprintf(stderr, "fuzz: a rule edit did not apply\n");
    std::abort();
  }
  return dir;
}

}  // namespace imgvisa::fuzz

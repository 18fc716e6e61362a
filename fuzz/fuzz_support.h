#pragma once

// Shared pieces of the libFuzzer targets in this directory (docs/reliability.md).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "imgvisa/base/diagnostic.h"
#include "imgvisa/base/source.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa::fuzz {

/// The rule set compiled into the binary, loaded once per process; aborts if it does not load.
const RuleSet& EmbeddedRules();

/// The fuzzer's bytes as a string.
std::string Bytes(const std::uint8_t* data, std::size_t size);

/// Splits an input into files: each file starts with a line "#file NAME"; text before the first
/// such line (all of it, if there is none) is a file named `first_name`.
std::vector<SourceFile> SplitFiles(std::string_view input, const std::string& first_name);

/// The non-blank lines of an NDJSON input as ProfileStream splits them (at '\n', without a
/// trailing '\r'; blank: nothing but spaces, tabs and '\r'), with their 1-based line numbers.
std::vector<std::pair<std::size_t, std::string>> NonBlankLines(std::string_view input);

/// Formats every diagnostic the way the CLI does, so the formatting code is fuzzed too, and
/// aborts if one lacks a code or holds a raw control byte (echoed input must be escaped).
void CheckDiagnostics(const std::vector<Diagnostic>& diagnostics);

/// A change to the text of one embedded rule file: its first `from` becomes `to`.
struct RuleEdit {
  std::string file;  ///< "rules/pathways/ecfmg-certification.json"
  std::string from, to;
};

/// Writes the embedded rule files whose names start with one of `prefixes` into a new
/// directory under /tmp, removed at exit, and returns its path (for targets that must go
/// through LoadRuleSet). The manifest loses its "order", which names pathways left out.
/// `edits` change the files' texts (each must apply, or the process aborts).
std::string WriteRuleSubset(const std::vector<std::string>& prefixes,
                            const std::vector<RuleEdit>& edits = {});

}  // namespace imgvisa::fuzz

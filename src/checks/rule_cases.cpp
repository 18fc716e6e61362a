#include "imgvisa/checks/rule_cases.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "imgvisa/base/json_document.h"
#include "imgvisa/engine/evaluator.h"
#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/sys/read_file.h"

namespace imgvisa {
namespace {

using json = nlohmann::ordered_json;

// The part of `doc` below `prefix`, with pointers made relative to it, so a profile written
// inside a test file is read with its true positions in that file.
JsonDocument SubDocument(const JsonDocument& doc, const json& value, const std::string& prefix) {
  JsonDocument sub;
  sub.value = value;
  sub.ok = true;
  auto below = [&](const std::string& pointer) {
    return pointer.compare(0, prefix.size(), prefix) == 0 &&
           (pointer.size() == prefix.size() || pointer[prefix.size()] == '/');
  };
  for (const auto& [pointer, offset] : doc.value_offsets) {
    if (below(pointer)) sub.value_offsets[pointer.substr(prefix.size())] = offset;
  }
  for (const auto& [pointer, offset] : doc.key_offsets) {
    if (below(pointer)) sub.key_offsets[pointer.substr(prefix.size())] = offset;
  }
  return sub;
}

class CaseReader {
 public:
  CaseReader(const RuleSet& rules, const SourceFile& file, const JsonDocument& doc,
             std::vector<Diagnostic>& diagnostics)
      : rules_(rules), file_(file), doc_(doc), diagnostics_(diagnostics) {}

  std::optional<RuleTestCase> Read(const json& c, const std::string& pointer) {
    bool ok = true;
    auto error = [&](const std::string& p, std::string message, bool key = false) {
      ok = false;
      diagnostics_.push_back(Diagnostic{Severity::kError, "E060", std::move(message), file_.name(),
                                        key ? doc_.KeyOffsetOf(p) : doc_.OffsetOf(p)});
    };
    if (!c.is_object()) {
      error(pointer, "a test case must be an object");
      return std::nullopt;
    }
    static const std::vector<std::string> kKeys = {"name",         "as_of",          "profile",
                                                   "profile_file", "expect",         "decisive",
                                                   "expect_items", "expect_missing", "$comment"};
    for (auto it = c.begin(); it != c.end(); ++it) {
      if (std::find(kKeys.begin(), kKeys.end(), it.key()) == kKeys.end()) {
        error(AppendPointer(pointer, it.key()),
              fmt::format("unknown key \"{}\" in a test case", EscapeForDisplay(it.key())), true);
      }
    }
    RuleTestCase t;
    t.file = file_.name();
    t.offset = doc_.OffsetOf(pointer);
    t.position = file_.ToLineCol(t.offset);
    if (c.contains("name") && c["name"].is_string()) {
      t.name = c["name"].get<std::string>();
    } else {
      error(pointer, "a test case needs a \"name\" string");
    }
    auto as_of = c.contains("as_of") && c["as_of"].is_string()
                     ? ParseIsoDate(c["as_of"].get<std::string>())
                     : std::nullopt;
    if (!as_of) {
      error(AppendPointer(pointer, "as_of"), "a test case needs \"as_of\" as a date YYYY-MM-DD");
    } else {
      t.as_of = *as_of;
    }
    const bool inline_profile = c.contains("profile");
    if (inline_profile == c.contains("profile_file")) {
      error(pointer, "a test case needs exactly one of \"profile\" and \"profile_file\"");
    } else if (inline_profile) {
      const std::string pp = AppendPointer(pointer, "profile");
      JsonDocument sub = SubDocument(doc_, c["profile"], pp);
      FactsLoad load = FactsFromDocument(rules_.dictionary, file_, sub);
      for (Diagnostic& d : load.diagnostics) {
        ok = false;
        diagnostics_.push_back(std::move(d));
      }
      t.facts = std::move(load.facts);
    } else {
      ReadProfileFile(c["profile_file"], AppendPointer(pointer, "profile_file"), t, error);
    }
    ReadMap(c, "expect", pointer, error,
            [&](const std::string& key, const json& v, const std::string& p) {
              if (!PathwayExists(key, p, error)) return;
              const bool known =
                  v.is_string() && std::find(std::begin(kVerdictNames), std::end(kVerdictNames),
                                             v.get<std::string>()) != std::end(kVerdictNames);
              if (!known) {
                error(p, fmt::format("expected verdict must be one of: {}",
                                     fmt::join(kVerdictNames, ", ")));
                return;
              }
              t.expect[key] = v.get<std::string>();
            });
    ReadMap(c, "decisive", pointer, error,
            [&](const std::string& key, const json& v, const std::string& p) {
              if (!PathwayExists(key, p, error)) return;
              auto ids = Strings(v, p, error);
              for (std::size_t i = 0; i < ids.size(); ++i)
                ItemExists(key, ids[i], AppendPointer(p, i), error);
              t.decisive[key] = std::move(ids);
            });
    ReadMap(
        c, "expect_items", pointer, error,
        [&](const std::string& key, const json& v, const std::string& p) {
          const std::size_t slash = key.find('/');
          if (slash == std::string::npos) {
            error(p, "expect_items keys are \"pathway-id/item-id\"", true);
            return;
          }
          if (!PathwayExists(key.substr(0, slash), p, error)) return;
          ItemExists(key.substr(0, slash), key.substr(slash + 1), p, error);
          static const std::vector<std::string> kStatuses = {"met", "unmet", "unknown", "inactive"};
          if (!v.is_string() || std::find(kStatuses.begin(), kStatuses.end(),
                                          v.get<std::string>()) == kStatuses.end()) {
            error(p, "expected item status must be met, unmet, unknown or inactive");
            return;
          }
          t.expect_items[key] = v.get<std::string>();
        });
    ReadMap(c, "expect_missing", pointer, error,
            [&](const std::string& key, const json& v, const std::string& p) {
              if (!PathwayExists(key, p, error)) return;
              auto facts = Strings(v, p, error);
              for (std::size_t i = 0; i < facts.size(); ++i) {
                if (!rules_.dictionary.Find(facts[i]))
                  error(AppendPointer(p, i), fmt::format("no fact \"{}\" in the dictionary",
                                                         EscapeForDisplay(facts[i])));
              }
              t.expect_missing[key] = std::move(facts);
            });
    if (!c.contains("expect") && !c.contains("decisive") && !c.contains("expect_items") &&
        !c.contains("expect_missing")) {
      error(pointer,
            "a test case must expect something (expect, decisive, expect_items or expect_missing)");
    }
    if (!ok) return std::nullopt;
    return t;
  }

 private:
  template <typename Error>
  void ReadProfileFile(const json& v, const std::string& p, RuleTestCase& t, Error& error) {
    if (!v.is_string()) return error(p, "\"profile_file\" must be a path");
    const std::string& name = file_.name();
    const auto slash = name.rfind('/');
    const std::string path =
        (slash == std::string::npos ? "" : name.substr(0, slash + 1)) + v.get<std::string>();
    FileRead read = ReadFile(path, 1024 * 1024);
    if (!read.ok)
      return error(p, fmt::format("cannot read profile {}: {} (profile files resolve next to the "
                                  "test file; the embedded rule set has none, so run with --rules)",
                                  EscapeForDisplay(path), read.error));
    SourceFile profile(path, std::move(read.text));
    FactsLoad load = FactsFromJson(rules_.dictionary, profile);
    for (Diagnostic& d : load.diagnostics) diagnostics_.push_back(std::move(d));
    if (!load.ok) return error(p, "the profile file is not valid");
    t.facts = std::move(load.facts);
  }

  template <typename Error, typename Each>
  void ReadMap(const json& c, const char* key, const std::string& pointer, Error& error,
               Each each) {
    if (!c.contains(key)) return;
    const std::string p = AppendPointer(pointer, key);
    if (!c[key].is_object()) return error(p, fmt::format("\"{}\" must be an object", key));
    for (auto it = c[key].begin(); it != c[key].end(); ++it)
      each(it.key(), it.value(), AppendPointer(p, it.key()));
  }

  template <typename Error>
  std::vector<std::string> Strings(const json& v, const std::string& p, Error& error) {
    std::vector<std::string> out;
    if (!v.is_array()) {
      error(p, "expected an array of strings");
      return out;
    }
    for (const json& s : v) {
      if (s.is_string()) {
        out.push_back(s.get<std::string>());
      } else {
        error(p, "expected an array of strings");
      }
    }
    return out;
  }

  template <typename Error>
  bool PathwayExists(const std::string& id, const std::string& p, Error& error) {
    if (rules_.FindPathway(id)) return true;
    error(p, fmt::format("no pathway \"{}\" in the rule set", EscapeForDisplay(id)), true);
    return false;
  }

  template <typename Error>
  void ItemExists(const std::string& pathway, const std::string& item, const std::string& p,
                  Error& error) {
    const Pathway& pw = rules_.pathways[*rules_.FindPathway(pathway)];
    const bool found =
        std::any_of(pw.items.begin(), pw.items.end(), [&](const Item& i) { return i.id == item; });
    if (!found)
      error(p, fmt::format("pathway \"{}\" has no item \"{}\"", pathway, EscapeForDisplay(item)));
  }

  const RuleSet& rules_;
  const SourceFile& file_;
  const JsonDocument& doc_;
  std::vector<Diagnostic>& diagnostics_;
};

std::string Joined(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return fmt::format("[{}]", fmt::join(v, ", "));
}

}  // namespace

RuleTestLoad RuleTestsFromFiles(const RuleSet& rules) {
  RuleTestLoad out;
  for (const SourceFile& file : rules.files) {
    std::vector<Diagnostic> ignored;  // the loader already reported syntax problems
    JsonDocument doc = ParseJson(file, ignored);
    if (!doc.ok || !doc.value.is_object() || !doc.value.contains("tests")) continue;
    const json& tests = doc.value["tests"];
    if (!tests.is_array()) {
      out.diagnostics.push_back(Diagnostic{Severity::kError, "E060",
                                           "\"tests\" must be an array of test cases", file.name(),
                                           doc.OffsetOf("/tests")});
      continue;
    }
    CaseReader reader(rules, file, doc, out.diagnostics);
    std::set<std::string> names;
    for (std::size_t i = 0; i < tests.size(); ++i) {
      const std::string pointer = AppendPointer("/tests", i);
      auto t = reader.Read(tests[i], pointer);
      if (!t) continue;
      if (!names.insert(t->name).second) {
        out.diagnostics.push_back(
            Diagnostic{Severity::kError, "E060",
                       fmt::format("test name \"{}\" is used twice in this file", t->name),
                       file.name(), doc.OffsetOf(pointer)});
        continue;
      }
      out.cases.push_back(std::move(*t));
    }
    Locate(out.diagnostics, file);
  }
  return out;
}

std::size_t RuleTestRun::passed() const {
  return static_cast<std::size_t>(std::count_if(
      results.begin(), results.end(), [](const RuleTestResult& r) { return r.failures.empty(); }));
}
std::size_t RuleTestRun::failed() const { return results.size() - passed(); }

double RuleTestRun::CoveragePercent() const {
  std::size_t possible = 0, seen = 0;
  for (const ItemCoverage& c : coverage) {
    possible += c.can_vary ? 3 : 1;
    seen += static_cast<std::size_t>(c.met) + static_cast<std::size_t>(c.unmet) +
            static_cast<std::size_t>(c.unknown);
  }
  return possible == 0 ? 100.0 : 100.0 * static_cast<double>(seen) / static_cast<double>(possible);
}

RuleTestRun RunRuleTests(const RuleSet& rules, const std::vector<RuleTestCase>& cases) {
  RuleTestRun run;
  // Coverage is kept per (pathway, item id): versions of one item share their id.
  std::map<std::pair<std::size_t, std::string>, std::size_t> slot;
  for (std::size_t p = 0; p < rules.pathways.size(); ++p) {
    for (const Item& item : rules.pathways[p].items) {
      auto key = std::make_pair(p, item.id);
      if (slot.count(key)) {
        if (item.condition >= 0) run.coverage[slot[key]].can_vary = true;
        continue;
      }
      slot[key] = run.coverage.size();
      run.coverage.push_back(ItemCoverage{rules.pathways[p].id, item.id, item.condition >= 0});
    }
  }
  for (const RuleTestCase& t : cases) {
    RuleTestResult result{&t, {}};
    std::vector<Verdict> verdicts = Evaluate(rules, t.facts, t.as_of);
    std::set<std::size_t> asserted;
    auto pathway = [&](const std::string& id) { return *rules.FindPathway(id); };
    for (const auto& [id, want] : t.expect) {
      const std::size_t p = pathway(id);
      asserted.insert(p);
      const std::string got(VerdictName(verdicts[p].kind));
      if (got != want)
        result.failures.push_back(fmt::format("{}: expected {}, got {}", id, want, got));
    }
    for (const auto& [id, want] : t.decisive) {
      const std::size_t p = pathway(id);
      asserted.insert(p);
      std::vector<std::string> got;
      for (std::size_t i : verdicts[p].decisive)
        got.push_back(rules.pathways[p].items[verdicts[p].items[i].item].id);
      if (Joined(got) != Joined(want))
        result.failures.push_back(
            fmt::format("{}: decisive items expected {}, got {}", id, Joined(want), Joined(got)));
    }
    for (const auto& [key, want] : t.expect_items) {
      const std::size_t slash = key.find('/');
      const std::size_t p = pathway(key.substr(0, slash));
      asserted.insert(p);
      const std::string item = key.substr(slash + 1);
      std::string got = "inactive";
      for (const ItemResult& r : verdicts[p].items) {
        if (rules.pathways[p].items[r.item].id == item) got = std::string(OutcomeName(r.status));
      }
      if (got != want)
        result.failures.push_back(fmt::format("{}: expected {}, got {}", key, want, got));
    }
    for (const auto& [id, want] : t.expect_missing) {
      const std::size_t p = pathway(id);
      asserted.insert(p);
      std::vector<std::string> got;
      for (std::uint16_t f : verdicts[p].missing.facts) got.push_back(rules.dictionary.at(f).path);
      if (Joined(got) != Joined(want))
        result.failures.push_back(
            fmt::format("{}: missing facts expected {}, got {}", id, Joined(want), Joined(got)));
    }
    for (std::size_t p : asserted) {
      for (const ItemResult& r : verdicts[p].items) {
        ItemCoverage& c = run.coverage[slot[{p, rules.pathways[p].items[r.item].id}]];
        (r.status == Outcome::kMet     ? c.met
         : r.status == Outcome::kUnmet ? c.unmet
                                       : c.unknown) = true;
      }
    }
    run.results.push_back(std::move(result));
  }
  return run;
}

}  // namespace imgvisa

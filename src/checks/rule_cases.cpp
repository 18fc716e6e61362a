#include "imgvisa/checks/rule_cases.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "imgvisa/base/json_document.h"
#include "imgvisa/engine/verdict.h"
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

// Reads the cases of one test file. Every problem is an E060 diagnostic at its place in the
// file (or the profile loader's own); a case with any problem is left out.
class CaseReader {
 public:
  CaseReader(const RuleSet& rules, const SourceFile& file, const JsonDocument& doc,
             std::vector<Diagnostic>& diagnostics)
      : rules_(rules), file_(file), doc_(doc), diagnostics_(diagnostics) {}

  std::optional<RuleTestCase> Read(const json& c, const std::string& pointer) {
    ok_ = true;
    if (!c.is_object()) {
      Error(pointer, "a test case must be an object");
      return std::nullopt;
    }
    CheckKeys(c, pointer);
    RuleTestCase t;
    t.file = file_.name();
    t.offset = doc_.OffsetOf(pointer);
    t.position = file_.ToLineCol(t.offset);
    ReadName(c, pointer, t);
    ReadAsOf(c, pointer, t);
    ReadProfile(c, pointer, t);
    ReadExpect(c, pointer, t);
    ReadItemIds(c, "decisive", pointer, t, t.decisive);
    ReadItemIds(c, "whichever_way", pointer, t, t.whichever_way);
    ReadExpectItems(c, pointer, t);
    ReadExpectMissing(c, pointer, t);
    if (!c.contains("expect") && !c.contains("decisive") && !c.contains("whichever_way") &&
        !c.contains("expect_items") && !c.contains("expect_missing")) {
      Error(pointer,
            "a test case must expect something (expect, decisive, whichever_way, expect_items or "
            "expect_missing)");
    }
    if (!ok_) return std::nullopt;
    return t;
  }

 private:
  void Error(const std::string& p, std::string message, bool key = false) {
    ok_ = false;
    diagnostics_.push_back(Diagnostic{Severity::kError, "E060", std::move(message), file_.name(),
                                      key ? doc_.KeyOffsetOf(p) : doc_.OffsetOf(p)});
  }

  void CheckKeys(const json& c, const std::string& pointer) {
    static const std::vector<std::string> kKeys = {
        "name",     "as_of",         "profile",      "profile_file",   "expect",
        "decisive", "whichever_way", "expect_items", "expect_missing", "$comment"};
    for (auto it = c.begin(); it != c.end(); ++it) {
      if (std::find(kKeys.begin(), kKeys.end(), it.key()) == kKeys.end()) {
        Error(AppendPointer(pointer, it.key()),
              fmt::format("unknown key \"{}\" in a test case", EscapeForDisplay(it.key())), true);
      }
    }
  }

  void ReadName(const json& c, const std::string& pointer, RuleTestCase& t) {
    if (c.contains("name") && c["name"].is_string()) {
      t.name = c["name"].get<std::string>();
    } else {
      Error(pointer, "a test case needs a \"name\" string");
    }
  }

  void ReadAsOf(const json& c, const std::string& pointer, RuleTestCase& t) {
    auto as_of = c.contains("as_of") && c["as_of"].is_string()
                     ? ParseIsoDate(c["as_of"].get<std::string>())
                     : std::nullopt;
    if (!as_of) {
      Error(AppendPointer(pointer, "as_of"), "a test case needs \"as_of\" as a date YYYY-MM-DD");
    } else {
      t.as_of = *as_of;
    }
  }

  void ReadProfile(const json& c, const std::string& pointer, RuleTestCase& t) {
    const bool inline_profile = c.contains("profile");
    if (inline_profile == c.contains("profile_file")) {
      Error(pointer, "a test case needs exactly one of \"profile\" and \"profile_file\"");
    } else if (inline_profile) {
      ReadInlineProfile(c["profile"], AppendPointer(pointer, "profile"), t);
    } else {
      ReadProfileFile(c["profile_file"], AppendPointer(pointer, "profile_file"), t);
    }
  }

  void ReadInlineProfile(const json& v, const std::string& p, RuleTestCase& t) {
    JsonDocument sub = SubDocument(doc_, v, p);
    FactsLoad load = FactsFromDocument(rules_.dictionary, file_, sub);
    for (Diagnostic& d : load.diagnostics) {
      ok_ = false;
      diagnostics_.push_back(std::move(d));
    }
    t.facts = std::move(load.facts);
  }

  void ReadProfileFile(const json& v, const std::string& p, RuleTestCase& t) {
    if (!v.is_string()) return Error(p, "\"profile_file\" must be a path");
    const std::string& name = file_.name();
    const auto slash = name.rfind('/');
    const std::string path =
        (slash == std::string::npos ? "" : name.substr(0, slash + 1)) + v.get<std::string>();
    FileRead read = ReadFile(path, 1024 * 1024);
    if (!read.ok)
      return Error(p, fmt::format("cannot read profile {}: {} (profile files resolve next to the "
                                  "test file; the embedded rule set has none, so run with --rules)",
                                  EscapeForDisplay(path), read.error));
    SourceFile profile(path, std::move(read.text));
    FactsLoad load = FactsFromJson(rules_.dictionary, profile);
    for (Diagnostic& d : load.diagnostics) diagnostics_.push_back(std::move(d));
    if (!load.ok) return Error(p, "the profile file is not valid");
    t.facts = std::move(load.facts);
  }

  // Where the expectation at `p` is written, for the failure that points at it.
  void Mark(RuleTestCase& t, const char* section, const std::string& key, const std::string& p) {
    t.where[std::string(section) + "/" + key] = file_.ToLineCol(doc_.OffsetOf(p));
  }

  void ReadExpect(const json& c, const std::string& pointer, RuleTestCase& t) {
    ReadMap(c, "expect", pointer, [&](const std::string& key, const json& v, const std::string& p) {
      if (!PathwayExists(key, p)) return;
      Mark(t, "expect", key, p);
      const bool known =
          v.is_string() && std::find(std::begin(kVerdictNames), std::end(kVerdictNames),
                                     v.get<std::string>()) != std::end(kVerdictNames);
      if (!known) {
        Error(p,
              fmt::format("expected verdict must be one of: {}", fmt::join(kVerdictNames, ", ")));
        return;
      }
      t.expect[key] = v.get<std::string>();
    });
  }

  // A map of pathway id → item ids of that pathway ("decisive", "whichever_way").
  void ReadItemIds(const json& c, const char* name, const std::string& pointer, RuleTestCase& t,
                   std::map<std::string, std::vector<std::string>>& into) {
    ReadMap(c, name, pointer, [&](const std::string& key, const json& v, const std::string& p) {
      if (!PathwayExists(key, p)) return;
      Mark(t, name, key, p);
      auto ids = Strings(v, p);
      for (std::size_t i = 0; i < ids.size(); ++i) {
        ItemExists(key, ids[i], AppendPointer(p, i));
      }
      into[key] = std::move(ids);
    });
  }

  void ReadExpectItems(const json& c, const std::string& pointer, RuleTestCase& t) {
    static const std::vector<std::string> kStatuses = {"met", "unmet", "unknown", "inactive"};
    ReadMap(c, "expect_items", pointer,
            [&](const std::string& key, const json& v, const std::string& p) {
              const std::size_t slash = key.find('/');
              if (slash == std::string::npos) {
                Error(p, "expect_items keys are \"pathway-id/item-id\"", true);
                return;
              }
              if (!PathwayExists(key.substr(0, slash), p)) return;
              ItemExists(key.substr(0, slash), key.substr(slash + 1), p);
              Mark(t, "expect_items", key, p);
              if (!v.is_string() || std::find(kStatuses.begin(), kStatuses.end(),
                                              v.get<std::string>()) == kStatuses.end()) {
                Error(p, "expected item status must be met, unmet, unknown or inactive");
                return;
              }
              t.expect_items[key] = v.get<std::string>();
            });
  }

  void ReadExpectMissing(const json& c, const std::string& pointer, RuleTestCase& t) {
    ReadMap(c, "expect_missing", pointer,
            [&](const std::string& key, const json& v, const std::string& p) {
              if (!PathwayExists(key, p)) return;
              Mark(t, "expect_missing", key, p);
              auto facts = Strings(v, p);
              for (std::size_t i = 0; i < facts.size(); ++i) {
                if (!rules_.dictionary.Find(facts[i]))
                  Error(AppendPointer(p, i), fmt::format("no fact \"{}\" in the dictionary",
                                                         EscapeForDisplay(facts[i])));
              }
              t.expect_missing[key] = std::move(facts);
            });
  }

  template <typename Each>
  void ReadMap(const json& c, const char* key, const std::string& pointer, Each each) {
    if (!c.contains(key)) return;
    const std::string p = AppendPointer(pointer, key);
    if (!c[key].is_object()) return Error(p, fmt::format("\"{}\" must be an object", key));
    for (auto it = c[key].begin(); it != c[key].end(); ++it)
      each(it.key(), it.value(), AppendPointer(p, it.key()));
  }

  std::vector<std::string> Strings(const json& v, const std::string& p) {
    std::vector<std::string> out;
    if (!v.is_array()) {
      Error(p, "expected an array of strings");
      return out;
    }
    for (const json& s : v) {
      if (s.is_string()) {
        out.push_back(s.get<std::string>());
      } else {
        Error(p, "expected an array of strings");
      }
    }
    return out;
  }

  bool PathwayExists(const std::string& id, const std::string& p) {
    if (rules_.FindPathway(id)) return true;
    Error(p, fmt::format("no pathway \"{}\" in the rule set", EscapeForDisplay(id)), true);
    return false;
  }

  void ItemExists(const std::string& pathway, const std::string& item, const std::string& p) {
    const Pathway& pw = rules_.pathways[*rules_.FindPathway(pathway)];
    const bool found =
        std::any_of(pw.items.begin(), pw.items.end(), [&](const Item& i) { return i.id == item; });
    if (!found)
      Error(p, fmt::format("pathway \"{}\" has no item \"{}\"", pathway, EscapeForDisplay(item)));
  }

  const RuleSet& rules_;
  const SourceFile& file_;
  const JsonDocument& doc_;
  std::vector<Diagnostic>& diagnostics_;
  bool ok_ = true;  // no problem in the case being read
};

// A case left out, with its name when it has one and the diagnostics from `first` on.
MalformedRuleTest Malformed(const SourceFile& file, const JsonDocument& doc, const json& c,
                            const std::string& pointer, const std::vector<Diagnostic>& diagnostics,
                            std::size_t first) {
  MalformedRuleTest m;
  m.test.file = file.name();
  m.test.offset = doc.OffsetOf(pointer);
  m.test.position = file.ToLineCol(m.test.offset);
  if (c.is_object() && c.contains("name") && c["name"].is_string())
    m.test.name = c["name"].get<std::string>();
  m.problems.assign(diagnostics.begin() + static_cast<std::ptrdiff_t>(first), diagnostics.end());
  Locate(m.problems, file);
  return m;
}

// The cases of one file, each name used once; a malformed case is kept apart.
void ReadCases(const RuleSet& rules, const SourceFile& file, const JsonDocument& doc,
               const json& tests, RuleTestLoad& out) {
  CaseReader reader(rules, file, doc, out.diagnostics);
  std::set<std::string> names;
  for (std::size_t i = 0; i < tests.size(); ++i) {
    const std::string pointer = AppendPointer("/tests", i);
    const std::size_t first = out.diagnostics.size();
    auto t = reader.Read(tests[i], pointer);
    if (t && !names.insert(t->name).second) {
      out.diagnostics.push_back(
          Diagnostic{Severity::kError, "E060",
                     fmt::format("test name \"{}\" is used twice in this file", t->name),
                     file.name(), doc.OffsetOf(pointer)});
      t.reset();
    }
    if (t) {
      out.cases.push_back(std::move(*t));
    } else {
      out.malformed.push_back(Malformed(file, doc, tests[i], pointer, out.diagnostics, first));
    }
  }
}

}  // namespace

LineCol RuleTestCase::Where(const std::string& section, const std::string& key) const {
  auto it = where.find(section + "/" + key);
  return it == where.end() ? position : it->second;
}

RuleTestLoad RuleTestsFromFiles(const RuleSet& rules) {
  RuleTestLoad out;
  for (const SourceFile& file : rules.files) {
    std::vector<Diagnostic> ignored;  // the loader already reported syntax problems
    JsonDocument doc = ParseJson(file, ignored);
    if (!doc.ok || !doc.value.is_object() || !doc.value.contains("tests")) continue;
    const json& tests = doc.value["tests"];
    if (!tests.is_array()) {
      const std::size_t first = out.diagnostics.size();
      out.diagnostics.push_back(Diagnostic{Severity::kError, "E060",
                                           "\"tests\" must be an array of test cases", file.name(),
                                           doc.OffsetOf("/tests")});
      out.malformed.push_back(Malformed(file, doc, tests, "/tests", out.diagnostics, first));
    } else {
      ReadCases(rules, file, doc, tests, out);
    }
    Locate(out.diagnostics, file);
  }
  return out;
}

}  // namespace imgvisa

#include "imgvisa/profile/facts_from_json.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "imgvisa/base/country.h"
#include "imgvisa/base/suggest.h"
#include "imgvisa/rules/rule_set_from_json.h"

namespace imgvisa {
namespace {

using json = nlohmann::ordered_json;

struct Problem {
  std::string code;
  std::string message;
  std::string pointer;
  bool at_key = false;
};

// The problems found so far: the first `max` (0: all) are kept, the rest only counted, so that a
// profile of many thousands of bad keys costs neither the memory of their messages nor the time
// of their suggestions.
class Problems {
 public:
  explicit Problems(std::size_t max) : max_(max) {}

  void Add(Problem problem) {
    if (Full()) {
      ++omitted_;
    } else {
      kept_.push_back(std::move(problem));
    }
  }
  /// True when the next problem is only counted: skip the work of wording it, and call Skip.
  bool Full() const { return max_ != 0 && kept_.size() >= max_; }
  void Skip() { ++omitted_; }

  std::vector<Problem>& kept() { return kept_; }
  std::size_t omitted() const { return omitted_; }
  bool empty() const { return kept_.empty() && omitted_ == 0; }

 private:
  std::size_t max_;
  std::vector<Problem> kept_;
  std::size_t omitted_ = 0;
};

std::string JsonKind(const json& v) {
  if (v.is_number_integer()) return "an integer";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "true/false";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "null";
}

class ProfileReader {
 public:
  ProfileReader(const FactDictionary& dictionary, Problems& problems)
      : dictionary_(dictionary), problems_(problems) {}

  // Converts `v` to the scalar type `type`; on failure records a problem and returns absent.
  Value Scalar(const json& v, ValueType type, const FactDecl& decl, const std::string& pointer) {
    const std::string& path = decl.path;
    switch (type) {
      case ValueType::kBool:
        if (v.is_boolean()) return Value::Bool(v.get<bool>());
        return Wrong(path, "true or false", v, pointer);
      case ValueType::kInteger: {
        if (v.is_number_unsigned() &&
            v.get<std::uint64_t>() >
                static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
          problems_.Add({"E043",
                         fmt::format("{} is out of range (a whole number up to 2^63-1)", path),
                         pointer});
          return {};
        }
        if (!v.is_number_integer()) {
          if (v.is_number_float()) {
            problems_.Add({"E041", fmt::format("{} must be a whole number, not {}", path, v.dump()),
                           pointer});
            return {};
          }
          return Wrong(path, "a whole number", v, pointer);
        }
        const std::int64_t i = v.get<std::int64_t>();
        if (!InBounds(static_cast<double>(i), decl, pointer, &i)) return {};
        return Value::Integer(i);
      }
      case ValueType::kNumber: {
        if (!v.is_number()) return Wrong(path, "a number", v, pointer);
        const double d = v.get<double>();
        if (!InBounds(d, decl, pointer)) return {};
        return Value::Number(d);
      }
      case ValueType::kString:
        if (v.is_string()) return Value::String(v.get<std::string>());
        return Wrong(path, "a string", v, pointer);
      case ValueType::kEnum: {
        if (!v.is_string())
          return Wrong(path, fmt::format("one of {}", fmt::join(decl.values, ", ")), v, pointer);
        const std::string& s = v.get_ref<const std::string&>();
        const int index = decl.EnumIndex(s);
        if (index >= 0) return Value::Enum(index);
        if (problems_.Full()) {
          problems_.Skip();
          return {};
        }
        std::string message = fmt::format("{} must be one of {}; got \"{}\"", path,
                                          fmt::join(decl.values, ", "), EscapeForDisplay(s));
        if (auto suggestion = Suggest(s, decl.values))
          message += fmt::format("; did you mean \"{}\"?", EscapeForDisplay(*suggestion));
        problems_.Add({"E042", std::move(message), pointer});
        return {};
      }
      case ValueType::kDate: {
        if (v.is_string()) {
          if (auto d = ParseIsoDate(v.get_ref<const std::string&>())) return Value::OfDate(*d);
          problems_.Add({"E044",
                         fmt::format("{} must be a date YYYY-MM-DD, not \"{}\"", path,
                                     EscapeForDisplay(v.get_ref<const std::string&>())),
                         pointer});
          return {};
        }
        return Wrong(path, "a date string YYYY-MM-DD", v, pointer);
      }
      case ValueType::kCountry: {
        if (!v.is_string()) return Wrong(path, "a country code such as \"IN\"", v, pointer);
        const std::string& s = v.get_ref<const std::string&>();
        // Exactly a code of the table: "ng" or "Nigeria" read as written would match no rule's
        // "NG" and quietly change verdicts, and a guess at what they mean is no better.
        if (FindCountry(s) != nullptr) return Value::String(s);
        problems_.Add({"E045", fmt::format("{}: {}", path, CountryCodeProblem(s)), pointer});
        return {};
      }
      case ValueType::kList:
        break;
    }
    return {};
  }

  Value Fact(const json& v, const FactDecl& decl, const std::string& pointer) {
    if (decl.type != ValueType::kList) return Scalar(v, decl.type, decl, pointer);
    if (!v.is_array()) return Wrong(decl.path, "an array", v, pointer);
    if (decl.item_type) {
      auto list = std::make_shared<std::vector<Value>>();
      for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string ip = AppendPointer(pointer, i);
        if (v[i].is_null()) {
          problems_.Add(
              {"E041", fmt::format("{} holds null; leave unknown items out", decl.path), ip});
          continue;
        }
        Value item = Scalar(v[i], *decl.item_type, decl, ip);
        if (item.known()) list->push_back(std::move(item));
      }
      Value out;
      out.kind = Value::Kind::kList;
      out.list = std::move(list);
      return out;
    }
    auto records = std::make_shared<std::vector<Value::Record>>();
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string rp = AppendPointer(pointer, i);
      if (!v[i].is_object()) {
        Wrong(decl.path + "[]", "an object", v[i], rp);
        continue;
      }
      Value::Record record(decl.fields.size());
      for (auto it = v[i].begin(); it != v[i].end(); ++it) {
        const std::string fp = AppendPointer(rp, it.key());
        auto field = dictionary_.FindField(dictionary_.Find(decl.path).value(), it.key());
        if (!field && problems_.Full()) {
          problems_.Skip();
          continue;
        }
        if (!field) {
          std::vector<std::string> names;
          for (FactId f : decl.fields) names.push_back(dictionary_.at(f).field_name);
          std::string message =
              fmt::format("unknown field \"{}\" in {}", EscapeForDisplay(it.key()), decl.path);
          if (auto s = Suggest(it.key(), names))
            message += fmt::format("; did you mean \"{}\"?", EscapeForDisplay(*s));
          problems_.Add({"E040", std::move(message), fp, true});
          continue;
        }
        if (it.value().is_null()) continue;
        const FactDecl& fd = dictionary_.at(*field);
        record[fd.field_index] = Scalar(it.value(), fd.type, fd, fp);
      }
      records->push_back(std::move(record));
    }
    Value out;
    out.kind = Value::Kind::kRecords;
    out.records = std::move(records);
    return out;
  }

  void Walk(const json& object, const std::string& prefix, const std::string& pointer,
            Facts& facts) {
    for (auto it = object.begin(); it != object.end(); ++it) {
      const std::string& key = it.key();
      const std::string mp = AppendPointer(pointer, key);
      if (prefix.empty() && (key == "$schema" || key == "$comment" || key == "$id")) {
        if (key == "$id") {
          if (it.value().is_string()) {
            facts.id = it.value().get<std::string>();
          } else {
            problems_.Add({"E041", "$id must be a string", mp});
          }
        }
        continue;
      }
      const std::string path = prefix.empty() ? key : prefix + "." + key;
      if (prefix.empty() && IsAlternatives(key)) {
        if (!it.value().is_null()) ReadAlternatives(object, it.value(), mp, facts);
        continue;
      }
      if (auto id = dictionary_.Find(path); id && !dictionary_.at(*id).list) {
        if (it.value().is_null()) continue;
        facts.values[*id] = Fact(it.value(), dictionary_.at(*id), mp);
        continue;
      }
      if (dictionary_.ChildrenOf(path) != nullptr) {
        if (it.value().is_null()) continue;
        if (!it.value().is_object()) {
          problems_.Add(
              {"E041",
               fmt::format("{} must be an object holding {}, not {}", path,
                           fmt::join(*dictionary_.ChildrenOf(path), ", "), JsonKind(it.value())),
               mp});
          continue;
        }
        Walk(it.value(), path, mp, facts);
        continue;
      }
      if (problems_.Full()) {
        problems_.Skip();
        continue;
      }
      std::string message = fmt::format("unknown fact \"{}\"", EscapeForDisplay(path));
      const std::vector<std::string>* siblings = dictionary_.ChildrenOf(prefix);
      std::optional<std::string> suggestion;
      if (siblings != nullptr) suggestion = Suggest(key, *siblings);
      if (suggestion) {
        message += fmt::format(
            "; did you mean \"{}\"?",
            EscapeForDisplay(prefix.empty() ? *suggestion : prefix + "." + *suggestion));
      } else {
        if (all_paths_.empty()) {  // made once per profile, for its first key that needs it
          for (const FactDecl& d : dictionary_.facts()) {
            if (!d.list) all_paths_.push_back(d.path);
          }
        }
        if (auto s = Suggest(path, all_paths_)) {
          message += fmt::format("; did you mean \"{}\"?", EscapeForDisplay(*s));
        }
      }
      problems_.Add({"E040", std::move(message), mp, true});
    }
  }

 private:
  bool IsAlternatives(const std::string& key) const {
    return dictionary_.alternatives() && dictionary_.alternatives()->key == key;
  }

  // The list of alternatives ("offers"): each element an object of the group's facts, read as
  // the group itself would be.
  void ReadAlternatives(const json& profile, const json& list, const std::string& pointer,
                        Facts& facts) {
    const imgvisa::Alternatives& a = *dictionary_.alternatives();
    if (profile.contains(a.prefix) && !profile[a.prefix].is_null()) {
      problems_.Add({"E041",
                     fmt::format("give one {} as \"{}\" or several as \"{}\", not both", a.prefix,
                                 a.prefix, a.key),
                     pointer, true});
      return;
    }
    if (!list.is_array()) {
      problems_.Add({"E041",
                     fmt::format("{} must be an array of objects, not {}", a.key, JsonKind(list)),
                     pointer});
      return;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string ep = AppendPointer(pointer, i);
      if (!list[i].is_object()) {
        Wrong(a.key + "[]", "an object", list[i], ep);
        continue;
      }
      Facts one;
      one.values.resize(facts.values.size());
      Walk(list[i], a.prefix, ep, one);
      auto& values = facts.alternatives.emplace_back();
      for (FactId f : a.facts) {
        if (one.values[f].known()) values.emplace_back(f, std::move(one.values[f]));
      }
    }
  }

  Value Wrong(const std::string& path, std::string_view expected, const json& got,
              const std::string& pointer) {
    problems_.Add(
        {"E041", fmt::format("{} must be {}, not {}", path, expected, JsonKind(got)), pointer});
    return {};
  }

  // `exact` is the integer as written, which a large one printed as a double would not be.
  bool InBounds(double d, const FactDecl& decl, const std::string& pointer,
                const std::int64_t* exact = nullptr) {
    if ((decl.minimum && d < *decl.minimum) || (decl.maximum && d > *decl.maximum)) {
      const std::string shown = exact != nullptr ? std::to_string(*exact) : fmt::format("{}", d);
      problems_.Add({"E043",
                     fmt::format("{} is {}, outside {} to {}", decl.path, shown,
                                 decl.minimum ? fmt::format("{}", *decl.minimum) : "-inf",
                                 decl.maximum ? fmt::format("{}", *decl.maximum) : "+inf"),
                     pointer});
      return false;
    }
    return true;
  }

  const FactDictionary& dictionary_;
  Problems& problems_;
  std::vector<std::string> all_paths_;  // every fact's path, for suggestions
};

}  // namespace

FactsLoad FactsFromDocument(const FactDictionary& dictionary, const SourceFile& profile,
                            const JsonDocument& doc, const JsonLimits& limits,
                            std::size_t max_errors) {
  FactsLoad out;
  out.facts.values.resize(dictionary.facts().size());
  Problems problems(max_errors);
  if (!doc.value.is_object()) {
    problems.Add(
        {"E041", fmt::format("a profile must be a JSON object, not {}", JsonKind(doc.value)), ""});
  } else {
    ProfileReader reader(dictionary, problems);
    reader.Walk(doc.value, "", "", out.facts);
  }
  if (problems.empty()) {
    out.ok = true;
    return out;
  }
  // Positions are recovered only now that something must be reported.
  const JsonDocument* located = &doc;
  JsonDocument reparsed;
  if (doc.value_offsets.empty()) {
    std::vector<Diagnostic> ignored;
    reparsed = ParseJson(profile, ignored, true, limits);
    located = &reparsed;
  }
  out.omitted_errors = problems.omitted();
  for (Problem& p : problems.kept()) {
    const std::size_t offset =
        p.at_key ? located->KeyOffsetOf(p.pointer) : located->OffsetOf(p.pointer);
    out.diagnostics.push_back(Diagnostic{Severity::kError, std::move(p.code), std::move(p.message),
                                         profile.name(), offset});
  }
  Locate(out.diagnostics, profile);
  return out;
}

FactsLoad FactsFromJson(const FactDictionary& dictionary, const SourceFile& profile,
                        const JsonLimits& limits, std::size_t max_errors) {
  FactsLoad out;
  JsonDocument doc = ParseJson(profile, out.diagnostics, false, limits);
  if (!doc.ok) {
    Locate(out.diagnostics, profile);
    return out;
  }
  return FactsFromDocument(dictionary, profile, doc, limits, max_errors);
}

}  // namespace imgvisa

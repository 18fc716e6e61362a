#include "imgvisa/profile/answer.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "imgvisa/base/country.h"
#include "imgvisa/base/diagnostic.h"
#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/profile/profile_draft.h"

namespace imgvisa {
namespace {

using json = nlohmann::ordered_json;

std::string_view Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// Lower case, with spaces and hyphens as underscores: "Not taken" and "not-taken" are not_taken.
std::string Normalize(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '-') {
      out += '_';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Answer Invalid(std::string hint) {
  return Answer{Answer::Kind::kInvalid, nullptr, std::move(hint)};
}

std::optional<Answer> Keyword(std::string_view text) {
  const std::string word = Lower(Trim(text));
  if (word.empty() || word == "?" || word == "don't know" || word == "dont know" ||
      word == "don\xe2\x80\x99t know" || word == "idk" || word == "unknown") {
    return Answer{Answer::Kind::kDontKnow, nullptr, ""};
  }
  if (word == "q" || word == "quit") return Answer{Answer::Kind::kQuit, nullptr, ""};
  if (word == "help") return Answer{Answer::Kind::kHelp, nullptr, ""};
  return std::nullopt;
}

std::optional<bool> Bool(std::string_view text) {
  const std::string word = Lower(Trim(text));
  if (word == "y" || word == "yes" || word == "true") return true;
  if (word == "n" || word == "no" || word == "false") return false;
  return std::nullopt;
}

std::string Bounds(const FactDecl& decl) {
  if (decl.minimum && decl.maximum) return fmt::format(" {}-{}", *decl.minimum, *decl.maximum);
  if (decl.minimum) return fmt::format(" from {}", *decl.minimum);
  if (decl.maximum) return fmt::format(" up to {}", *decl.maximum);
  return "";
}

// A list of enums that has "none" among its values takes "none" as that value, not as the
// empty list.
bool NoneIsValue(const FactDecl& decl) {
  return *decl.item_type == ValueType::kEnum && decl.EnumIndex("none") >= 0;
}

std::optional<json> Integer(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  std::int64_t i = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), i);
  if (ec == std::errc() && end == digits.data() + digits.size() && !digits.empty()) return json(i);
  return std::nullopt;
}

std::optional<json> Number(std::string_view text) {
  const std::string copy(text);
  char* end = nullptr;
  const double d = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() || !std::isfinite(d)) return std::nullopt;
  if (d == std::floor(d) && std::fabs(d) < 1e15) return json(static_cast<std::int64_t>(d));
  return json(d);
}

// A menu number or one of the values.
std::optional<json> Enum(std::string_view text, const FactDecl& decl, std::string& why) {
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec == std::errc() && end == text.data() + text.size()) {
    if (n >= 1 && n <= decl.values.size()) return json(decl.values[n - 1]);
    why = fmt::format("choose a number from 1 to {}", decl.values.size());
    return std::nullopt;
  }
  const std::string wanted = Normalize(text);
  for (const std::string& v : decl.values) {
    if (Normalize(v) == wanted) return json(v);
  }
  why = fmt::format("choose a number from 1 to {}, or one of: {}", decl.values.size(),
                    fmt::join(decl.values, ", "));
  return std::nullopt;
}

// A country code, or the one country a code in another case, an alpha-3 code or a name names
// ("read as IN (India)" added to `read_as`). A name several countries answer to, or a
// misspelling, is refused with what it might mean: a guess would put a country in the profile
// that the person did not choose.
std::optional<json> CountryAnswer(std::string_view text, std::string& why, std::string& read_as) {
  if (FindCountry(text) != nullptr) return json(std::string(text));
  const std::vector<const Country*> named = CountriesNamed(text);
  if (named.size() == 1) {
    if (!read_as.empty()) read_as += ", ";
    read_as += fmt::format("{} ({})", named[0]->code, named[0]->DisplayName());
    return json(std::string(named[0]->code));
  }
  const std::string suggestion = CountryDidYouMean(text);
  why = suggestion.empty() ? "not a country code (two capital letters, e.g. IN)"
                           : "not a country code; " + suggestion;
  return std::nullopt;
}

// One scalar typed by a person, as JSON of the fact's (or list item's) type, before the
// profile loader checks it. Returns nullopt with `why` set when the text is not of the type;
// `read_as` gathers how text was read when the value is not the text itself.
std::optional<json> Scalar(std::string_view text, ValueType type, const FactDecl& decl,
                           std::string& why, std::string& read_as) {
  std::optional<json> value;
  switch (type) {
    case ValueType::kBool:
      if (auto b = Bool(text)) return json(*b);
      why = "answer y or n";
      return std::nullopt;
    case ValueType::kInteger:
      value = Integer(text);
      if (!value) why = fmt::format("answer a whole number{}", Bounds(decl));
      return value;
    case ValueType::kNumber:
      value = Number(text);
      if (!value) why = fmt::format("answer a number{}", Bounds(decl));
      return value;
    case ValueType::kEnum:
      return Enum(text, decl, why);
    case ValueType::kDate:
    case ValueType::kString:
      return json(std::string(text));
    case ValueType::kCountry:
      return CountryAnswer(text, why, read_as);
    case ValueType::kList:
      break;
  }
  why = "this question takes a list";
  return std::nullopt;
}

std::string ReadAs(const std::string& readings) {
  return readings.empty() ? "" : "read as " + readings;
}

// Comma-separated items of a list of scalars; "none" is the empty list.
Answer List(std::string_view text, const FactDecl& decl) {
  json value = json::array();
  if (Lower(text) == "none" && !NoneIsValue(decl)) return Answer{Answer::Kind::kValue, value, ""};
  std::string why, read_as;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view item = Trim(text.substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) continue;
    auto v = Scalar(item, *decl.item_type, decl, why, read_as);
    if (!v) return Invalid(fmt::format("\"{}\": {}", EscapeForDisplay(item), why));
    value.push_back(std::move(*v));
  }
  return Answer{Answer::Kind::kValue, std::move(value), "", ReadAs(read_as)};
}

// The smallest profile that holds `value` for `decl`, so the profile loader can judge it.
json ProbeProfile(const FactDictionary& dictionary, const FactDecl& decl, const json& value) {
  json profile = json::object();
  if (decl.list) {
    json record = json::object();
    record[decl.field_name] = value;
    SetProfileValue(profile, dictionary.at(*decl.list).path, json::array({record}));
  } else {
    SetProfileValue(profile, decl.path, value);
  }
  return profile;
}

// The profile loader is the judge: an answer fits when a profile holding it loads.
Answer Judged(const FactDictionary& dictionary, const FactDecl& decl, json value,
              std::string read_as) {
  std::string probe;
  try {
    probe = ProbeProfile(dictionary, decl, value).dump();
  } catch (const json::type_error&) {
    return Invalid("the answer is not valid UTF-8 text");
  }
  FactsLoad load = FactsFromJson(dictionary, SourceFile("answer", probe));
  if (!load.ok) {
    std::string message = load.diagnostics.empty() ? "does not fit" : load.diagnostics[0].message;
    if (decl.type == ValueType::kDate ||
        (decl.type == ValueType::kList && decl.item_type == ValueType::kDate)) {
      message += " (a real calendar date, e.g. 2024-06-30)";
    }
    return Invalid(std::move(message));
  }
  return Answer{Answer::Kind::kValue, std::move(value), "", std::move(read_as)};
}

}  // namespace

Answer ParseAnswer(const FactDictionary& dictionary, FactId fact, std::string_view raw) {
  if (auto keyword = Keyword(raw)) return *keyword;
  const std::string_view text = Trim(raw);
  const FactDecl& decl = dictionary.at(fact);
  if (decl.type == ValueType::kList) {
    if (!decl.item_type) return Invalid("a list of records is asked one record at a time");
    Answer list = List(text, decl);
    if (list.kind != Answer::Kind::kValue) return list;
    return Judged(dictionary, decl, std::move(list.value), std::move(list.read_as));
  }
  std::string why, read_as;
  auto value = Scalar(text, decl.type, decl, why, read_as);
  if (!value) return Invalid(why);
  return Judged(dictionary, decl, std::move(*value), ReadAs(read_as));
}

Answer ParseYesNo(std::string_view text) {
  if (auto keyword = Keyword(text)) return *keyword;
  if (auto b = Bool(text)) return Answer{Answer::Kind::kValue, json(*b), ""};
  return Invalid("answer y or n");
}

std::string TypeHint(const FactDecl& decl) {
  auto scalar = [&](ValueType type) -> std::string {
    switch (type) {
      case ValueType::kBool:
        return "y/n";
      case ValueType::kDate:
        return "YYYY-MM-DD";
      case ValueType::kEnum:
        return fmt::format("1-{}", decl.values.size());
      case ValueType::kInteger:
      case ValueType::kNumber: {
        std::string hint = type == ValueType::kInteger ? "whole number" : "number";
        hint += Bounds(decl);
        if (!decl.unit.empty()) hint += " " + decl.unit;
        return hint;
      }
      case ValueType::kString:
        return "text";
      case ValueType::kCountry:
        return "country code or name";
      case ValueType::kList:
        break;
    }
    return "";
  };
  if (decl.type != ValueType::kList) return scalar(decl.type);
  if (!decl.item_type) return "y/n";
  return fmt::format("{}, comma-separated{}", scalar(*decl.item_type),
                     NoneIsValue(decl) ? "" : ", or none");
}

}  // namespace imgvisa

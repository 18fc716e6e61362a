#include "rules/compiler/compiler.h"

#include <fmt/format.h>

#include <algorithm>

#include "imgvisa/base/suggest.h"

namespace imgvisa::compiler {

std::string WithSuggestion(std::string message, std::string_view word,
                           const std::vector<std::string>& candidates) {
  // Candidates are names from the rule files: escaped like any other echoed input.
  if (auto s = Suggest(word, candidates)) {
    message += fmt::format("; did you mean \"{}\"?", EscapeForDisplay(*s));
  }
  return message;
}

std::string JsonTypeName(const json& v) {
  if (v.is_number_integer()) return "integer";
  if (v.is_number()) return "number";
  return v.type_name();
}

bool ValidName(const std::string& s, bool dotted) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char previous = 0;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                    (dotted && c == '.' && previous != '.');
    if (!ok) return false;
    previous = c;
  }
  return true;
}

bool ValidId(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

CompileContext::CompileContext(std::vector<SourceFile> files, std::string_view root_prefix,
                               bool with_positions, std::vector<Diagnostic>& out)
    : diagnostics(out), root(root_prefix), positions(with_positions) {
  rules.files = std::move(files);
}

void CompileContext::Error(std::string code, std::string message, std::uint16_t file,
                           const std::string& pointer, bool at_key) {
  const JsonDocument& doc = docs[file];
  const std::size_t offset = at_key ? doc.KeyOffsetOf(pointer) : doc.OffsetOf(pointer);
  diagnostics.push_back(Diagnostic{Severity::kError, std::move(code), std::move(message),
                                   rules.files[file].name(), offset});
}

std::size_t CompileContext::OffsetOf(std::uint16_t file, const std::string& pointer) const {
  return docs[file].OffsetOf(pointer);
}

void CompileContext::CheckKeys(const json& object, std::initializer_list<const char*> allowed,
                               std::uint16_t file, const std::string& pointer,
                               std::string_view what) {
  std::vector<std::string> names(allowed.begin(), allowed.end());
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (std::find(names.begin(), names.end(), it.key()) != names.end()) continue;
    Error("E010",
          WithSuggestion(fmt::format("unknown key \"{}\" in {}", EscapeForDisplay(it.key()), what),
                         it.key(), names),
          file, AppendPointer(pointer, it.key()), true);
  }
}

const json* CompileContext::Member(const json& object, const char* key, json::value_t type,
                                   bool required, std::uint16_t file, const std::string& pointer,
                                   std::string_view what) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) Error("E012", fmt::format("{} needs \"{}\"", what, key), file, pointer);
    return nullptr;
  }
  const bool fits = type == json::value_t::number_integer ? it->is_number_integer()
                    : type == json::value_t::number_float ? it->is_number()
                                                          : it->type() == type;
  if (!fits) {
    const char* expected = type == json::value_t::string    ? "a string"
                           : type == json::value_t::object  ? "an object"
                           : type == json::value_t::array   ? "an array"
                           : type == json::value_t::boolean ? "true or false"
                                                            : "a number";
    Error("E011",
          fmt::format("\"{}\" in {} must be {}, not {}", key, what, expected, JsonTypeName(*it)),
          file, AppendPointer(pointer, key));
    return nullptr;
  }
  return &*it;
}

std::string CompileContext::StringMember(const json& object, const char* key, bool required,
                                         std::uint16_t file, const std::string& pointer,
                                         std::string_view what) {
  const json* v = Member(object, key, json::value_t::string, required, file, pointer, what);
  if (v != nullptr && required && v->get_ref<const std::string&>().empty()) {
    Error("E013", fmt::format("\"{}\" in {} must not be empty", key, what), file,
          AppendPointer(pointer, key));
  }
  return v ? v->get<std::string>() : std::string();
}

std::optional<Date> CompileContext::DateMember(const json& object, const char* key, bool required,
                                               std::uint16_t file, const std::string& pointer,
                                               std::string_view what) {
  const json* v = Member(object, key, json::value_t::string, required, file, pointer, what);
  if (v == nullptr) return std::nullopt;
  auto date = ParseIsoDate(v->get_ref<const std::string&>());
  if (!date) {
    Error("E013",
          fmt::format("\"{}\" in {} must be a date YYYY-MM-DD, not \"{}\"", key, what,
                      EscapeForDisplay(v->get_ref<const std::string&>())),
          file, AppendPointer(pointer, key));
  }
  return date;
}

std::optional<std::string> CompileContext::OperatorOf(
    const json& j, std::uint16_t file, const std::string& pointer,
    const std::vector<std::string>& ops, std::string_view what,
    std::initializer_list<const char*> companions) {
  std::optional<std::string> op;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (std::find(companions.begin(), companions.end(), it.key()) != companions.end()) continue;
    if (std::find(ops.begin(), ops.end(), it.key()) == ops.end()) {
      Error("E010",
            WithSuggestion(
                fmt::format("unknown {} operator \"{}\"", what, EscapeForDisplay(it.key())),
                it.key(), ops),
            file, AppendPointer(pointer, it.key()), true);
      return std::nullopt;
    }
    if (op) {
      Error("E013",
            fmt::format("a {} object holds one operator, found \"{}\" and \"{}\"", what, *op,
                        it.key()),
            file, AppendPointer(pointer, it.key()), true);
      return std::nullopt;
    }
    op = it.key();
  }
  if (!op) Error("E012", fmt::format("empty {}: it needs an operator", what), file, pointer);
  return op;
}

void CompileContext::UnknownFact(const std::string& path, std::uint16_t file,
                                 const std::string& pointer) {
  std::vector<std::string> paths;
  for (const FactDecl& d : rules.dictionary.facts()) {
    if (!d.list) paths.push_back(d.path);
  }
  Error("E021",
        WithSuggestion(fmt::format("fact \"{}\" is not declared in the fact dictionary",
                                   EscapeForDisplay(path)),
                       path, paths),
        file, pointer);
}

int CompileContext::AddCondition(CondNode node) {
  rules.conditions.push_back(std::move(node));
  return static_cast<int>(rules.conditions.size()) - 1;
}

int CompileContext::AddExpression(ExprNode node) {
  rules.expressions.push_back(std::move(node));
  return static_cast<int>(rules.expressions.size()) - 1;
}

}  // namespace imgvisa::compiler

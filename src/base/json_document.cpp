#include "imgvisa/base/json_document.h"

#include <fmt/format.h>

#include <cstring>
#include <iterator>
#include <limits>
#include <new>
#include <optional>
#include <unordered_map>
#include <utility>

namespace imgvisa {
namespace {

using json = nlohmann::ordered_json;

// An input iterator over the text that publishes how many bytes the lexer has consumed, so
// SAX callbacks can tell where the token they are handed ended.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* p, const char* base, std::size_t* consumed)
      : p_(p), base_(base), consumed_(consumed) {}
  reference operator*() const { return *p_; }
  CountingIterator& operator++() {
    ++p_;
    *consumed_ = static_cast<std::size_t>(p_ - base_);
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++*this;
    return old;
  }
  friend bool operator!=(const CountingIterator& a, const CountingIterator& b) {
    return a.p_ != b.p_;
  }

 private:
  const char* p_;
  const char* base_;
  std::size_t* consumed_;
};

// The keys of one object so far, for duplicate detection: most objects have a few keys, which a
// scan of a short list finds fastest; past that a hash table takes over, so that an object of
// many thousands of keys costs linear time rather than quadratic.
class SeenKeys {
 public:
  std::size_t size() const { return table_.empty() ? list_.size() : table_.size(); }

  // Where `key` was first seen, or nothing after recording it at `offset`.
  std::optional<std::size_t> Insert(const std::string& key, std::size_t offset) {
    if (table_.empty()) {
      for (const auto& [seen, first] : list_) {
        if (seen == key) return first;
      }
      if (list_.size() < kScanned) {
        list_.emplace_back(key, offset);
        return std::nullopt;
      }
      for (auto& [seen, first] : list_) table_.emplace(std::move(seen), first);
      list_.clear();
    }
    const auto [it, inserted] = table_.emplace(key, offset);
    if (inserted) return std::nullopt;
    return it->second;
  }

 private:
  static constexpr std::size_t kScanned = 16;
  std::vector<std::pair<std::string, std::size_t>> list_;
  std::unordered_map<std::string, std::size_t> table_;
};

struct Frame {
  json* container;
  std::string pointer;  // of the container itself
  std::string token;    // the pending key, or the index of the next array element
  std::size_t next_index = 0;
  SeenKeys keys;
};

class DocumentBuilder : public nlohmann::json_sax<json> {
 public:
  DocumentBuilder(const SourceFile& file, JsonDocument& doc, std::vector<Diagnostic>& diagnostics,
                  bool record_positions, const JsonLimits& limits)
      : file_(file),
        doc_(doc),
        diagnostics_(diagnostics),
        record_(record_positions),
        limits_(limits) {}

  std::size_t consumed = 0;
  bool failed = false;

  bool null() override { return Put(json(nullptr)); }
  bool boolean(bool v) override { return Put(json(v)); }
  bool number_integer(number_integer_t v) override { return Put(json(v)); }
  bool number_unsigned(number_unsigned_t v) override {
    // nlohmann keeps 2^63..2^64-1 as unsigned; get<std::int64_t>() of those wraps to negative.
    if (v > static_cast<number_unsigned_t>(std::numeric_limits<std::int64_t>::max())) {
      return IntegerOutOfRange(std::to_string(v));
    }
    return Put(json(v));
  }
  bool number_float(number_float_t v, const string_t& text) override {
    // An integer literal beyond the unsigned range silently becomes a double in nlohmann.
    if (text.find_first_of(".eE") == string_t::npos) return IntegerOutOfRange(text);
    return Put(json(v));
  }
  bool string(string_t& v) override {
    if (v.size() > limits_.max_string_bytes) {
      return Fail("E003",
                  fmt::format("string of {} bytes exceeds the limit of {} bytes", v.size(),
                              limits_.max_string_bytes),
                  TokenStart());
    }
    return Put(json(std::move(v)));
  }
  bool binary(binary_t&) override {
    return Fail("E001", "binary values are not JSON", TokenStart());
  }

  bool start_object(std::size_t) override { return Open(json::object()); }
  bool start_array(std::size_t) override { return Open(json::array()); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool key(string_t& k) override {
    const std::size_t at = TokenStart();
    prev_end_ = consumed;
    Frame& frame = stack_.back();
    if (frame.keys.size() >= limits_.max_object_keys) {
      return Fail(
          "E003",
          fmt::format("object with more keys than the limit of {}", limits_.max_object_keys), at);
    }
    if (const std::optional<std::size_t> seen = frame.keys.Insert(k, at)) {
      const LineCol first = file_.ToLineCol(*seen);
      return Fail("E002",
                  fmt::format("duplicate key \"{}\" (first at line {}, column {}); JSON objects "
                              "here must not repeat a key",
                              EscapeForDisplay(k), first.line, first.column),
                  at);
    }
    frame.token = k;
    if (record_) doc_.key_offsets[AppendPointer(frame.pointer, k)] = at;
    return true;
  }

  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& ex) override {
    std::string what = ex.what();
    // nlohmann's text starts with "[json.exception.parse_error.101] parse error at line 1,
    // column 2: "; keep only the explanation, and escape it because it echoes the input.
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    if (auto pos = what.find(": "); what.rfind("parse error", 0) == 0 && pos != std::string::npos) {
      what = what.substr(pos + 2);
    }
    // nlohmann's position counts the characters read, the offending one included; its
    // `last_token` spans back to the previous token, so it cannot locate the error.
    (void)last_token;
    std::size_t at = std::min(position == 0 ? 0 : position - 1, file_.text().size());
    // A number that does not fit is reported at its first digit.
    const std::string& t = file_.text();
    auto in_number = [&](std::size_t i) {
      return i < t.size() && ((t[i] >= '0' && t[i] <= '9') || t[i] == '.' || t[i] == 'e' ||
                              t[i] == 'E' || t[i] == '+' || t[i] == '-');
    };
    if (in_number(at)) {
      while (at > 0 && in_number(at - 1)) --at;
    }
    return Fail("E001", "invalid JSON: " + EscapeForDisplay(what, 160), at);
  }

 private:
  std::size_t TokenStart() const {
    std::size_t i = prev_end_;
    const std::string& t = file_.text();
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r' ||
                            t[i] == ',' || t[i] == ':')) {
      ++i;
    }
    return i;
  }

  // The pointer of the value about to be placed in the current container.
  std::string ChildPointer() const {
    if (stack_.empty()) return "";
    const Frame& f = stack_.back();
    return f.container->is_array() ? AppendPointer(f.pointer, f.next_index)
                                   : AppendPointer(f.pointer, f.token);
  }

  json* Place(json&& v) {
    if (stack_.empty()) {
      doc_.value = std::move(v);
      return &doc_.value;
    }
    Frame& f = stack_.back();
    if (f.container->is_array()) {
      if (f.next_index >= limits_.max_array_items) return nullptr;
      ++f.next_index;
      f.container->push_back(std::move(v));
      return &f.container->back();
    }
    // The key is new (key() refused a repeated one), so it is appended without the search that
    // ordered_json's operator[] makes through every key before it.
    auto& members =
        static_cast<json::object_t::Container&>(f.container->get_ref<json::object_t&>());
    members.emplace_back(std::move(f.token), std::move(v));
    return &members.back().second;
  }

  bool Put(json&& v) {
    const std::size_t at = TokenStart();
    if (record_) doc_.value_offsets[ChildPointer()] = at;
    prev_end_ = consumed;
    if (Place(std::move(v)) == nullptr) return ArrayTooLong(at);
    return true;
  }

  bool Open(json&& v) {
    const std::size_t at = TokenStart();
    if (stack_.size() >= limits_.max_depth) {
      return Fail("E003",
                  fmt::format("nesting deeper than the limit of {} levels", limits_.max_depth), at);
    }
    std::string pointer = record_ ? ChildPointer() : std::string();
    if (record_) doc_.value_offsets[pointer] = at;
    prev_end_ = consumed;
    json* placed = Place(std::move(v));
    if (placed == nullptr) return ArrayTooLong(at);
    stack_.push_back(Frame{placed, std::move(pointer), {}, 0, {}});
    return true;
  }

  bool Close() {
    prev_end_ = consumed;
    stack_.pop_back();
    return true;
  }

  bool IntegerOutOfRange(const std::string& text) {
    return Fail(
        "E003",
        fmt::format("integer {} is outside the range -2^63 to 2^63-1", EscapeForDisplay(text, 40)),
        TokenStart());
  }

  bool ArrayTooLong(std::size_t at) {
    return Fail("E003",
                fmt::format("array longer than the limit of {} items", limits_.max_array_items),
                at);
  }

  bool Fail(std::string code, std::string message, std::size_t offset) {
    failed = true;
    diagnostics_.push_back(
        Diagnostic{Severity::kError, std::move(code), std::move(message), file_.name(), offset});
    return false;
  }

  const SourceFile& file_;
  JsonDocument& doc_;
  std::vector<Diagnostic>& diagnostics_;
  bool record_;
  const JsonLimits& limits_;
  std::vector<Frame> stack_;
  std::size_t prev_end_ = 0;
};

}  // namespace

std::string AppendPointer(const std::string& pointer, const std::string& token) {
  std::string out = pointer;
  out += '/';
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string AppendPointer(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

std::size_t JsonDocument::OffsetOf(std::string pointer) const {
  while (true) {
    if (auto it = value_offsets.find(pointer); it != value_offsets.end()) return it->second;
    if (pointer.empty()) return 0;
    pointer.resize(pointer.rfind('/'));
  }
}

std::size_t JsonDocument::KeyOffsetOf(const std::string& pointer) const {
  if (auto it = key_offsets.find(pointer); it != key_offsets.end()) return it->second;
  return OffsetOf(pointer);
}

JsonDocument ParseJson(const SourceFile& file, std::vector<Diagnostic>& diagnostics,
                       bool record_positions, const JsonLimits& limits) {
  JsonDocument doc;
  const std::string& text = file.text();
  // nlohmann treats a NUL byte as the end of input and would silently ignore what follows.
  if (const void* nul = std::memchr(text.data(), '\0', text.size()); nul != nullptr) {
    diagnostics.push_back(
        Diagnostic{Severity::kError, "E001", "invalid JSON: NUL byte in the input", file.name(),
                   static_cast<std::size_t>(static_cast<const char*>(nul) - text.data())});
    return doc;
  }
  bool blank = true;
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      blank = false;
      break;
    }
  }
  if (blank) {
    diagnostics.push_back(
        Diagnostic{Severity::kError, "E001", "invalid JSON: the input is empty", file.name(), 0});
    return doc;
  }
  DocumentBuilder builder(file, doc, diagnostics, record_positions, limits);
  const char* begin = text.data();
  const char* end = begin + text.size();
  bool parsed = false;
  try {
    parsed = json::sax_parse(CountingIterator(begin, begin, &builder.consumed),
                             CountingIterator(end, begin, &builder.consumed), &builder);
  } catch (const std::bad_alloc&) {
    throw;  // out of memory is not a property of the input: main reports it
  } catch (const std::exception& ex) {
    // sax_parse reports through parse_error; anything thrown past it is a bug we still must
    // not crash on.
    diagnostics.push_back(Diagnostic{Severity::kError, "E001",
                                     "invalid JSON: " + EscapeForDisplay(ex.what(), 160),
                                     file.name(), builder.consumed});
    return doc;
  }
  doc.ok = parsed && !builder.failed;
  return doc;
}

}  // namespace imgvisa

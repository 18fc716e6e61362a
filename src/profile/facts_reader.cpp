#include "imgvisa/profile/facts_reader.h"

#include <bit>
#include <charconv>
#include <cstring>
#include <optional>
#include <vector>

#include "base/utf8.h"
#include "imgvisa/base/country.h"
#include "imgvisa/profile/facts_from_json.h"
#include "profile/key_tree.h"

namespace imgvisa {
namespace {

// Load8's bytes are in memory order, so the first byte is the lowest.
static_assert(std::endian::native == std::endian::little);

using Member = KeyTree::Member;
using Node = KeyTree::Node;
using PackedBytes = KeyTree::PackedBytes;
using ValueSpec = KeyTree::ValueSpec;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A JSON number token as written.
struct Number {
  std::string_view text;
  bool integer = false;  // no fraction, no exponent: what nlohmann keeps as an integer
};

bool ToInteger(std::string_view text, std::int64_t& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

// Correctly rounded, as strtod (which nlohmann uses) is; out of range goes to the slow path.
bool ToDouble(const Number& n, double& out) {
  if (n.integer) {
    std::int64_t i = 0;
    if (!ToInteger(n.text, i)) return false;
    out = static_cast<double>(i);
    return true;
  }
  const auto [end, error] = std::from_chars(n.text.data(), n.text.data() + n.text.size(), out);
  return error == std::errc() && end == n.text.data() + n.text.size();
}

// A fact without bounds has them at infinity, which no JSON number passes.
bool InBounds(double d, const ValueSpec& spec) { return d >= spec.minimum && d <= spec.maximum; }

// The lists and records of earlier profiles, filled again rather than made anew: a stream
// reads one profile after another into the same facts, and allocating their storage each time
// was a large part of a read.
class SpareValues {
 public:
  // Makes `v` unknown in place, keeping its string's storage and, when no one else holds
  // them, its list's or records' for the next profile.
  void Forget(Value& v);
  // Forget of each known value (the others hold nothing).
  void ForgetKnown(std::vector<Value>& values);
  // An empty list, or records to fill (of any length: the caller sizes them).
  std::shared_ptr<std::vector<Value>> List();
  std::shared_ptr<std::vector<Value::Record>> Records();

 private:
  // Lists and records of earlier profiles that nothing refers to any more.
  std::vector<std::shared_ptr<std::vector<Value>>> lists_;
  std::vector<std::shared_ptr<std::vector<Value::Record>>> records_;
};

void SpareValues::Forget(Value& v) {
  v.kind = Value::Kind::kAbsent;
  v.boolean = false;
  v.integer = 0;
  v.number = 0;
  v.string.clear();
  // The reader made these lists non-const; use_count 1 means no copy of the facts holds them.
  if (v.list) {
    if (v.list.use_count() == 1) {
      lists_.push_back(std::const_pointer_cast<std::vector<Value>>(std::move(v.list)));
    }
    v.list.reset();
  }
  if (v.records) {
    if (v.records.use_count() == 1) {
      records_.push_back(std::const_pointer_cast<std::vector<Value::Record>>(std::move(v.records)));
    }
    v.records.reset();
  }
}

void SpareValues::ForgetKnown(std::vector<Value>& values) {
  for (Value& v : values) {
    if (!v.known()) continue;
    // Most values are scalars that hold nothing to give back: reset in place, without a call.
    if (v.string.empty() && !v.list && !v.records) {
      v.kind = Value::Kind::kAbsent;
      v.boolean = false;
      v.integer = 0;
      v.number = 0;
    } else {
      Forget(v);
    }
  }
}

std::shared_ptr<std::vector<Value>> SpareValues::List() {
  if (lists_.empty()) return std::make_shared<std::vector<Value>>();
  auto list = std::move(lists_.back());
  lists_.pop_back();
  list->clear();
  return list;
}

std::shared_ptr<std::vector<Value::Record>> SpareValues::Records() {
  if (records_.empty()) return std::make_shared<std::vector<Value::Record>>();
  auto records = std::move(records_.back());
  records_.pop_back();
  return records;
}

// One pass over one profile. Every function returns false as soon as the profile is not one it
// is sure about; the reader then starts over with FactsFromJson.
//
// The text is a std::string, so a NUL follows its last byte: the tests of single bytes
// (SkipSpace, Consume, ScanNumber) read *end_ without a bounds check, since NUL is neither a
// space nor any byte they look for. p_ never passes end_.
class Scan {
 public:
  Scan(KeyTree& tree, SpareValues& spares, const JsonLimits& limits, const std::string& text,
       Facts& facts)
      : tree_(tree),
        spares_(spares),
        limits_(limits),
        p_(text.data()),
        end_(text.data() + text.size()),
        facts_(facts) {}

  // The whole profile: one object and nothing after it.
  bool Profile() {
    if (!Consume('{') || !Object(0, 1)) return false;
    SkipSpace();
    return p_ == end_;
  }

 private:
  // Declared inline, as if defined in the class: without the hint GCC calls the token readers
  // out of line from the loop over members, which reads every key and value through them.

  // Tokens.
  void SkipSpace() {
    while (IsSpace(*p_)) ++p_;
  }
  bool Consume(char c) {
    SkipSpace();
    if (*p_ != c) return false;
    ++p_;
    return true;
  }
  inline bool Word(std::string_view word);
  inline bool String(std::string_view& out, std::size_t max);
  // A string value: no longer than the limit on strings.
  bool Text(std::string_view& out) { return String(out, limits_.max_string_bytes); }
  inline bool ScanNumber(Number& out);

  // Values.
  [[gnu::always_inline]] inline bool Scalar(const ValueSpec& spec, Value& out);
  inline bool Choice(const ValueSpec& spec, Value& out);
  inline bool DateValue(Value& out);
  inline bool CountryValue(Value& out);
  inline int EnumIndex(const ValueSpec& spec, std::string_view s) const;
  inline bool MemberValue(const Member& m, std::size_t depth);
  inline bool IgnoredValue();
  [[gnu::always_inline]] inline bool Fact(const Member& m, Value& out, std::size_t depth);
  inline bool List(const ValueSpec& spec, Value& out);
  inline bool Records(const Member& m, Value& out, std::size_t depth);

  // Objects.
  template <typename ForEach>
  inline bool Members(int node, std::size_t depth, ForEach&& for_each);
  inline Member* NextMember(Node& n, int expected);
  inline Member* Expected(Node& n, int expected);
  bool Object(int node, std::size_t depth) {
    return Members(node, depth, [&](const Member& m) { return MemberValue(m, depth); });
  }
  bool Record(int node, Value::Record& record, std::size_t depth) {
    return Members(node, depth, [&](const Member& m) {
      return Word("null") || Scalar(m.spec, record[m.spec.field_index]);
    });
  }

  KeyTree& tree_;
  SpareValues& spares_;
  const JsonLimits& limits_;
  const char* p_;
  const char* end_;
  Facts& facts_;
};

bool Scan::Word(std::string_view word) {
  SkipSpace();
  // Most values are not the word asked about (every value is first tried as null): the first
  // byte settles that without a call to memcmp.
  if (static_cast<std::size_t>(end_ - p_) < word.size() || *p_ != word[0] ||
      std::memcmp(p_, word.data(), word.size()) != 0) {
    return false;
  }
  p_ += word.size();
  return true;
}

// A string without escapes, of well-formed UTF-8, at most `max` bytes.
bool Scan::String(std::string_view& out, std::size_t max) {
  if (!Consume('"')) return false;
  const char* start = p_;
  const auto* end = reinterpret_cast<const unsigned char*>(end_);
  while (p_ < end_) {
    // Eight plain ASCII bytes at a time (keys and enum values are most of a profile), then
    // straight to the first byte that is not.
    while (end_ - p_ >= 8) {
      const std::uint64_t word = Load8(p_);
      const std::uint64_t stop = JsonSpecialBits(word) | NonAsciiBits(word);
      if (stop != 0) {
        p_ += std::countr_zero(stop) / 8;
        break;
      }
      p_ += 8;
    }
    if (p_ == end_) break;
    const auto c = static_cast<unsigned char>(*p_);
    if (kPlainBytes[c]) {
      ++p_;
      continue;
    }
    if (c == '"') {
      out = std::string_view(start, static_cast<std::size_t>(p_ - start));
      ++p_;
      return out.size() <= max;
    }
    if (c < 0x80) return false;  // an escape or a control character
    const std::size_t n = Utf8SequenceLength(reinterpret_cast<const unsigned char*>(p_), end);
    if (n == 0) return false;
    p_ += n;
  }
  return false;
}

bool Scan::ScanNumber(Number& out) {
  SkipSpace();
  const char* start = p_;
  if (*p_ == '-') ++p_;
  if (*p_ == '0') {
    ++p_;
  } else if (*p_ >= '1' && *p_ <= '9') {
    while (IsDigit(*p_)) ++p_;
  } else {
    return false;
  }
  out.integer = true;
  if (*p_ == '.') {
    out.integer = false;
    ++p_;
    if (!IsDigit(*p_)) return false;
    while (IsDigit(*p_)) ++p_;
  }
  if (*p_ == 'e' || *p_ == 'E') {
    out.integer = false;
    ++p_;
    if (*p_ == '+' || *p_ == '-') ++p_;
    if (!IsDigit(*p_)) return false;
    while (IsDigit(*p_)) ++p_;
  }
  out.text = std::string_view(start, static_cast<std::size_t>(p_ - start));
  return true;
}

// A scalar value of `spec`'s type, as FactsFromJson converts it when it has nothing to report,
// written in place into `out`, which is unknown (SpareValues::Forget).
bool Scan::Scalar(const ValueSpec& spec, Value& out) {
  switch (spec.type) {
    case ValueType::kBool:
      if (Word("true")) {
        out.boolean = true;
      } else if (!Word("false")) {
        return false;
      }
      out.kind = Value::Kind::kBool;
      return true;
    case ValueType::kInteger: {
      Number n;
      std::int64_t i = 0;
      if (!ScanNumber(n) || !n.integer || !ToInteger(n.text, i)) return false;
      if (!InBounds(static_cast<double>(i), spec)) return false;
      out.kind = Value::Kind::kInteger;
      out.integer = i;
      return true;
    }
    case ValueType::kNumber: {
      Number n;
      double d = 0;
      if (!ScanNumber(n) || !ToDouble(n, d) || !InBounds(d, spec)) return false;
      out.kind = Value::Kind::kNumber;
      out.number = d;
      return true;
    }
    case ValueType::kString: {
      std::string_view s;
      if (!Text(s)) return false;
      out.kind = Value::Kind::kString;
      out.string.assign(s);
      return true;
    }
    case ValueType::kEnum:
      return Choice(spec, out);
    case ValueType::kDate:
      return DateValue(out);
    case ValueType::kCountry:
      return CountryValue(out);
    case ValueType::kList:
      break;
  }
  return false;
}

// A country value: exactly a code of the table (anything else is FactsFromJson's to report).
bool Scan::CountryValue(Value& out) {
  std::string_view s;
  if (!Text(s) || FindCountry(s) == nullptr) return false;
  out.kind = Value::Kind::kString;
  out.string.assign(s);
  return true;
}

// An enum value: one of `spec`'s.
bool Scan::Choice(const ValueSpec& spec, Value& out) {
  std::string_view s;
  if (!Text(s)) return false;
  const int index = EnumIndex(spec, s);
  if (index < 0) return false;
  out.kind = Value::Kind::kEnum;
  out.integer = index;
  return true;
}

// A date value: an ISO date.
bool Scan::DateValue(Value& out) {
  std::string_view s;
  if (!Text(s)) return false;
  const std::optional<Date> d = ParseIsoDate(s);
  if (!d) return false;
  out.kind = Value::Kind::kDate;
  out.integer = d->days();
  return true;
}

// The index of `s` among the enum values of `spec`, or -1. `s` was just scanned, so it lies in
// the text: where PackedBytes::kMaxBytes of text follow its start, the values of its size
// (packed, since they are no longer than it) are compared without memcmp.
int Scan::EnumIndex(const ValueSpec& spec, std::string_view s) const {
  constexpr std::size_t kMax = PackedBytes::kMaxBytes;
  if (s.size() > kMax || end_ - s.data() < static_cast<std::ptrdiff_t>(kMax)) {
    return tree_.EnumIndex(spec, s);
  }
  const KeyTree::EnumValue* const values = tree_.enum_values().data() + spec.enum_first;
  for (std::size_t i = 0; i < spec.enum_count; ++i) {
    if (values[i].size == s.size() && values[i].packed.StartOf(s.data())) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// The value of a member whose "{" and key are read: a fact, an object, or a "$" key.
bool Scan::MemberValue(const Member& m, std::size_t depth) {
  switch (m.kind) {
    case Member::Kind::kId: {
      std::string_view id;
      if (!Text(id)) return false;
      facts_.id.assign(id);
      return true;
    }
    case Member::Kind::kIgnored:
      return IgnoredValue();
    case Member::Kind::kObject:
      if (Word("null")) return true;
      return Consume('{') && Object(m.node, depth + 1);
    case Member::Kind::kFact:
      if (Word("null")) return true;
      return Fact(m, facts_.values[m.fact], depth);
  }
  return false;
}

// "$schema" and "$comment" may hold anything; the scanner takes the plain scalars.
bool Scan::IgnoredValue() {
  if (Word("null") || Word("true") || Word("false")) return true;
  SkipSpace();
  if (*p_ == '"') {
    std::string_view s;
    return Text(s);
  }
  Number n;
  double d = 0;
  return ScanNumber(n) && ToDouble(n, d);
}

// A fact's value other than null, into `out`, which is unknown.
bool Scan::Fact(const Member& m, Value& out, std::size_t depth) {
  const ValueSpec& spec = m.spec;
  if (!spec.list && !spec.records) return Scalar(spec, out);
  if (!Consume('[')) return false;
  if (spec.list) return List(spec, out);
  return Records(m, out, depth);
}

// A list of scalars after its "[", up to and including its "]".
bool Scan::List(const ValueSpec& spec, Value& out) {
  auto list = spares_.List();
  if (!Consume(']')) {
    do {
      if (list->size() >= limits_.max_array_items) return false;
      if (!Scalar(spec, list->emplace_back())) return false;
    } while (Consume(','));
    if (!Consume(']')) return false;
  }
  out.kind = Value::Kind::kList;
  out.list = std::move(list);
  return true;
}

// A list of records after its "[", up to and including its "]". Records left from an earlier
// profile are filled again rather than made anew.
bool Scan::Records(const Member& m, Value& out, std::size_t depth) {
  auto records = spares_.Records();
  std::size_t count = 0;
  if (!Consume(']')) {
    do {
      if (count >= limits_.max_array_items) return false;
      if (count == records->size()) records->emplace_back();
      Value::Record& record = (*records)[count++];
      spares_.ForgetKnown(record);
      record.resize(m.spec.record_fields);
      if (!Consume('{') || !Record(m.node, record, depth + 2)) return false;
    } while (Consume(','));
    if (!Consume(']')) return false;
  }
  records->resize(count);
  out.kind = Value::Kind::kRecords;
  out.records = std::move(records);
  return true;
}

// The members of an object after its "{", up to and including its "}"; `for_each(member)`
// reads each value. The order they come in is kept for the next object of the node.
template <typename ForEach>
bool Scan::Members(int node, std::size_t depth, ForEach&& for_each) {
  if (depth >= limits_.max_depth) return false;
  const std::uint32_t object = tree_.NextObject();
  Node& n = tree_.node(node);
  if (Consume('}')) {
    n.first = -1;
    return true;
  }
  int* link = &n.first;  // where the member read next is recorded as expected next time
  do {
    Member* found = NextMember(n, *link);
    if (found == nullptr || !tree_.MarkSeen(*found, object)) return false;
    *link = static_cast<int>(found - n.members.data());
    link = &found->next;
    if (!Consume(':') || !for_each(*found)) return false;
  } while (Consume(','));
  *link = -1;
  return Consume('}');
}

// The key at hand, read, as a member of `n`, or null if it is none; `expected` is the member
// that came here last time (or -1).
Member* Scan::NextMember(Node& n, int expected) {
  if (Member* found = Expected(n, expected)) return found;
  // Facts are left out of profiles one at a time: the key after the expected one is the
  // likeliest next, and trying it costs less than scanning and looking up the key.
  if (expected >= 0) {
    if (Member* found = Expected(n, n.members[static_cast<std::size_t>(expected)].next)) {
      return found;
    }
  }
  std::string_view key;
  if (!String(key, static_cast<std::size_t>(-1))) return nullptr;
  return n.Find(key);
}

// The member `expected` if the key at hand is exactly its key, the key then read; else null
// with nothing read. Only for keys of plain bytes, whose JSON strings are their bytes.
Member* Scan::Expected(Node& n, int expected) {
  if (expected < 0) return nullptr;
  Member& m = n.members[static_cast<std::size_t>(expected)];
  if (!m.plain) return nullptr;
  SkipSpace();
  const std::size_t size = m.key.size();
  if (m.quoted.count != 0 && end_ - p_ >= static_cast<std::ptrdiff_t>(PackedBytes::kMaxBytes)) {
    if (!m.quoted.StartOf(p_)) return nullptr;
  } else if (static_cast<std::size_t>(end_ - p_) < size + 2 || *p_ != '"' || p_[size + 1] != '"' ||
             std::memcmp(p_ + 1, m.key.data(), size) != 0) {
    return nullptr;
  }
  p_ += size + 2;
  return &m;
}

}  // namespace

struct FactsReader::Impl {
  Impl(const FactDictionary& dictionary, const JsonLimits& limits, std::size_t max_errors)
      : dictionary(dictionary), limits(limits), max_errors(max_errors), tree(dictionary) {}

  const FactDictionary& dictionary;
  JsonLimits limits;
  std::size_t max_errors;
  KeyTree tree;
  SpareValues spares;
  std::size_t fallbacks = 0;
};

FactsReader::FactsReader(const FactDictionary& dictionary, const JsonLimits& limits,
                         std::size_t max_errors)
    : impl_(std::make_unique<Impl>(dictionary, limits, max_errors)) {}
FactsReader::~FactsReader() = default;

std::size_t FactsReader::fallbacks() const { return impl_->fallbacks; }

void FactsReader::Read(const SourceFile& profile, FactsLoad& out) {
  Impl& r = *impl_;
  out.diagnostics.clear();
  out.omitted_errors = 0;
  out.facts.id.clear();
  out.facts.alternatives.clear();
  out.facts.values.resize(r.dictionary.facts().size());
  r.spares.ForgetKnown(out.facts.values);
  if (Scan(r.tree, r.spares, r.limits, profile.text(), out.facts).Profile()) {
    out.ok = true;
    return;
  }
  ++r.fallbacks;
  out = FactsFromJson(r.dictionary, profile, r.limits, r.max_errors);
}

FactsLoad FactsReader::Read(const SourceFile& profile) {
  FactsLoad out;
  Read(profile, out);
  return out;
}

}  // namespace imgvisa

#include "imgvisa/profile/facts_reader.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <memory>
#include <optional>

#include "base/utf8.h"
#include "imgvisa/profile/facts_from_json.h"

namespace imgvisa {
namespace {

// Load8's bytes are in memory order, so the first byte is the lowest.
static_assert(std::endian::native == std::endian::little);

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Bytes a string may hold as they are: printable ASCII other than '"' and '\\'.
constexpr auto kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

// Where a key goes in a node's table (see FactsReader::Node): cheap, and different for the
// keys of every node of the dictionary in practice; collisions are probed past.
std::size_t KeyHash(std::string_view key) {
  if (key.empty()) return 0;
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(key[i]); };
  std::size_t h = key.size();
  h = h * 131 + byte(0);
  h = h * 131 + byte(key.size() / 2);
  h = h * 131 + byte(key.size() - 1);
  return h;
}

// A JSON number token as written.
struct Number {
  std::string_view text;
  bool integer = false;  // no fraction, no exponent: what nlohmann keeps as an integer
};

}  // namespace

bool FactsReader::PackedBytes::StartOf(const char* p) const {
  const std::size_t last = count - 1u;
  std::uint64_t differ = (Load8(p + 8 * last) & last_mask) ^ words[last];
  for (std::size_t w = 0; w < last; ++w) differ |= Load8(p + 8 * w) ^ words[w];
  return differ == 0;
}

FactsReader::PackedBytes FactsReader::PackedBytes::Of(std::string_view bytes) {
  PackedBytes packed;
  if (bytes.size() > kMaxBytes) return packed;
  std::array<char, kMaxBytes> padded{};
  std::memcpy(padded.data(), bytes.data(), bytes.size());
  // No bytes take one word with nothing of it compared, which every text starts with.
  packed.count = static_cast<std::uint8_t>(std::max<std::size_t>(1, (bytes.size() + 7) / 8));
  for (std::size_t w = 0; w < packed.count; ++w) packed.words[w] = Load8(padded.data() + 8 * w);
  const std::size_t tail = bytes.size() - 8 * (packed.count - 1u);  // 0 to 8 bytes
  packed.last_mask = tail == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * tail)) - 1;
  return packed;
}

// One pass over one profile. Every function returns false as soon as the profile is not one it
// is sure about; the reader then starts over with FactsFromJson.
//
// The text is a std::string, so a NUL follows its last byte: the tests of single bytes
// (SkipSpace, Consume, ScanNumber) read *end_ without a bounds check, since NUL is neither a
// space nor any byte they look for. p_ never passes end_.
class FactsReader::Scan {
 public:
  Scan(FactsReader& reader, const std::string& text, Facts& facts)
      : reader_(reader), p_(text.data()), end_(text.data() + text.size()), facts_(facts) {}

  bool Profile() {
    if (!Consume('{') || !Object(0, 1)) return false;
    SkipSpace();
    return p_ == end_;
  }

 private:
  void SkipSpace() {
    while (IsSpace(*p_)) ++p_;
  }
  bool Consume(char c) {
    SkipSpace();
    if (*p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool Word(std::string_view word) {
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
  bool String(std::string_view& out, std::size_t max) {
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
      if (kPlain[c]) {
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

  // A string value: no longer than the limit on strings.
  bool Text(std::string_view& out) { return String(out, reader_.limits_.max_string_bytes); }

  bool ScanNumber(Number& out) {
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

  static bool ToInteger(std::string_view text, std::int64_t& out) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size();
  }

  // Correctly rounded, as strtod (which nlohmann uses) is; out of range goes to the slow path.
  static bool ToDouble(const Number& n, double& out) {
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
  static bool InBounds(double d, const ValueSpec& spec) {
    return d >= spec.minimum && d <= spec.maximum;
  }

  // A scalar value of `spec`'s type, as FactsFromJson converts it when it has nothing to
  // report, written in place into `out`, which is unknown (FactsReader::Forget).
  [[gnu::always_inline]] bool Scalar(const ValueSpec& spec, Value& out) {
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
      case ValueType::kEnum: {
        std::string_view s;
        if (!Text(s)) return false;
        const int index = EnumIndex(spec, s);
        if (index < 0) return false;
        out.kind = Value::Kind::kEnum;
        out.integer = index;
        return true;
      }
      case ValueType::kDate: {
        std::string_view s;
        if (!Text(s)) return false;
        const std::optional<Date> d = ParseIsoDate(s);
        if (!d) return false;
        out.kind = Value::Kind::kDate;
        out.integer = d->days();
        return true;
      }
      case ValueType::kList:
        break;
    }
    return false;
  }

  // The index of `s` among the enum values of `spec`, or -1. `s` was just scanned, so it lies
  // in the text: where PackedBytes::kMaxBytes of text follow its start, the values of its
  // size (packed, since they are no longer than it) are compared without memcmp.
  int EnumIndex(const ValueSpec& spec, std::string_view s) const {
    constexpr std::size_t kMax = PackedBytes::kMaxBytes;
    if (s.size() > kMax || end_ - s.data() < static_cast<std::ptrdiff_t>(kMax)) {
      return reader_.EnumIndex(spec, s);
    }
    const EnumValue* const values = reader_.enum_values_.data() + spec.enum_first;
    for (std::size_t i = 0; i < spec.enum_count; ++i) {
      if (values[i].size == s.size() && values[i].packed.StartOf(s.data())) {
        return static_cast<int>(i);
      }
    }
    return -1;
  }

  // The value of a member whose "{" and key are read: a fact, an object, or a "$" key.
  bool MemberValue(const Member& m, std::size_t depth) {
    switch (m.kind) {
      case Member::Kind::kId: {
        std::string_view id;
        if (!Text(id)) return false;
        facts_.id.assign(id);
        return true;
      }
      case Member::Kind::kIgnored: {
        // "$schema" and "$comment" may hold anything; the scanner takes the plain scalars.
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
      case Member::Kind::kObject:
        if (Word("null")) return true;
        return Consume('{') && Object(m.node, depth + 1);
      case Member::Kind::kFact:
        if (Word("null")) return true;
        return Fact(m, facts_.values[m.fact], depth);
    }
    return false;
  }

  [[gnu::always_inline]] bool Fact(const Member& m, Value& out, std::size_t depth) {
    const ValueSpec& spec = m.spec;
    if (!spec.list && !spec.records) return Scalar(spec, out);
    if (!Consume('[')) return false;
    const std::size_t max_items = reader_.limits_.max_array_items;
    if (spec.list) {
      auto list = reader_.SpareList();
      if (!Consume(']')) {
        do {
          if (list->size() >= max_items) return false;
          if (!Scalar(spec, list->emplace_back())) return false;
        } while (Consume(','));
        if (!Consume(']')) return false;
      }
      out.kind = Value::Kind::kList;
      out.list = std::move(list);
      return true;
    }
    // Records left from an earlier profile are filled again rather than made anew.
    auto records = reader_.SpareRecords();
    std::size_t count = 0;
    if (!Consume(']')) {
      do {
        if (count >= max_items) return false;
        if (count == records->size()) records->emplace_back();
        Value::Record& record = (*records)[count++];
        reader_.ForgetKnown(record);
        record.resize(spec.record_fields);
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
  // reads each value.
  template <typename ForEach>
  bool Members(int node, std::size_t depth, ForEach&& for_each) {
    if (depth >= reader_.limits_.max_depth) return false;
    const std::uint32_t object = ++reader_.objects_;
    Node& n = reader_.nodes_[static_cast<std::size_t>(node)];
    if (Consume('}')) {
      n.first = -1;
      return true;
    }
    int* link = &n.first;  // where the member read next is recorded as expected next time
    do {
      Member* found = Expected(n, *link);
      // Facts are left out of profiles one at a time: the key after the expected one is the
      // likeliest next, and trying it costs less than scanning and looking up the key.
      if (found == nullptr && *link >= 0) {
        found = Expected(n, n.members[static_cast<std::size_t>(*link)].next);
      }
      if (found == nullptr) {
        std::string_view key;
        if (!String(key, static_cast<std::size_t>(-1))) return false;
        found = n.Find(key);
        if (found == nullptr) return false;
      }
      if (reader_.seen_[found->slot] == object) return false;
      reader_.seen_[found->slot] = object;
      *link = static_cast<int>(found - n.members.data());
      link = &found->next;
      if (!Consume(':') || !for_each(*found)) return false;
    } while (Consume(','));
    *link = -1;
    return Consume('}');
  }

  // The member `expected` if the key at hand is exactly its key, the key then read; else null
  // with nothing read. Only for keys of plain bytes, whose JSON strings are their bytes.
  Member* Expected(Node& n, int expected) {
    if (expected < 0) return nullptr;
    Member& m = n.members[static_cast<std::size_t>(expected)];
    if (!m.plain) return nullptr;
    SkipSpace();
    const std::size_t size = m.key.size();
    if (m.quoted.count != 0 && end_ - p_ >= static_cast<std::ptrdiff_t>(PackedBytes::kMaxBytes)) {
      if (!m.quoted.StartOf(p_)) return nullptr;
    } else if (static_cast<std::size_t>(end_ - p_) < size + 2 || *p_ != '"' ||
               p_[size + 1] != '"' || std::memcmp(p_ + 1, m.key.data(), size) != 0) {
      return nullptr;
    }
    p_ += size + 2;
    return &m;
  }

  bool Object(int node, std::size_t depth) {
    return Members(node, depth, [&](const Member& m) { return MemberValue(m, depth); });
  }

  bool Record(int node, Value::Record& record, std::size_t depth) {
    return Members(node, depth, [&](const Member& m) {
      if (Word("null")) return true;
      return Scalar(m.spec, record[m.spec.field_index]);
    });
  }

  FactsReader& reader_;
  const char* p_;
  const char* end_;
  Facts& facts_;
};

FactsReader::FactsReader(const FactDictionary& dictionary, const JsonLimits& limits)
    : dictionary_(dictionary), limits_(limits) {
  AddNode();
  MemberOf(0, "$id").kind = Member::Kind::kId;
  MemberOf(0, "$schema").kind = Member::Kind::kIgnored;
  MemberOf(0, "$comment").kind = Member::Kind::kIgnored;
  const auto& facts = dictionary.facts();
  for (std::size_t f = 0; f < facts.size(); ++f) {
    const FactDecl& decl = facts[f];
    if (decl.list) continue;  // a record's field, read with its list
    int node = 0;
    std::size_t start = 0;
    while (true) {
      const std::size_t dot = decl.path.find('.', start);
      const std::string_view segment =
          std::string_view(decl.path).substr(start, dot == std::string::npos ? dot : dot - start);
      if (dot == std::string::npos) {
        // FactsFromJson takes a path that names a fact as that fact, even if deeper facts
        // start with it.
        const int fields = decl.is_record_list() ? AddNode() : -1;
        for (FactId field : decl.fields) {
          Member& fm = MemberOf(fields, dictionary.at(field).field_name);
          fm.kind = Member::Kind::kFact;
          fm.fact = field;
          fm.spec = SpecOf(dictionary.at(field));
        }
        Member& m = MemberOf(node, segment);
        m.kind = Member::Kind::kFact;
        m.fact = static_cast<FactId>(f);
        m.spec = SpecOf(decl);
        if (fields >= 0) m.node = fields;
        break;
      }
      // No reference into nodes_ is held across AddNode, which may move them.
      int child = MemberOf(node, segment).node;
      if (child < 0) {
        child = AddNode();
        MemberOf(node, segment).node = child;
      }
      node = child;
      start = dot + 1;
    }
  }
  std::size_t slots = 0;
  for (Node& n : nodes_) {
    for (Member& m : n.members) {
      m.slot = static_cast<std::uint32_t>(slots++);
      m.plain = std::all_of(m.key.begin(), m.key.end(),
                            [](char c) { return kPlain[static_cast<unsigned char>(c)]; });
      if (m.plain) m.quoted = PackedBytes::Of('"' + m.key + '"');
    }
    std::size_t size = 8;
    while (size < 2 * n.members.size()) size *= 2;
    n.table.assign(size, -1);
    for (std::size_t i = 0; i < n.members.size(); ++i) {
      std::size_t h = KeyHash(n.members[i].key) & (size - 1);
      while (n.table[h] >= 0) h = (h + 1) & (size - 1);
      n.table[h] = static_cast<std::int16_t>(i);
    }
  }
  seen_.assign(slots, 0);
}

FactsReader::Member* FactsReader::Node::Find(std::string_view key) {
  const std::size_t mask = table.size() - 1;
  for (std::size_t h = KeyHash(key) & mask;; h = (h + 1) & mask) {
    if (table[h] < 0) return nullptr;
    Member& m = members[static_cast<std::size_t>(table[h])];
    if (m.key == key) return &m;
  }
}

FactsReader::ValueSpec FactsReader::SpecOf(const FactDecl& decl) {
  ValueSpec spec;
  spec.type = decl.type;
  if (decl.type == ValueType::kList) {
    if (decl.item_type) {
      spec.list = true;
      spec.type = *decl.item_type;
    } else {
      spec.records = true;
      spec.record_fields = static_cast<std::uint16_t>(decl.fields.size());
    }
  }
  spec.field_index = static_cast<std::uint16_t>(decl.field_index);
  if (decl.minimum) spec.minimum = *decl.minimum;
  if (decl.maximum) spec.maximum = *decl.maximum;
  spec.enum_first = static_cast<std::uint16_t>(enum_values_.size());
  spec.enum_count = static_cast<std::uint16_t>(decl.values.size());
  for (const std::string& value : decl.values) {
    EnumValue& e = enum_values_.emplace_back();
    e.offset = static_cast<std::uint32_t>(enum_text_.size());
    e.size = static_cast<std::uint32_t>(value.size());
    e.packed = PackedBytes::Of(value);
    enum_text_ += value;
  }
  return spec;
}

int FactsReader::EnumIndex(const ValueSpec& spec, std::string_view value) const {
  const EnumValue* const values = enum_values_.data() + spec.enum_first;
  for (std::size_t i = 0; i < spec.enum_count; ++i) {
    if (values[i].size == value.size() &&
        std::memcmp(enum_text_.data() + values[i].offset, value.data(), value.size()) == 0) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

int FactsReader::AddNode() {
  nodes_.emplace_back();
  return static_cast<int>(nodes_.size() - 1);
}

FactsReader::Member& FactsReader::MemberOf(int node, std::string_view key) {
  std::vector<Member>& members = nodes_[static_cast<std::size_t>(node)].members;
  for (Member& m : members) {
    if (m.key == key) return m;
  }
  Member& m = members.emplace_back();
  m.key = std::string(key);
  return m;
}

void FactsReader::Read(const SourceFile& profile, FactsLoad& out) {
  out.diagnostics.clear();
  out.facts.id.clear();
  out.facts.values.resize(dictionary_.facts().size());
  ForgetKnown(out.facts.values);
  if (Scan(*this, profile.text(), out.facts).Profile()) {
    out.ok = true;
    return;
  }
  ++fallbacks_;
  out = FactsFromJson(dictionary_, profile, limits_);
}

void FactsReader::Forget(Value& v) {
  v.kind = Value::Kind::kAbsent;
  v.boolean = false;
  v.integer = 0;
  v.number = 0;
  v.string.clear();
  // The reader made these lists non-const; use_count 1 means no copy of the facts holds them.
  if (v.list) {
    if (v.list.use_count() == 1) {
      spare_lists_.push_back(std::const_pointer_cast<std::vector<Value>>(std::move(v.list)));
    }
    v.list.reset();
  }
  if (v.records) {
    if (v.records.use_count() == 1) {
      spare_records_.push_back(
          std::const_pointer_cast<std::vector<Value::Record>>(std::move(v.records)));
    }
    v.records.reset();
  }
}

void FactsReader::ForgetKnown(std::vector<Value>& values) {
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

std::shared_ptr<std::vector<Value>> FactsReader::SpareList() {
  if (spare_lists_.empty()) return std::make_shared<std::vector<Value>>();
  auto list = std::move(spare_lists_.back());
  spare_lists_.pop_back();
  list->clear();
  return list;
}

std::shared_ptr<std::vector<Value::Record>> FactsReader::SpareRecords() {
  if (spare_records_.empty()) return std::make_shared<std::vector<Value::Record>>();
  auto records = std::move(spare_records_.back());
  spare_records_.pop_back();
  return records;
}

FactsLoad FactsReader::Read(const SourceFile& profile) {
  FactsLoad out;
  Read(profile, out);
  return out;
}

}  // namespace imgvisa

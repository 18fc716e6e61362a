#include "imgvisa/rules/rule_set_image.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <type_traits>

namespace imgvisa {

namespace {

// Bumped whenever the layout below changes, so an image from another build is refused rather
// than misread (it cannot happen through CMake, which rebuilds the image with the binary).
constexpr std::string_view kMagic = "imgvisa-rule-image-1\n";

class ImageWriter;
class ImageReader;
void WriteValue(ImageWriter& w, const Value& v);
Value ReadValue(ImageReader& r);

// The largest value of each enum the image holds, so that a reader refuses any other byte.
constexpr ItemKind LastOf(ItemKind) { return ItemKind::kConsequence; }
constexpr ExprOp LastOf(ExprOp) { return ExprOp::kCoalesce; }
constexpr CondOp LastOf(CondOp) { return CondOp::kDisjoint; }
constexpr CompareOp LastOf(CompareOp) { return CompareOp::kGe; }
constexpr ValueType LastOf(ValueType) { return ValueType::kCountry; }
constexpr Value::Kind LastOf(Value::Kind) { return Value::Kind::kRecords; }
constexpr TextTemplate::Segment::Kind LastOf(TextTemplate::Segment::Kind) {
  return TextTemplate::Segment::Kind::kLet;
}

// The writer and the reader are archives: `a(member)` writes or reads one member, and each
// structure lists its members once, in Fields() below, for both directions.
class ImageWriter {
 public:
  void operator()(const std::string& s) { Str(s); }
  void operator()(bool b) { Bool(b); }
  void operator()(int i) { Int(i); }
  void operator()(std::uint8_t b) { Byte(b); }
  void operator()(std::uint16_t n) { Size(n); }
  void operator()(std::size_t n) { Size(n); }
  void operator()(double d) { Double(d); }
  void operator()(Date d) { Int(d.days()); }
  void operator()(const Value& v) { WriteValue(*this, v); }
  template <typename E>
  requires std::is_enum_v<E>
  void operator()(E e) { Enum(e); }
  template <typename T>
  void operator()(const std::optional<T>& o) {
    Bool(o.has_value());
    if (o) (*this)(*o);
  }
  template <typename T>
  void operator()(const std::vector<T>& v) {
    Size(v.size());
    for (const T& x : v) (*this)(x);
  }
  template <typename T, typename U>
  void operator()(const std::pair<T, U>& p) {
    (*this)(p.first);
    (*this)(p.second);
  }
  template <typename T>
  requires std::is_class_v<T>
  void operator()(const T& x) { Fields(*this, x); }

  std::string Take() { return std::move(out_); }

  void Size(std::size_t n) {
    // LEB128: the image is mostly small counts and indexes.
    do {
      unsigned char byte = n & 0x7f;
      n >>= 7;
      if (n) byte |= 0x80;
      out_.push_back(static_cast<char>(byte));
    } while (n);
  }
  void Int(std::int64_t v) { Size((static_cast<std::uint64_t>(v) << 1) ^ (v < 0 ? ~0ULL : 0)); }
  void Byte(std::uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void Bool(bool b) { Byte(b ? 1 : 0); }
  void Double(double d) {
    char bytes[sizeof d];
    std::memcpy(bytes, &d, sizeof d);
    out_.append(bytes, sizeof d);
  }
  void Str(std::string_view s) {
    Size(s.size());
    out_.append(s);
  }
  template <typename E>
  void Enum(E e) {
    static_assert(std::is_enum_v<E>);
    Byte(static_cast<std::uint8_t>(e));
  }
  template <typename T, typename F>
  void List(const std::vector<T>& items, F&& each) {
    Size(items.size());
    for (const T& item : items) each(item);
  }

 private:
  std::string out_;
};

// Any inconsistency (a count past the end, an unknown tag) means the image is not ours.
struct BadImage : std::runtime_error {
  BadImage() : std::runtime_error("bad rule image") {}
};

class ImageReader {
 public:
  explicit ImageReader(std::string_view in) : in_(in) {}

  void operator()(std::string& s) { s = Str(); }
  void operator()(bool& b) { b = Bool(); }
  void operator()(int& i) { i = static_cast<int>(Int()); }
  void operator()(std::uint8_t& b) { b = Byte(); }
  void operator()(std::uint16_t& n) { n = static_cast<std::uint16_t>(Size()); }
  void operator()(std::size_t& n) { n = Size(); }
  void operator()(double& d) { d = Double(); }
  void operator()(Date& d) { d = Date::FromDays(static_cast<std::int32_t>(Int())); }
  void operator()(Value& v) { v = ReadValue(*this); }
  template <typename E>
  requires std::is_enum_v<E>
  void operator()(E& e) { e = Enum(LastOf(E{})); }
  template <typename T>
  void operator()(std::optional<T>& o) {
    o.reset();
    if (Bool()) (*this)(o.emplace());
  }
  template <typename T>
  void operator()(std::vector<T>& v) {
    v.resize(Count());
    for (T& x : v) (*this)(x);
  }
  template <typename T, typename U>
  void operator()(std::pair<T, U>& p) {
    (*this)(p.first);
    (*this)(p.second);
  }
  template <typename T>
  requires std::is_class_v<T>
  void operator()(T& x) { Fields(*this, x); }

  bool AtEnd() const { return pos_ == in_.size(); }

  std::size_t Size() {
    if (pos_ < in_.size() && static_cast<std::uint8_t>(in_[pos_]) < 0x80) {
      return static_cast<std::uint8_t>(in_[pos_++]);  // one byte: nearly every count and index
    }
    std::uint64_t n = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t byte = Byte();
      n |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return n;
    }
    throw BadImage();
  }
  // A count of elements each taking at least one byte cannot exceed what is left; checking
  // it first keeps a corrupt count from reserving gigabytes.
  std::size_t Count() {
    const std::size_t n = Size();
    if (n > in_.size() - pos_) throw BadImage();
    return n;
  }
  std::int64_t Int() {
    const std::uint64_t z = Size();
    return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  std::uint8_t Byte() {
    if (pos_ >= in_.size()) throw BadImage();
    return static_cast<std::uint8_t>(in_[pos_++]);
  }
  bool Bool() { return Byte() != 0; }
  double Double() {
    double d;
    std::memcpy(&d, Bytes(sizeof d).data(), sizeof d);
    return d;
  }
  std::string Str() {
    const std::size_t n = Count();
    return std::string(Bytes(n));
  }
  template <typename E>
  E Enum(E last) {
    const std::uint8_t b = Byte();
    if (b > static_cast<std::uint8_t>(last)) throw BadImage();
    return static_cast<E>(b);
  }
  template <typename T, typename F>
  std::vector<T> List(F&& each) {
    const std::size_t n = Count();
    std::vector<T> items;
    items.reserve(n);
    for (std::size_t i = 0; i < n; ++i) items.push_back(each());
    return items;
  }
  std::string_view Bytes(std::size_t n) {
    if (n > in_.size() - pos_) throw BadImage();
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

// Most values are absent literals or one enum index: a mask says which members are set, and
// only those follow.
enum ValueMembers : std::uint8_t {
  kHasBoolean = 1,
  kHasInteger = 2,
  kHasNumber = 4,
  kHasString = 8,
  kHasList = 16,
  kHasRecords = 32
};

void WriteValue(ImageWriter& w, const Value& v) {
  w.Enum(v.kind);
  const std::uint8_t mask = (v.boolean ? kHasBoolean : 0) | (v.integer != 0 ? kHasInteger : 0) |
                            (v.number != 0 ? kHasNumber : 0) |
                            (!v.string.empty() ? kHasString : 0) | (v.list ? kHasList : 0) |
                            (v.records ? kHasRecords : 0);
  w.Byte(mask);
  if (mask & kHasInteger) w.Int(v.integer);
  if (mask & kHasNumber) w.Double(v.number);
  if (mask & kHasString) w.Str(v.string);
  if (mask & kHasList) w.List(*v.list, [&](const Value& item) { WriteValue(w, item); });
  if (mask & kHasRecords) {
    w.List(*v.records, [&](const Value::Record& record) {
      w.List(record, [&](const Value& field) { WriteValue(w, field); });
    });
  }
}

Value ReadValue(ImageReader& r) {
  Value v;
  v.kind = r.Enum(LastOf(Value::Kind{}));
  const std::uint8_t mask = r.Byte();
  v.boolean = mask & kHasBoolean;
  if (mask & kHasInteger) v.integer = r.Int();
  if (mask & kHasNumber) v.number = r.Double();
  if (mask & kHasString) v.string = r.Str();
  if (mask & kHasList) {
    v.list =
        std::make_shared<const std::vector<Value>>(r.List<Value>([&] { return ReadValue(r); }));
  }
  if (mask & kHasRecords) {
    v.records = std::make_shared<const std::vector<Value::Record>>(
        r.List<Value::Record>([&] { return r.List<Value>([&] { return ReadValue(r); }); }));
  }
  return v;
}

// S is T, const or not: one Fields() serves the writer (const) and the reader.
template <typename S, typename T>
concept Is = std::is_same_v<std::remove_const_t<S>, T>;

// Each structure's members, in image order, for writing (A = ImageWriter, S const) and reading
// (A = ImageReader). Ids, list links and field indexes of facts are not members here: see
// WriteFact and ReadFact.
template <typename A, Is<Origin> S>
void Fields(A& a, S& o) {
  a(o.file);
  a(o.offset);
}

template <typename A, Is<Effective> S>
void Fields(A& a, S& e) {
  a(e.from);
  a(e.until);
}

template <typename A, Is<TextTemplate::Segment> S>
void Fields(A& a, S& s) {
  a(s.kind);
  a(s.literal);
  a(s.index);
}

template <typename A, Is<TextTemplate> S>
void Fields(A& a, S& t) {
  a(t.present);
  a(t.segments);
}

template <typename A, Is<Source> S>
void Fields(A& a, S& s) {
  a(s.instrument);
  a(s.section);
  a(s.url);
  a(s.verified);
  a(s.read);
  a(s.origin);
}

template <typename A, Is<Item> S>
void Fields(A& a, S& item) {
  a(item.id);
  a(item.title);
  a(item.kind);
  a(item.condition);
  a(item.at);
  a(item.lets);
  a(item.met_text);
  a(item.unmet_text);
  a(item.unknown_text);
  a(item.sources);
  a(item.effective);
  a(item.is_volatile);
  a(item.origin);
}

template <typename A, Is<Pathway> S>
void Fields(A& a, S& p) {
  a(p.id);
  a(p.title);
  a(p.summary);
  a(p.sponsor);
  a(p.component);
  a(p.effective);
  a(p.items);
  a(p.origin);
}

template <typename A, Is<ExprNode> S>
void Fields(A& a, S& e) {
  a(e.op);
  a(e.type);
  a(e.enum_fact);
  a(e.literal);
  a(e.fact);
  a(e.args);
  a(e.where);
  a(e.of);
}

template <typename A, Is<CondNode> S>
void Fields(A& a, S& c) {
  a(c.op);
  a(c.compare);
  a(c.children);
  a(c.lhs);
  a(c.rhs);
  a(c.set);
  a(c.list);
  a(c.target);
  a(c.item_id);
  a(c.accept);
}

template <typename A, Is<Unsettled> S>
void Fields(A& a, S& u) {
  a(u.id);
  a(u.reason);
  a(u.decides);
}

template <typename A, Is<FactChangeSpec> S>
void Fields(A& a, S& c) {
  a(c.to);
  a(c.step);
  a(c.lead_time_days);
}

template <typename A, Is<Alternatives> S>
void Fields(A& a, S& x) {
  a(x.key);
  a(x.prefix);
  a(x.facts);
  a(x.name);
}

template <typename A, Is<Dating> S>
void Fields(A& a, S& d) {
  a(d.by);
  a(d.values);
  a(d.before);
}

template <typename A, Is<Derivation::Case> S>
void Fields(A& a, S& k) {
  a(k.condition);
  a(k.value);
}

template <typename A, Is<Derivation> S>
void Fields(A& a, S& d) {
  a(d.fact);
  a(d.cases);
}

// The members of a fact that Add and AddField leave as they are.
template <typename A, Is<FactDecl> S>
void Fields(A& a, S& f) {
  a(f.field_name);
  a(f.type);
  a(f.values);
  a(f.item_type);
  a(f.minimum);
  a(f.maximum);
  a(f.unit);
  a(f.description);
  a(f.question);
  a(f.change);
  a(f.dated);
  a(f.example);
  a(f.labels);
  a(f.ask_after);
  a(f.ask_unless);
  a(f.file);
  a(f.offset);
}

void WriteFact(ImageWriter& w, const FactDecl& f) {
  // A field's path, id, list link and index are made again by AddField, in the same order.
  w(f.list);
  if (!f.list) w(f.path);
  w(f);
}

void ReadFact(ImageReader& r, FactDictionary& dictionary) {
  std::optional<FactId> list;
  r(list);
  FactDecl f;
  if (!list) r(f.path);
  r(f);
  if (list) {
    if (*list >= dictionary.facts().size() || !dictionary.AddField(*list, std::move(f))) {
      throw BadImage();
    }
  } else if (!dictionary.Add(std::move(f))) {
    throw BadImage();
  }
}

// In key order, so the same rule set always makes the same image (a reproducible build).
template <typename Map>
void WriteMap(ImageWriter& w, const Map& map) {
  std::vector<const typename Map::value_type*> entries;
  for (const auto& entry : map) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->first < b->first; });
  w.Size(entries.size());
  for (const auto* entry : entries) {
    w(entry->first);
    w(entry->second);
  }
}

template <typename Map>
void ReadMap(ImageReader& r, Map& map) {
  for (std::size_t n = r.Count(); n > 0; --n) {
    std::pair<std::string, typename Map::mapped_type> entry;
    r(entry);
    map.emplace(std::move(entry));
  }
}

// The indexes the evaluator follows without checking (conditions, expressions, pathways) must
// point inside their arrays, or a corrupt image would read out of bounds at evaluation.
void CheckIndexes(const RuleSet& rules) {
  const auto check = [](int index, std::size_t size, bool optional) {
    if ((optional && index == -1)) return;
    if (index < 0 || static_cast<std::size_t>(index) >= size) throw BadImage();
  };
  const std::size_t conditions = rules.conditions.size();
  const std::size_t expressions = rules.expressions.size();
  for (const Pathway& p : rules.pathways) {
    for (const Item& item : p.items) {
      check(item.condition, conditions, true);
      check(item.at, expressions, true);
      for (const auto& let : item.lets) check(let.second, expressions, false);
    }
  }
  for (const ExprNode& e : rules.expressions) {
    for (int a : e.args) check(a, expressions, false);
    check(e.where, conditions, true);
    check(e.of, expressions, true);
    if (e.fact >= rules.dictionary.facts().size()) throw BadImage();
  }
  for (const CondNode& c : rules.conditions) {
    for (int child : c.children) check(child, conditions, false);
    check(c.lhs, expressions, true);
    check(c.rhs, expressions, true);
    if (c.op == CondOp::kPathway || c.op == CondOp::kItem) {
      check(c.target, rules.pathways.size(), false);
    }
    if (c.op == CondOp::kUnsettled) check(c.target, rules.unsettled.size(), false);
  }
  for (int p : rules.evaluation_order) check(p, rules.pathways.size(), false);
  for (std::size_t p : rules.presentation_order) {
    if (p >= rules.pathways.size()) throw BadImage();
  }
  for (const auto& [name, condition] : rules.definitions) check(condition, conditions, false);
  const std::size_t facts = rules.dictionary.facts().size();
  for (const FactDecl& f : rules.dictionary.facts()) {
    if (f.dated && f.dated->by >= facts) throw BadImage();
  }
  for (const Derivation& d : rules.derivations) {
    if (d.fact >= facts) throw BadImage();
    for (const Derivation::Case& k : d.cases) check(k.condition, conditions, false);
  }
}

}  // namespace

std::string RuleSetImage(const RuleSet& rules) {
  ImageWriter w;
  w.Str(kMagic);
  w(rules.name);
  w(rules.version);
  w(rules.description);
  w(rules.root);
  w(rules.Sha256());
  w.List(rules.files, [&](const SourceFile& f) { w(f.name()); });
  w.List(rules.dictionary.facts(), [&](const FactDecl& f) { WriteFact(w, f); });
  w(rules.dictionary.alternatives());
  w(rules.pathways);
  w(rules.evaluation_order);
  w(rules.presentation_order);
  w(rules.expressions);
  w(rules.conditions);
  w(rules.unsettled);
  w(rules.derivations);
  WriteMap(w, rules.definitions);
  WriteMap(w, rules.definition_origins);
  return w.Take();
}

std::optional<RuleSet> RuleSetFromImage(std::string_view image) {
  if (image.empty()) return std::nullopt;
  try {
    ImageReader r(image);
    if (r.Str() != kMagic) return std::nullopt;
    RuleSet rules;
    r(rules.name);
    r(rules.version);
    r(rules.description);
    r(rules.root);
    rules.SetSha256(r.Str());
    rules.files = r.List<SourceFile>([&] { return SourceFile(r.Str(), ""); });
    for (std::size_t n = r.Count(); n > 0; --n) ReadFact(r, rules.dictionary);
    std::optional<Alternatives> alternatives;
    r(alternatives);
    if (alternatives) rules.dictionary.SetAlternatives(std::move(*alternatives));
    r(rules.pathways);
    r(rules.evaluation_order);
    r(rules.presentation_order);
    r(rules.expressions);
    r(rules.conditions);
    r(rules.unsettled);
    r(rules.derivations);
    ReadMap(r, rules.definitions);
    ReadMap(r, rules.definition_origins);
    if (!r.AtEnd()) return std::nullopt;
    CheckIndexes(rules);
    return rules;
  } catch (const BadImage&) {
    return std::nullopt;
  }
}

}  // namespace imgvisa

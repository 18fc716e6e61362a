#include "imgvisa/rule_set_image.h"

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

class ImageWriter {
 public:
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
  void OptDate(const std::optional<Date>& d) {
    Bool(d.has_value());
    if (d) Int(d->days());
  }
  void OptDouble(const std::optional<double>& d) {
    Bool(d.has_value());
    if (d) Double(*d);
  }
  template <typename T, typename F>
  void List(const std::vector<T>& items, F&& each) {
    Size(items.size());
    for (const T& item : items) each(item);
  }
  void Ints(const std::vector<int>& v) {
    List(v, [&](int i) { Int(i); });
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
  std::optional<Date> OptDate() {
    if (!Bool()) return std::nullopt;
    return Date::FromDays(static_cast<std::int32_t>(Int()));
  }
  std::optional<double> OptDouble() {
    if (!Bool()) return std::nullopt;
    return Double();
  }
  template <typename T, typename F>
  std::vector<T> List(F&& each) {
    const std::size_t n = Count();
    std::vector<T> items;
    items.reserve(n);
    for (std::size_t i = 0; i < n; ++i) items.push_back(each());
    return items;
  }
  std::vector<int> Ints() {
    return List<int>([&] { return static_cast<int>(Int()); });
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
  v.kind = r.Enum(Value::Kind::kRecords);
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

void WriteOrigin(ImageWriter& w, const Origin& o) {
  w.Size(o.file);
  w.Size(o.offset);
}
Origin ReadOrigin(ImageReader& r) {
  Origin o;
  o.file = static_cast<std::uint16_t>(r.Size());
  o.offset = r.Size();
  return o;
}

void WriteEffective(ImageWriter& w, const Effective& e) {
  w.OptDate(e.from);
  w.OptDate(e.until);
}
Effective ReadEffective(ImageReader& r) {
  Effective e;
  e.from = r.OptDate();
  e.until = r.OptDate();
  return e;
}

void WriteText(ImageWriter& w, const TextTemplate& t) {
  w.Bool(t.present);
  w.List(t.segments, [&](const TextTemplate::Segment& s) {
    w.Enum(s.kind);
    w.Str(s.literal);
    w.Int(s.index);
  });
}
TextTemplate ReadText(ImageReader& r) {
  TextTemplate t;
  t.present = r.Bool();
  t.segments = r.List<TextTemplate::Segment>([&] {
    TextTemplate::Segment s;
    s.kind = r.Enum(TextTemplate::Segment::Kind::kLet);
    s.literal = r.Str();
    s.index = static_cast<int>(r.Int());
    return s;
  });
  return t;
}

void WriteFact(ImageWriter& w, const FactDecl& f) {
  // Ids, list links and field indexes are not written: FactDictionary::Add and AddField
  // assign them again, in the same order.
  w.Bool(f.list.has_value());
  if (f.list) w.Size(*f.list);
  w.Str(f.list ? std::string() : f.path);  // a field's path is made by AddField
  w.Str(f.field_name);
  w.Enum(f.type);
  w.List(f.values, [&](const std::string& s) { w.Str(s); });
  w.Bool(f.item_type.has_value());
  if (f.item_type) w.Enum(*f.item_type);
  w.OptDouble(f.minimum);
  w.OptDouble(f.maximum);
  w.Str(f.unit);
  w.Str(f.description);
  w.Str(f.question);
  w.Bool(f.change.has_value());
  if (f.change) {
    WriteValue(w, f.change->to);
    w.Str(f.change->step);
    w.Int(f.change->lead_time_days);
  }
  w.Str(f.example);
  w.Str(f.file);
  w.Size(f.offset);
}

void ReadFact(ImageReader& r, FactDictionary& dictionary) {
  FactDecl f;
  std::optional<FactId> list;
  if (r.Bool()) list = static_cast<FactId>(r.Size());
  f.path = r.Str();
  f.field_name = r.Str();
  f.type = r.Enum(ValueType::kList);
  f.values = r.List<std::string>([&] { return r.Str(); });
  if (r.Bool()) f.item_type = r.Enum(ValueType::kList);
  f.minimum = r.OptDouble();
  f.maximum = r.OptDouble();
  f.unit = r.Str();
  f.description = r.Str();
  f.question = r.Str();
  if (r.Bool()) {
    FactChangeSpec change;
    change.to = ReadValue(r);
    change.step = r.Str();
    change.lead_time_days = static_cast<int>(r.Int());
    f.change = std::move(change);
  }
  f.example = r.Str();
  f.file = r.Str();
  f.offset = r.Size();
  if (list) {
    if (*list >= dictionary.facts().size() || !dictionary.AddField(*list, std::move(f))) {
      throw BadImage();
    }
  } else if (!dictionary.Add(std::move(f))) {
    throw BadImage();
  }
}

void WriteItem(ImageWriter& w, const Item& item) {
  w.Str(item.id);
  w.Str(item.title);
  w.Enum(item.kind);
  w.Int(item.condition);
  w.List(item.lets, [&](const std::pair<std::string, int>& let) {
    w.Str(let.first);
    w.Int(let.second);
  });
  WriteText(w, item.met_text);
  WriteText(w, item.unmet_text);
  WriteText(w, item.unknown_text);
  w.List(item.sources, [&](const Source& s) {
    w.Str(s.instrument);
    w.Str(s.section);
    w.Str(s.url);
    w.Int(s.verified.days());
    WriteOrigin(w, s.origin);
  });
  WriteEffective(w, item.effective);
  w.Bool(item.is_volatile);
  WriteOrigin(w, item.origin);
}

Item ReadItem(ImageReader& r) {
  Item item;
  item.id = r.Str();
  item.title = r.Str();
  item.kind = r.Enum(ItemKind::kConsequence);
  item.condition = static_cast<int>(r.Int());
  item.lets = r.List<std::pair<std::string, int>>([&] {
    std::string name = r.Str();
    return std::pair<std::string, int>(std::move(name), static_cast<int>(r.Int()));
  });
  item.met_text = ReadText(r);
  item.unmet_text = ReadText(r);
  item.unknown_text = ReadText(r);
  item.sources = r.List<Source>([&] {
    Source s;
    s.instrument = r.Str();
    s.section = r.Str();
    s.url = r.Str();
    s.verified = Date::FromDays(static_cast<std::int32_t>(r.Int()));
    s.origin = ReadOrigin(r);
    return s;
  });
  item.effective = ReadEffective(r);
  item.is_volatile = r.Bool();
  item.origin = ReadOrigin(r);
  return item;
}

void WriteExpression(ImageWriter& w, const ExprNode& e) {
  w.Enum(e.op);
  w.Enum(e.type);
  w.Int(e.enum_fact);
  WriteValue(w, e.literal);
  w.Size(e.fact);
  w.Ints(e.args);
  w.Int(e.where);
  w.Int(e.of);
}

ExprNode ReadExpression(ImageReader& r) {
  ExprNode e;
  e.op = r.Enum(ExprOp::kCoalesce);
  e.type = r.Enum(ValueType::kList);
  e.enum_fact = static_cast<int>(r.Int());
  e.literal = ReadValue(r);
  e.fact = static_cast<FactId>(r.Size());
  e.args = r.Ints();
  e.where = static_cast<int>(r.Int());
  e.of = static_cast<int>(r.Int());
  return e;
}

void WriteCondition(ImageWriter& w, const CondNode& c) {
  w.Enum(c.op);
  w.Enum(c.compare);
  w.Ints(c.children);
  w.Int(c.lhs);
  w.Int(c.rhs);
  w.List(c.set, [&](const Value& v) { WriteValue(w, v); });
  w.Size(c.list);
  w.Int(c.target);
  w.Str(c.item_id);
  w.Byte(c.accept);
}

CondNode ReadCondition(ImageReader& r) {
  CondNode c;
  c.op = r.Enum(CondOp::kUnsettled);
  c.compare = r.Enum(CompareOp::kGe);
  c.children = r.Ints();
  c.lhs = static_cast<int>(r.Int());
  c.rhs = static_cast<int>(r.Int());
  c.set = r.List<Value>([&] { return ReadValue(r); });
  c.list = static_cast<FactId>(r.Size());
  c.target = static_cast<int>(r.Int());
  c.item_id = r.Str();
  c.accept = r.Byte();
  return c;
}

// In key order, so the same rule set always makes the same image (a reproducible build).
template <typename Map, typename F>
void WriteMap(ImageWriter& w, const Map& map, F&& each_value) {
  std::vector<const typename Map::value_type*> entries;
  for (const auto& entry : map) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->first < b->first; });
  w.Size(entries.size());
  for (const auto* entry : entries) {
    w.Str(entry->first);
    each_value(entry->second);
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
}

}  // namespace

std::string RuleSetImage(const RuleSet& rules) {
  ImageWriter w;
  w.Str(kMagic);
  w.Str(rules.name);
  w.Str(rules.version);
  w.Str(rules.description);
  w.Str(rules.root);
  w.Str(rules.Sha256());
  w.List(rules.files, [&](const SourceFile& f) { w.Str(f.name()); });
  w.List(rules.dictionary.facts(), [&](const FactDecl& f) { WriteFact(w, f); });
  w.List(rules.pathways, [&](const Pathway& p) {
    w.Str(p.id);
    w.Str(p.title);
    w.Str(p.summary);
    w.Str(p.sponsor);
    w.Bool(p.component);
    WriteEffective(w, p.effective);
    w.List(p.items, [&](const Item& item) { WriteItem(w, item); });
    WriteOrigin(w, p.origin);
  });
  w.Ints(rules.evaluation_order);
  w.List(rules.presentation_order, [&](std::size_t i) { w.Size(i); });
  w.List(rules.expressions, [&](const ExprNode& e) { WriteExpression(w, e); });
  w.List(rules.conditions, [&](const CondNode& c) { WriteCondition(w, c); });
  w.List(rules.unsettled, [&](const Unsettled& u) {
    w.Str(u.id);
    w.Str(u.reason);
    w.Str(u.decides);
  });
  WriteMap(w, rules.definitions, [&](int condition) { w.Int(condition); });
  WriteMap(w, rules.definition_origins, [&](const Origin& o) { WriteOrigin(w, o); });
  return w.Take();
}

std::optional<RuleSet> RuleSetFromImage(std::string_view image) {
  if (image.empty()) return std::nullopt;
  try {
    ImageReader r(image);
    if (r.Str() != kMagic) return std::nullopt;
    RuleSet rules;
    rules.name = r.Str();
    rules.version = r.Str();
    rules.description = r.Str();
    rules.root = r.Str();
    rules.SetSha256(r.Str());
    rules.files = r.List<SourceFile>([&] { return SourceFile(r.Str(), ""); });
    for (std::size_t n = r.Count(); n > 0; --n) ReadFact(r, rules.dictionary);
    rules.pathways = r.List<Pathway>([&] {
      Pathway p;
      p.id = r.Str();
      p.title = r.Str();
      p.summary = r.Str();
      p.sponsor = r.Str();
      p.component = r.Bool();
      p.effective = ReadEffective(r);
      p.items = r.List<Item>([&] { return ReadItem(r); });
      p.origin = ReadOrigin(r);
      return p;
    });
    rules.evaluation_order = r.Ints();
    rules.presentation_order = r.List<std::size_t>([&] { return r.Size(); });
    rules.expressions = r.List<ExprNode>([&] { return ReadExpression(r); });
    rules.conditions = r.List<CondNode>([&] { return ReadCondition(r); });
    rules.unsettled = r.List<Unsettled>([&] {
      Unsettled u;
      u.id = r.Str();
      u.reason = r.Str();
      u.decides = r.Str();
      return u;
    });
    for (std::size_t n = r.Count(); n > 0; --n) {
      std::string name = r.Str();
      rules.definitions.emplace(std::move(name), static_cast<int>(r.Int()));
    }
    for (std::size_t n = r.Count(); n > 0; --n) {
      std::string name = r.Str();
      rules.definition_origins.emplace(std::move(name), ReadOrigin(r));
    }
    if (!r.AtEnd()) return std::nullopt;
    CheckIndexes(rules);
    return rules;
  } catch (const BadImage&) {
    return std::nullopt;
  }
}

}  // namespace imgvisa

#include "profile/key_tree.h"

#include <algorithm>
#include <cstring>

namespace imgvisa {
namespace {

// Where a key goes in a node's table (see KeyTree::Node): cheap, and different for the keys of
// every node of the dictionary in practice; collisions are probed past.
std::size_t KeyHash(std::string_view key) {
  if (key.empty()) return 0;
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(key[i]); };
  std::size_t h = key.size();
  h = h * 131 + byte(0);
  h = h * 131 + byte(key.size() / 2);
  h = h * 131 + byte(key.size() - 1);
  return h;
}

}  // namespace

KeyTree::PackedBytes KeyTree::PackedBytes::Of(std::string_view bytes) {
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

KeyTree::KeyTree(const FactDictionary& dictionary) {
  AddNode();
  MemberOf(0, "$id").kind = Member::Kind::kId;
  MemberOf(0, "$schema").kind = Member::Kind::kIgnored;
  MemberOf(0, "$comment").kind = Member::Kind::kIgnored;
  for (std::size_t f = 0; f < dictionary.facts().size(); ++f) {
    // A record's field is read with its list.
    if (!dictionary.facts()[f].list) AddFact(dictionary, static_cast<FactId>(f));
  }
  Index();
}

void KeyTree::AddFact(const FactDictionary& dictionary, FactId f) {
  const FactDecl& decl = dictionary.at(f);
  int node = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = decl.path.find('.', start);
    const std::string_view segment =
        std::string_view(decl.path).substr(start, dot == std::string::npos ? dot : dot - start);
    if (dot == std::string::npos) break;
    // No reference into nodes_ is held across AddNode, which may move them.
    int child = MemberOf(node, segment).node;
    if (child < 0) {
      child = AddNode();
      MemberOf(node, segment).node = child;
    }
    node = child;
    start = dot + 1;
  }
  // FactsFromJson takes a path that names a fact as that fact, even if deeper facts start
  // with it.
  const int fields = decl.is_record_list() ? AddNode() : -1;
  for (FactId field : decl.fields) {
    Member& fm = MemberOf(fields, dictionary.at(field).field_name);
    fm.kind = Member::Kind::kFact;
    fm.fact = field;
    fm.spec = SpecOf(dictionary.at(field));
  }
  Member& m = MemberOf(node, std::string_view(decl.path).substr(start));
  m.kind = Member::Kind::kFact;
  m.fact = f;
  m.spec = SpecOf(decl);
  if (fields >= 0) m.node = fields;
}

void KeyTree::Index() {
  std::size_t slots = 0;
  for (Node& n : nodes_) {
    for (Member& m : n.members) {
      m.slot = static_cast<std::uint32_t>(slots++);
      m.plain = std::all_of(m.key.begin(), m.key.end(),
                            [](char c) { return kPlainBytes[static_cast<unsigned char>(c)]; });
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

KeyTree::Member* KeyTree::Node::Find(std::string_view key) {
  const std::size_t mask = table.size() - 1;
  for (std::size_t h = KeyHash(key) & mask;; h = (h + 1) & mask) {
    if (table[h] < 0) return nullptr;
    Member& m = members[static_cast<std::size_t>(table[h])];
    if (m.key == key) return &m;
  }
}

KeyTree::ValueSpec KeyTree::SpecOf(const FactDecl& decl) {
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

int KeyTree::EnumIndex(const ValueSpec& spec, std::string_view value) const {
  const EnumValue* const values = enum_values_.data() + spec.enum_first;
  for (std::size_t i = 0; i < spec.enum_count; ++i) {
    if (values[i].size == value.size() &&
        std::memcmp(enum_text_.data() + values[i].offset, value.data(), value.size()) == 0) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

int KeyTree::AddNode() {
  nodes_.emplace_back();
  return static_cast<int>(nodes_.size() - 1);
}

KeyTree::Member& KeyTree::MemberOf(int node, std::string_view key) {
  std::vector<Member>& members = nodes_[static_cast<std::size_t>(node)].members;
  for (Member& m : members) {
    if (m.key == key) return m;
  }
  Member& m = members.emplace_back();
  m.key = std::string(key);
  return m;
}

}  // namespace imgvisa

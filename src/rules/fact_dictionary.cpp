#include "imgvisa/rules/fact_dictionary.h"

#include <algorithm>

namespace imgvisa {

int FactDecl::EnumIndex(std::string_view value) const {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] == value) return static_cast<int>(i);
  }
  return -1;
}

std::optional<FactId> FactDictionary::Find(std::string_view path) const {
  auto it = by_path_.find(std::string(path));
  if (it == by_path_.end()) return std::nullopt;
  return it->second;
}

std::optional<FactId> FactDictionary::FindField(FactId list, std::string_view name) const {
  for (FactId field : facts_[list].fields) {
    if (facts_[field].field_name == name) return field;
  }
  return std::nullopt;
}

const std::vector<std::string>* FactDictionary::ChildrenOf(const std::string& prefix) const {
  auto it = children_.find(prefix);
  return it == children_.end() ? nullptr : &it->second;
}

void FactDictionary::Index(const std::string& path) {
  std::string prefix;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    const std::string segment = path.substr(start, dot == std::string::npos ? dot : dot - start);
    if (nodes_.insert(path.substr(0, dot)).second) children_[prefix].push_back(segment);
    if (dot == std::string::npos) break;
    prefix = path.substr(0, dot);
    start = dot + 1;
  }
}

std::optional<FactId> FactDictionary::Add(FactDecl decl) {
  if (full() || by_path_.count(decl.path) || children_.count(decl.path)) return std::nullopt;
  // A path may not be both a fact and the prefix of another ("school" and "school.country").
  for (std::size_t dot = decl.path.find('.'); dot != std::string::npos;
       dot = decl.path.find('.', dot + 1)) {
    if (by_path_.count(decl.path.substr(0, dot))) return std::nullopt;
  }
  const FactId id = static_cast<FactId>(facts_.size());
  by_path_.emplace(decl.path, id);
  Index(decl.path);
  facts_.push_back(std::move(decl));
  return id;
}

std::optional<FactId> FactDictionary::AddField(FactId list, FactDecl decl) {
  if (full() || FindField(list, decl.field_name)) return std::nullopt;
  decl.path = facts_[list].path + "[]." + decl.field_name;
  decl.list = list;
  decl.field_index = facts_[list].fields.size();
  const FactId id = static_cast<FactId>(facts_.size());
  by_path_.emplace(decl.path, id);
  facts_.push_back(std::move(decl));
  facts_[list].fields.push_back(id);
  return id;
}

}  // namespace imgvisa

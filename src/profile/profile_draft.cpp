#include "imgvisa/profile/profile_draft.h"

#include "imgvisa/profile/facts_from_json.h"

namespace imgvisa {

using json = nlohmann::ordered_json;

void ProfileDraft::Set(FactId fact, json value) { answers_[fact] = std::move(value); }

void ProfileDraft::AddRecord(FactId list) { answers_[list].push_back(json::object()); }

void ProfileDraft::SetField(FactId field, json value) {
  const FactDecl& decl = dictionary_->at(field);
  answers_[*decl.list].back()[decl.field_name] = std::move(value);
}

std::size_t ProfileDraft::RecordCount(FactId list) const {
  const auto it = answers_.find(list);
  return it == answers_.end() ? 0 : it->second.size();
}

json ProfileDraft::ToJson() const {
  json profile = base_.is_object() ? base_ : json::object();
  for (const auto& [fact, value] : answers_) {
    SetProfileValue(profile, dictionary_->at(fact).path, value);
  }
  return profile;
}

std::string ProfileDraft::Text() const {
  return ToJson().dump(2, ' ', false, json::error_handler_t::replace);
}

Facts ProfileDraft::ToFacts() const {
  // Every answer was accepted by this same loader (ParseAnswer), so the profile loads.
  return FactsFromJson(*dictionary_, SourceFile("answers", Text())).facts;
}

const json* ProfileValueAt(const json& profile, const std::string& path) {
  const json* at = &profile;
  std::size_t start = 0;
  while (true) {
    if (!at->is_object()) return nullptr;
    const std::size_t dot = path.find('.', start);
    const auto it = at->find(path.substr(start, dot == std::string::npos ? dot : dot - start));
    if (it == at->end()) return nullptr;
    if (dot == std::string::npos) return &*it;
    at = &*it;
    start = dot + 1;
  }
}

void SetProfileValue(json& profile, const std::string& path, json value) {
  json* at = &profile;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? dot : dot - start);
    if (dot == std::string::npos) {
      (*at)[key] = std::move(value);
      return;
    }
    json& next = (*at)[key];
    if (!next.is_object()) next = json::object();
    at = &next;
    start = dot + 1;
  }
}

}  // namespace imgvisa

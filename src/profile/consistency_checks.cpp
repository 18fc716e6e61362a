#include "imgvisa/profile/consistency_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

#include "imgvisa/base/json_document.h"

namespace imgvisa {

namespace {

struct DateOrderSpec {
  const char* code;
  const char* earlier;
  const char* later;
  const char* why;
  bool img_only;
};

// docs/diagnostics.md lists these, one row each; W001 and W007 are checked on their own.
constexpr DateOrderSpec kDateOrders[] = {
    {"W002", "offer.start", "offer.end", "a position cannot end before it starts", false},
    {"W003", "ecfmg.certificate.issued_on", "ecfmg.certificate.valid_until",
     "a certificate cannot expire before it is issued", false},
    {"W004", "usmle.step1.date", "ecfmg.certificate.issued_on",
     "ECFMG certifies only after Step 1 is passed", false},
    {"W005", "usmle.step2ck.date", "ecfmg.certificate.issued_on",
     "ECFMG certifies only after Step 2 CK is passed", false},
    {"W006", "graduation.date", "ecfmg.certificate.issued_on",
     "ECFMG certifies only after the medical degree is conferred", false},
    {"W008", "ecfmg.certificate.issued_on", "usmle.step3.date",
     "a graduate of a school outside the US and Canada can sit Step 3 only once certified by "
     "ECFMG",
     true},
    {"W009", "graduation.date", "usmle.step3.date", "Step 3 requires the medical degree", false},
    {"W010", "graduation.date", "waiver.residency_end",
     "residency training follows the medical degree", false},
};

bool IsDate(const Value& v) { return v.kind == Value::Kind::kDate; }

std::optional<FactId> FactOfType(const FactDictionary& dictionary, std::string_view path,
                                 ValueType type) {
  std::optional<FactId> id = dictionary.Find(path);
  if (id && dictionary.at(*id).type != type) return std::nullopt;
  return id;
}

std::optional<FactId> FieldOfType(const FactDictionary& dictionary, std::optional<FactId> list,
                                  std::string_view name, ValueType type) {
  if (!list) return std::nullopt;
  std::optional<FactId> id = dictionary.FindField(*list, name);
  if (id && dictionary.at(*id).type != type) return std::nullopt;
  return id;
}

}  // namespace

ConsistencyChecks::ConsistencyChecks(const FactDictionary& dictionary) : dictionary_(dictionary) {
  for (const DateOrderSpec& spec : kDateOrders) {
    auto earlier = FactOfType(dictionary, spec.earlier, ValueType::kDate);
    auto later = FactOfType(dictionary, spec.later, ValueType::kDate);
    if (earlier && later) {
      date_orders_.push_back({spec.code, *earlier, *later, spec.why, spec.img_only});
    }
  }
  history_ = dictionary.Find("immigration.history");
  if (history_ && !dictionary.at(*history_).is_record_list()) history_.reset();
  history_start_ = FieldOfType(dictionary, history_, "start", ValueType::kDate);
  history_end_ = FieldOfType(dictionary, history_, "end", ValueType::kDate);
  // A country code, or a plain string in a rule set that predates the country type.
  school_country_ = FactOfType(dictionary, "school.country", ValueType::kCountry);
  if (!school_country_)
    school_country_ = FactOfType(dictionary, "school.country", ValueType::kString);
  step3_status_ = FactOfType(dictionary, "usmle.step3.status", ValueType::kEnum);
  step3_date_ = FactOfType(dictionary, "usmle.step3.date", ValueType::kDate);
  certificate_status_ = FactOfType(dictionary, "ecfmg.certificate.status", ValueType::kEnum);
  if (step3_status_) passed_ = dictionary.at(*step3_status_).EnumIndex("passed");
  if (certificate_status_) {
    not_issued_ = dictionary.at(*certificate_status_).EnumIndex("not_issued");
    issued_ = dictionary.at(*certificate_status_).EnumIndex("issued");
    expired_ = dictionary.at(*certificate_status_).EnumIndex("expired");
  }
}

void ConsistencyChecks::Find(const Facts& facts, std::vector<FactConflict>& out) const {
  out.clear();
  FindPeriods(facts, out);
  FindDateOrders(facts, out);
  FindStep3WithoutCertificate(facts, out);
  FindCertificateOfNonImg(facts, out);
  std::stable_sort(out.begin(), out.end(), [](const FactConflict& a, const FactConflict& b) {
    return a.warning.code < b.warning.code;
  });
}

bool ConsistencyChecks::IsImg(const Facts& facts) const {
  if (!school_country_) return false;
  const Value& country = facts.values[*school_country_];
  return country.known() && country.string != "US" && country.string != "CA";
}

std::string ConsistencyChecks::Name(const FactRef& ref) const {
  const FactDecl& decl = dictionary_.at(ref.fact);
  if (!ref.record || !decl.list) return decl.path;
  return fmt::format("{}[{}].{}", dictionary_.at(*decl.list).path, *ref.record, decl.field_name);
}

FactConflict ConsistencyChecks::Conflict(const char* code, std::string message,
                                         std::vector<FactRef> refs) const {
  FactConflict c;
  c.warning.severity = Severity::kWarning;
  c.warning.code = code;
  c.warning.message = std::move(message);
  for (const FactRef& ref : refs) c.fact_names.push_back(Name(ref));
  c.facts = std::move(refs);
  return c;
}

void ConsistencyChecks::FindDateOrders(const Facts& facts, std::vector<FactConflict>& out) const {
  for (const DateOrder& order : date_orders_) {
    const Value& earlier = facts.values[order.earlier];
    const Value& later = facts.values[order.later];
    if (!IsDate(earlier) || !IsDate(later) || later.integer >= earlier.integer) continue;
    if (order.img_only && !IsImg(facts)) continue;
    const FactRef first{order.later, std::nullopt}, second{order.earlier, std::nullopt};
    out.push_back(Conflict(
        order.code,
        fmt::format("{} ({}) is before {} ({}): {}; both are treated as unknown", Name(first),
                    later.date().ToString(), Name(second), earlier.date().ToString(), order.why),
        {first, second}));
  }
}

// W001: a period of the immigration history that ends before it starts. One warning names the
// first such period and counts the others; every one of them loses its two dates.
void ConsistencyChecks::FindPeriods(const Facts& facts, std::vector<FactConflict>& out) const {
  if (!history_start_ || !history_end_) return;
  const Value& history = facts.values[*history_];
  if (history.kind != Value::Kind::kRecords || !history.records) return;
  const std::size_t start = dictionary_.at(*history_start_).field_index;
  const std::size_t end = dictionary_.at(*history_end_).field_index;
  std::vector<FactRef> refs;
  std::optional<std::size_t> first;
  for (std::size_t i = 0; i < history.records->size(); ++i) {
    const Value::Record& r = (*history.records)[i];
    if (end >= r.size() || start >= r.size()) continue;
    if (!IsDate(r[start]) || !IsDate(r[end]) || r[end].integer >= r[start].integer) continue;
    if (!first) first = i;
    refs.push_back({*history_end_, i});
    refs.push_back({*history_start_, i});
  }
  if (!first) return;
  const Value::Record& r = (*history.records)[*first];
  std::string message = fmt::format(
      "{} ({}) is before {} ({}): a period cannot end before it starts; both are "
      "treated as unknown",
      Name(refs[0]), r[end].date().ToString(), Name(refs[1]), r[start].date().ToString());
  if (const std::size_t more = refs.size() / 2 - 1; more > 0) {
    message += fmt::format(", as are the dates of {} more period{} ending before {} start{}", more,
                           more == 1 ? "" : "s", more == 1 ? "its" : "their", more == 1 ? "" : "s");
  }
  out.push_back(Conflict("W001", std::move(message), std::move(refs)));
}

// W007: Step 3 passed without an ECFMG certificate, for a graduate of a school outside the US and
// Canada (the rules' is_img); with the school's country unknown nothing is said.
void ConsistencyChecks::FindStep3WithoutCertificate(const Facts& facts,
                                                    std::vector<FactConflict>& out) const {
  if (!step3_status_ || !certificate_status_ || passed_ < 0 || not_issued_ < 0) return;
  const Value& step3 = facts.values[*step3_status_];
  const Value& certificate = facts.values[*certificate_status_];
  if (step3.kind != Value::Kind::kEnum || step3.integer != passed_) return;
  if (certificate.kind != Value::Kind::kEnum || certificate.integer != not_issued_) return;
  if (!IsImg(facts)) return;
  std::vector<FactRef> refs = {{*step3_status_, std::nullopt},
                               {*certificate_status_, std::nullopt}};
  if (step3_date_ && facts.values[*step3_date_].known())
    refs.push_back({*step3_date_, std::nullopt});
  out.push_back(Conflict(
      "W007",
      fmt::format("usmle.step3.status is passed while ecfmg.certificate.status is not_issued: a "
                  "graduate of a school outside the US and Canada ({}) can sit Step 3 only once "
                  "certified by ECFMG; the Step 3 pass and the certificate status are treated as "
                  "unknown",
                  EscapeForDisplay(facts.values[*school_country_].string)),
      std::move(refs)));
}

// W011: an ECFMG certificate for a graduate of a school in the US or Canada. ECFMG certifies
// only graduates of schools outside both, so either the school or the certificate is wrong, and
// the certificate would otherwise settle that the person is an IMG
// (ecfmg-certification/img-school).
void ConsistencyChecks::FindCertificateOfNonImg(const Facts& facts,
                                                std::vector<FactConflict>& out) const {
  if (!school_country_ || !certificate_status_) return;
  const Value& country = facts.values[*school_country_];
  const Value& certificate = facts.values[*certificate_status_];
  if (!country.known() || (country.string != "US" && country.string != "CA")) return;
  if (certificate.kind != Value::Kind::kEnum) return;
  if (certificate.integer != issued_ && certificate.integer != expired_) return;
  out.push_back(Conflict(
      "W011",
      fmt::format("ecfmg.certificate.status is {} while school.country is {}: ECFMG certifies only "
                  "graduates of schools outside the US and Canada; the school's country and the "
                  "certificate status are treated as unknown",
                  certificate.integer == issued_ ? "issued" : "expired", country.string),
      {{*certificate_status_, std::nullopt}, {*school_country_, std::nullopt}}));
}

void ClearConflictingFacts(const std::vector<FactConflict>& conflicts,
                           const FactDictionary& dictionary, Facts& facts) {
  // Records are shared and immutable: a list loses its fields in a copy, made once per list.
  std::vector<std::pair<FactId, std::shared_ptr<std::vector<Value::Record>>>> copies;
  for (const FactConflict& c : conflicts) {
    for (const FactRef& ref : c.facts) {
      const FactDecl& decl = dictionary.at(ref.fact);
      if (!ref.record || !decl.list) {
        facts.values[ref.fact] = Value();
        continue;
      }
      Value& list = facts.values[*decl.list];
      if (list.kind != Value::Kind::kRecords || !list.records) continue;
      auto it = std::find_if(copies.begin(), copies.end(),
                             [&](const auto& copy) { return copy.first == *decl.list; });
      if (it == copies.end()) {
        auto copy = std::make_shared<std::vector<Value::Record>>(*list.records);
        list.records = copy;
        it = copies.insert(copies.end(), {*decl.list, std::move(copy)});
      }
      std::vector<Value::Record>& records = *it->second;
      if (*ref.record < records.size() && decl.field_index < records[*ref.record].size()) {
        records[*ref.record][decl.field_index] = Value();
      }
    }
  }
}

namespace {

using json = nlohmann::ordered_json;

// The JSON Pointer of fact `path` in a profile's object, whose keys may nest ("a": {"b": …}) or
// join with dots ("a.b": …), as the profile reader takes them.
std::optional<std::string> PointerOf(const json& object, const std::string& prefix,
                                     const std::string& pointer, std::string_view path) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string full = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (full == path) return AppendPointer(pointer, it.key());
    if (it.value().is_object() && path.size() > full.size() && path[full.size()] == '.' &&
        path.compare(0, full.size(), full) == 0) {
      if (auto found = PointerOf(it.value(), full, AppendPointer(pointer, it.key()), path)) {
        return found;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

void LocateFactConflicts(std::vector<FactConflict>& conflicts, const FactDictionary& dictionary,
                         const SourceFile& profile) {
  if (conflicts.empty()) return;
  std::vector<Diagnostic> ignored;
  const JsonDocument doc = ParseJson(profile, ignored, true);
  std::vector<Diagnostic> warnings;
  for (FactConflict& c : conflicts) {
    Diagnostic& w = c.warning;
    w.file = profile.name();
    w.offset = 0;
    if (doc.ok && doc.value.is_object() && !c.facts.empty()) {
      const FactRef& ref = c.facts.front();
      const FactDecl& decl = dictionary.at(ref.fact);
      const std::string& path =
          ref.record && decl.list ? dictionary.at(*decl.list).path : decl.path;
      if (std::optional<std::string> pointer = PointerOf(doc.value, "", "", path)) {
        if (ref.record && decl.list) {
          *pointer = AppendPointer(AppendPointer(*pointer, *ref.record), decl.field_name);
        }
        w.offset = doc.OffsetOf(*pointer);
      }
    }
    warnings.push_back(std::move(w));
  }
  Locate(warnings, profile);
  for (std::size_t i = 0; i < conflicts.size(); ++i) conflicts[i].warning = std::move(warnings[i]);
}

}  // namespace imgvisa

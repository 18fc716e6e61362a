#include "cli/interview.h"

#include "imgvisa/engine/evaluator.h"
#include "imgvisa/engine/questions.h"

namespace imgvisa {
namespace {

using json = nlohmann::ordered_json;

// What an answer puts in the profile: its value, or null for don't know.
json ValueOf(const Answer& answer) {
  return answer.kind == Answer::Kind::kValue ? answer.value : json(nullptr);
}

std::optional<FactId> First(const std::vector<Question>& ranked) {
  if (ranked.empty()) return std::nullopt;
  return ranked.front().fact;
}

}  // namespace

Interview::Interview(const RuleSet& rules, std::vector<std::size_t> selection, Date as_of,
                     json resumed)
    : rules_(rules),
      selection_(std::move(selection)),
      as_of_(as_of),
      profile_(rules.dictionary, resumed),
      facts_(profile_.ToFacts()),
      verdicts_(Evaluate(rules_, facts_, as_of_)) {
  const std::vector<FactDecl>& facts = rules.dictionary.facts();
  for (std::size_t f = 0; f < facts.size(); ++f) {
    if (!facts[f].list && ProfileValueAt(resumed, facts[f].path) != nullptr) {
      asked_.insert(static_cast<FactId>(f));
    }
  }
}

std::optional<FactId> Interview::Next() const {
  return First(RankQuestions(rules_, facts_, verdicts_, selection_, asked_));
}

std::size_t Interview::OpenQuestions() const {
  return RankQuestions(rules_, facts_, verdicts_, selection_, asked_).size();
}

std::vector<VerdictChange> Interview::AnswerFact(FactId fact, const Answer& answer) {
  profile_.Set(fact, ValueOf(answer));
  asked_.insert(fact);
  ++answered_;
  return Update();
}

std::vector<VerdictChange> Interview::AnswerHasRecords(FactId list, const Answer& answer) {
  asked_.insert(list);
  ++answered_;
  if (answer.kind != Answer::Kind::kValue) {
    profile_.Set(list, nullptr);
    return Update();
  }
  profile_.Set(list, json::array());
  if (!answer.value.get<bool>()) return Update();
  return AddRecord(list);
}

std::vector<VerdictChange> Interview::AddRecord(FactId list) {
  profile_.AddRecord(list);
  asked_in_record_ = asked_;
  return Update();
}

std::optional<FactId> Interview::NextField(FactId list) const {
  return First(RankQuestions(rules_, facts_, verdicts_, selection_, asked_in_record_, list));
}

std::vector<VerdictChange> Interview::AnswerField(FactId field, const Answer& answer) {
  profile_.SetField(field, ValueOf(answer));
  asked_in_record_.insert(field);
  ++answered_;
  return Update();
}

bool Interview::WorthAnotherRecord(FactId list) const {
  ProfileDraft more = profile_;
  more.AddRecord(list);
  const Facts facts = more.ToFacts();
  return !RankQuestions(rules_, facts, Evaluate(rules_, facts, as_of_), selection_, asked_, list)
              .empty();
}

bool Interview::AnyOpen() const {
  for (std::size_t p : selection_) {
    if (IsOpen(verdicts_[p].kind)) return true;
  }
  return false;
}

std::vector<VerdictChange> Interview::Update() {
  facts_ = profile_.ToFacts();
  std::vector<Verdict> now = Evaluate(rules_, facts_, as_of_);
  std::vector<VerdictChange> changes;
  for (std::size_t p : selection_) {
    if (now[p].kind != verdicts_[p].kind) changes.push_back({p, verdicts_[p].kind, now[p].kind});
  }
  verdicts_ = std::move(now);
  return changes;
}

}  // namespace imgvisa

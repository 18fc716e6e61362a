#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "imgvisa/base/date.h"
#include "imgvisa/engine/verdict.h"
#include "imgvisa/rules/rule_set.h"

namespace imgvisa {

/// Writes the NDJSON `result` record of `imgvisa check` (docs/cli.md) straight into a string,
/// byte for byte what building the record with VerdictToJson and CitedSources and dumping it
/// gives, without
/// building it: everything that depends only on the rule set (item ids, titles, sources,
/// questions) is rendered once, when the writer is made, and a record is then mostly copies of
/// those fragments.
class ResultWriter {
 public:
  explicit ResultWriter(const RuleSet& rules);

  /// Appends one record and its newline to `out`. `line` is the NDJSON line (0: none), `id`
  /// the profile's "$id" (empty: none), `selection` the pathways to print, in order.
  void AppendResult(std::string& out, std::string_view input, std::size_t line, std::string_view id,
                    Date as_of, const std::vector<Verdict>& verdicts,
                    const std::vector<std::size_t>& selection) const;

  /// The record up to and including `"verdicts":[`; AppendVerdict then writes each element.
  void AppendRecordHead(std::string& out, std::string_view input, std::size_t line,
                        std::string_view id, Date as_of) const;
  /// One element of "verdicts", as VerdictToJson dumps it.
  void AppendVerdict(std::string& out, const Verdict& verdict) const;
  /// One element of "verdicts" of a summary record, as VerdictSummaryToJson dumps it.
  void AppendVerdictSummary(std::string& out, const Verdict& verdict) const;
  /// `,"sources":{…}`: the sources the shown items of the selected verdicts cite, each once, in
  /// the order first cited (as CitedSources lists them).
  void AppendSources(std::string& out, const std::vector<Verdict>& verdicts,
                     const std::vector<std::size_t>& selection) const;

 private:
  /// The ids of the decisive items and the closing bracket of "decisive" (its opening is part
  /// of the head), then "whichever_way" and the alternative ("offer") when the verdict has them.
  void AppendItemLists(std::string& out, const Verdict& verdict) const;

  struct ItemParts {
    std::string head;                    ///< {"id":…,"kind":…,"title":…,"status":"
    std::string tail;                    ///< "sources":[…] (their ids) and "volatile", then }
    std::string id;                      ///< ,"id" as a JSON string after a comma, for "decisive"
    std::vector<std::uint16_t> sources;  ///< indexes into sources_
  };
  /// Verdict kinds there are: VerdictKind's enumerators.
  static constexpr std::size_t kVerdictKinds = 6;
  struct PathwayParts {
    /// By VerdictKind: {"pathway":…,"title":…,"verdict":…,"decisive":[
    std::array<std::string, kVerdictKinds> head;
    std::vector<ItemParts> items;
  };

  /// The constructor's steps: the fragments of a pathway (its heads and its items'), of an item,
  /// of a fact and of an unsettled point.
  void AddPathway(const Pathway& pathway);
  ItemParts ItemFragments(const Item& item) const;
  void AddSource(const Source& source);
  void AddFact(const FactDictionary& dictionary, const FactDecl& fact);
  void AddUnsettled(const Unsettled& unsettled);

  /// By pathway and VerdictKind: {"pathway":…,"verdict":…,"decisive":[
  std::vector<std::array<std::string, kVerdictKinds>> summary_heads_;
  std::string alternatives_prefix_;        ///< the member naming a verdict's alternative ("offer")
  std::vector<std::string> fact_objects_;  ///< by FactId: ,{"fact":…}
  std::vector<std::string> unsettled_objects_;  ///< ,{"id":…}

  // Each element of a list is kept after a comma, which the first one written leaves out: a
  // record is mostly such lists, and the comma was an append of its own.
  std::vector<PathwayParts> pathways_;
  std::vector<std::string> fact_paths_;                ///< by FactId, as JSON strings
  std::vector<std::string> fact_questions_;            ///< by FactId: {"fact":…,"question":…}
  std::vector<std::string> unsettled_ids_;             ///< as JSON strings
  std::vector<std::string> unsettled_;                 ///< {"id":…,"reason":…,"decides":…}
  std::vector<std::string> sources_;                   ///< each distinct source: "S…":{…}
  std::map<std::string, std::uint16_t> source_index_;  ///< by SourceId: index into sources_
};

/// Appends `s` as a JSON string literal exactly as nlohmann's dump(-1, ' ', false,
/// error_handler_t::replace) writes it (so invalid UTF-8 becomes U+FFFD as there).
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace imgvisa

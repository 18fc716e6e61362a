#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "imgvisa/date.h"
#include "imgvisa/ruleset.h"
#include "imgvisa/verdict.h"

namespace imgvisa {

/// Writes the NDJSON `result` record of `imgvisa check` (docs/cli.md) straight into a string,
/// byte for byte what building the record with VerdictToJson and dumping it gives, at a
/// fraction of the cost: everything that depends only on the rule set (item ids, titles,
/// sources, questions) is rendered once, when the writer is made, and a record is then mostly
/// copies of those fragments. See docs/performance.md.
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

 private:
  struct ItemParts {
    std::string head;  ///< {"id":…,"kind":…,"title":…,"status":"
    std::string tail;  ///< "sources":[…] and "volatile", then }
    std::string id;    ///< ,"id" as a JSON string after a comma, for "decisive"
  };
  /// Verdict kinds there are: VerdictKind's enumerators.
  static constexpr std::size_t kVerdictKinds = 6;
  struct PathwayParts {
    /// By VerdictKind: {"pathway":…,"title":…,"verdict":…,"decisive":[
    std::array<std::string, kVerdictKinds> head;
    std::vector<ItemParts> items;
  };

  // A summary element is ~150 fragments of 10 to 60 bytes. Appended one by one, each paid a
  // capacity check and a call to memcpy whose length the branch predictor could not guess; a
  // summary stream spent an eighth of its time there. So the summary fragments are also kept
  // in one string, each followed by zeros, and copied in whole 16-byte blocks into a buffer
  // with room for the longest element, which is then appended at once.
  struct Span {
    std::uint32_t offset = 0;  ///< into padded_
    std::uint32_t size = 0;
  };
  static constexpr std::size_t kBlock = 16;
  Span AddPadded(std::string_view fragment);
  std::string padded_;
  /// By pathway and VerdictKind: {"pathway":…,"verdict":…,"decisive":[
  std::vector<std::array<Span, kVerdictKinds>> summary_heads_;
  std::vector<std::vector<Span>> item_ids_;   ///< by pathway and item: ,"id"
  std::vector<Span> fact_object_spans_;       ///< by FactId: ,{"fact":…}
  std::vector<Span> unsettled_object_spans_;  ///< ,{"id":…}
  Span missing_open_;                         ///< ],"missing":[
  Span unsettled_open_;                       ///< ],"unsettled":[
  Span element_close_;                        ///< ]}
  /// Room for the longest summary element of any pathway, and a block to spare.
  std::size_t summary_room_ = 0;

  // Each element of a list is kept after a comma, which the first one written leaves out: a
  // record is mostly such lists, and the comma was an append of its own.
  std::vector<PathwayParts> pathways_;
  std::vector<std::string> fact_paths_;      ///< by FactId, as JSON strings
  std::vector<std::string> fact_questions_;  ///< by FactId: {"fact":…,"question":…}
  std::vector<std::string> unsettled_ids_;   ///< as JSON strings
  std::vector<std::string> unsettled_;       ///< {"id":…,"reason":…,"decides":…}
};

/// Appends `s` as a JSON string literal exactly as nlohmann's dump(-1, ' ', false,
/// error_handler_t::replace) writes it (so invalid UTF-8 becomes U+FFFD as there).
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace imgvisa

#pragma once

// Consistency checks on a profile's facts (docs/diagnostics.md, W001-W010): dates that contradict
// each other, such as an ECFMG certificate issued before the Step 1 pass it requires. They run
// after a profile is read and before it is evaluated. A contradiction is a located warning, and
// the facts it involves are made unknown, so that the items reading them come out undetermined
// (their missing facts name them) rather than decided on what cannot all be true.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "imgvisa/base/diagnostic.h"
#include "imgvisa/base/source.h"
#include "imgvisa/profile/facts.h"
#include "imgvisa/rules/fact_dictionary.h"

namespace imgvisa {

/// A fact of a profile: a plain fact, or one field (`fact`) of one record of a list.
struct FactRef {
  FactId fact = 0;
  std::optional<std::size_t> record;  ///< for a field of a list of records
  bool operator==(const FactRef&) const = default;
};

/// One contradiction: the warning that says it, and the facts it involves.
struct FactConflict {
  /// Severity kWarning and a W0xx code; its file, offset and position are filled by
  /// LocateFactConflicts.
  Diagnostic warning;
  std::vector<FactRef> facts;
  /// The facts as a person names them: "usmle.step1.date", "immigration.history[2].end".
  std::vector<std::string> fact_names;
};

/// The checks of one fact dictionary, resolved once: a check whose facts the dictionary does not
/// declare (a rule set of its own, under --rules) does not run. Const, so threads share it.
class ConsistencyChecks {
 public:
  explicit ConsistencyChecks(const FactDictionary& dictionary);

  /// The contradictions among `facts`, into `out` (cleared first), at most one per check: a
  /// check over records names every record it finds, in one warning.
  void Find(const Facts& facts, std::vector<FactConflict>& out) const;

 private:
  // Two dates of which `later` cannot come before `earlier`; `img_only`: only for a graduate of
  // a school outside the US and Canada, as the rules' is_img says.
  struct DateOrder {
    const char* code;
    FactId earlier;
    FactId later;
    const char* why;
    bool img_only = false;
  };
  void FindDateOrders(const Facts& facts, std::vector<FactConflict>& out) const;
  void FindPeriods(const Facts& facts, std::vector<FactConflict>& out) const;
  void FindStep3WithoutCertificate(const Facts& facts, std::vector<FactConflict>& out) const;
  void FindCertificateOfNonImg(const Facts& facts, std::vector<FactConflict>& out) const;
  bool IsImg(const Facts& facts) const;
  std::string Name(const FactRef& ref) const;
  FactConflict Conflict(const char* code, std::string message, std::vector<FactRef> facts) const;

  const FactDictionary& dictionary_;
  std::vector<DateOrder> date_orders_;
  std::optional<FactId> history_, history_start_, history_end_;
  std::optional<FactId> school_country_, step3_status_, step3_date_, certificate_status_;
  int passed_ = -1, not_issued_ = -1, issued_ = -1, expired_ = -1;
};

/// Makes every fact a conflict involves unknown.
void ClearConflictingFacts(const std::vector<FactConflict>& conflicts,
                           const FactDictionary& dictionary, Facts& facts);

/// Points each conflict's warning at the value of its first fact in `profile` (parsed again,
/// with positions: only a profile with a contradiction pays for it).
void LocateFactConflicts(std::vector<FactConflict>& conflicts, const FactDictionary& dictionary,
                         const SourceFile& profile);

}  // namespace imgvisa

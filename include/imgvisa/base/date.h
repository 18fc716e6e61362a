#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imgvisa {

/// A civil date (proleptic Gregorian), stored as days since 1970-01-01 so comparisons and
/// differences are integer operations. The engine never reads the clock: "today" enters only
/// through the CLI's --as-of default.
class Date {
 public:
  constexpr Date() = default;
  static Date FromCivil(int year, unsigned month, unsigned day);
  static constexpr Date FromDays(std::int32_t days) { return Date(days); }
  /// The last day the rules can name (9999-12-31): "at any date" for a limit time uses up.
  static Date Last() { return FromCivil(9999, 12, 31); }

  std::int32_t days() const { return days_; }
  int year() const;
  unsigned month() const;
  unsigned day() const;

  /// YYYY-MM-DD.
  std::string ToString() const;

  /// Moves by whole months; a day past the end of the target month clamps to its last day.
  Date AddMonths(std::int64_t months) const;
  Date AddDays(std::int64_t days) const { return Date(static_cast<std::int32_t>(days_ + days)); }

  friend constexpr bool operator==(Date a, Date b) { return a.days_ == b.days_; }
  friend constexpr auto operator<=>(Date a, Date b) { return a.days_ <=> b.days_; }

 private:
  constexpr explicit Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;
};

/// Strict YYYY-MM-DD with a real calendar day (years 1000-9999); anything else is nullopt.
std::optional<Date> ParseIsoDate(std::string_view text);

/// Whole months from `from` to `to`: negative when `to` is earlier. A month counts once the
/// same day of the month is reached (or the month's last day, for days it does not have).
std::int64_t MonthsBetween(Date from, Date to);

}  // namespace imgvisa

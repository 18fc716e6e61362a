#include "imgvisa/base/date.h"

#include <fmt/format.h>

namespace imgvisa {
namespace {

struct Civil {
  int year;
  unsigned month;
  unsigned day;
};

// Days-from-civil and its inverse over the proleptic Gregorian calendar, computed in 400-year
// eras so that no table or library call is needed.
std::int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

Civil CivilFromDays(std::int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

Date Date::FromCivil(int year, unsigned month, unsigned day) {
  return Date(DaysFromCivil(year, month, day));
}

int Date::year() const { return CivilFromDays(days_).year; }
unsigned Date::month() const { return CivilFromDays(days_).month; }
unsigned Date::day() const { return CivilFromDays(days_).day; }

std::string Date::ToString() const {
  const Civil c = CivilFromDays(days_);
  // By hand: dates are formatted for every dated item of every check, and fmt's parsing of the
  // format string cost more than the rest of the conversion.
  if (c.year < 0 || c.year > 9999) return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
  std::string out = "0000-00-00";
  auto put = [&out](std::size_t at, unsigned value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
      out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(0, static_cast<unsigned>(c.year), 4);
  put(5, c.month, 2);
  put(8, c.day, 2);
  return out;
}

Date Date::AddMonths(std::int64_t months) const {
  const Civil c = CivilFromDays(days_);
  std::int64_t index = static_cast<std::int64_t>(c.year) * 12 + (c.month - 1) + months;
  const int year = static_cast<int>(index >= 0 ? index / 12 : (index - 11) / 12);
  const unsigned month = static_cast<unsigned>(index - static_cast<std::int64_t>(year) * 12) + 1;
  const unsigned day = std::min(c.day, DaysInMonth(year, month));
  return FromCivil(year, month, day);
}

std::optional<Date> ParseIsoDate(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  // Written out rather than looped over: every date of every profile read comes through here.
  const auto digit = [&t](std::size_t i) { return static_cast<unsigned>(t[i]) - '0'; };
  bool digits = true;  // a byte that is not a digit comes out above 9
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) digits = digits && digit(i) <= 9;
  if (!digits) return std::nullopt;
  const int y = static_cast<int>(digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3));
  const unsigned m = digit(5) * 10 + digit(6);
  const unsigned d = digit(8) * 10 + digit(9);
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  return Date::FromCivil(y, m, d);
}

std::int64_t MonthsBetween(Date from, Date to) {
  if (to < from) return -MonthsBetween(to, from);
  const Civil a = CivilFromDays(from.days());
  const Civil b = CivilFromDays(to.days());
  std::int64_t months = (static_cast<std::int64_t>(b.year) - a.year) * 12 +
                        (static_cast<std::int64_t>(b.month) - a.month);
  if (months > 0 && from.AddMonths(months) > to) --months;
  return months;
}

}  // namespace imgvisa

#include "imgvisa/base/date.h"

#include <fmt/format.h>

#include <catch2/catch.hpp>

using imgvisa::Date;
using imgvisa::MonthsBetween;
using imgvisa::ParseIsoDate;

TEST_CASE("ISO dates parse strictly") {
  CHECK(ParseIsoDate("2024-02-29").has_value());
  CHECK_FALSE(ParseIsoDate("2023-02-29").has_value());
  CHECK_FALSE(ParseIsoDate("2024-13-01").has_value());
  CHECK_FALSE(ParseIsoDate("2024-1-01").has_value());
  CHECK_FALSE(ParseIsoDate("2024-01-01T00:00").has_value());
  CHECK_FALSE(ParseIsoDate("").has_value());
  CHECK(ParseIsoDate("1970-01-01")->days() == 0);
  CHECK(ParseIsoDate("2026-11-21")->ToString() == "2026-11-21");
  CHECK_FALSE(ParseIsoDate("0999-12-31").has_value());
  CHECK(ParseIsoDate("9999-12-31")->ToString() == "9999-12-31");
  // A byte other than a digit in any digit's place: the ones beside '0' and '9' among them.
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    for (char c : {'/', ':', ' ', '-', 'a', '\0', '\xff', '\xb0'}) {
      std::string t = "2024-11-21";
      t[i] = c;
      INFO(t);
      CHECK_FALSE(ParseIsoDate(t).has_value());
    }
  }
  // Every day of four centuries reads back as itself.
  for (std::int32_t day = ParseIsoDate("1900-01-01")->days();
       day <= ParseIsoDate("2300-12-31")->days(); ++day) {
    const Date date = Date::FromDays(day);
    REQUIRE(ParseIsoDate(date.ToString()) == date);
  }
}

TEST_CASE("adding months clamps to the end of the month") {
  CHECK(ParseIsoDate("2024-01-31")->AddMonths(1).ToString() == "2024-02-29");
  CHECK(ParseIsoDate("2023-01-31")->AddMonths(1).ToString() == "2023-02-28");
  CHECK(ParseIsoDate("2024-03-15")->AddMonths(-15).ToString() == "2022-12-15");
  CHECK(ParseIsoDate("2020-06-01")->AddMonths(84).ToString() == "2027-06-01");
}

TEST_CASE("whole months between two dates") {
  auto d = [](const char* s) { return *ParseIsoDate(s); };
  CHECK(MonthsBetween(d("2020-07-01"), d("2027-06-30")) == 83);
  CHECK(MonthsBetween(d("2020-07-01"), d("2027-07-01")) == 84);
  CHECK(MonthsBetween(d("2024-01-31"), d("2024-02-29")) == 1);
  CHECK(MonthsBetween(d("2024-03-10"), d("2024-03-09")) == 0);
  CHECK(MonthsBetween(d("2025-05-10"), d("2024-03-10")) == -14);
}

TEST_CASE("dates order by day") {
  CHECK(*ParseIsoDate("2021-01-26") < *ParseIsoDate("2021-07-01"));
  CHECK(ParseIsoDate("1999-12-31")->AddDays(1).ToString() == "2000-01-01");
}

TEST_CASE("dates print as YYYY-MM-DD across the whole range") {
  // Days from 0001-01-01 to 9999-12-31, against fmt on the civil fields.
  for (std::int32_t days = -719162; days <= 2932896; days += 997) {
    const Date d = Date::FromDays(days);
    INFO(days);
    REQUIRE(d.ToString() == fmt::format("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()));
  }
  CHECK(Date::FromDays(-719162).ToString() == "0001-01-01");
  CHECK(Date::FromDays(2932896).ToString() == "9999-12-31");
}

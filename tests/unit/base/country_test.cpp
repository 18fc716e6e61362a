#include "imgvisa/base/country.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using imgvisa::FindCountry;
using imgvisa::SuggestCountry;

TEST_CASE("the country table is ISO 3166-1 from iso-codes: unique upper-case alpha-2 codes") {
  const auto countries = imgvisa::Countries();
  CHECK(countries.size() >= 249);
  std::set<std::string> codes;
  for (const imgvisa::Country& c : countries) {
    INFO(c.code);
    CHECK(c.code.size() == 2);
    CHECK(c.code[0] >= 'A');
    CHECK(c.code[0] <= 'Z');
    CHECK(c.code[1] >= 'A');
    CHECK(c.code[1] <= 'Z');
    CHECK(codes.insert(std::string(c.code)).second);
  }
  REQUIRE(FindCountry("NG") != nullptr);
  CHECK(FindCountry("NG")->name == "Nigeria");
  CHECK(FindCountry("IR")->DisplayName() == "Iran");
  // US territories are countries of their own.
  for (const char* territory : {"PR", "GU", "VI", "AS", "MP"}) CHECK(FindCountry(territory));
}

TEST_CASE("only exact alpha-2 codes are countries; everything else is at most a suggestion") {
  CHECK(FindCountry("ng") == nullptr);
  CHECK(FindCountry("NGA") == nullptr);
  CHECK(FindCountry("Nigeria") == nullptr);
  CHECK(FindCountry("XX") == nullptr);
  CHECK(FindCountry("") == nullptr);
}

TEST_CASE("SuggestCountry: lower case, alpha-3, names in any case, near misspellings") {
  CHECK(SuggestCountry("ng") == "NG");
  CHECK(SuggestCountry("NGA") == "NG");
  CHECK(SuggestCountry("Nigeria") == "NG");
  CHECK(SuggestCountry("nigeria") == "NG");
  CHECK(SuggestCountry("Nigerria") == "NG");
  CHECK(SuggestCountry("Pakistn") == "PK");
  CHECK(SuggestCountry("India") == "IN");
  CHECK(SuggestCountry("Iran") == "IR");
  CHECK(SuggestCountry("Islamic Republic of Iran") == "IR");
  CHECK(SuggestCountry("Puerto Rico") == "PR");
  CHECK_FALSE(SuggestCountry("2020-05-01"));
  CHECK_FALSE(SuggestCountry("XQ"));
  CHECK_FALSE(SuggestCountry(""));
}

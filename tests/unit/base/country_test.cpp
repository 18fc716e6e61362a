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

TEST_CASE("FindCountry finds every code of the table, and nothing in another case or length") {
  for (const imgvisa::Country& c : imgvisa::Countries()) {
    INFO(c.code);
    CHECK(FindCountry(c.code) == &c);
    const std::string lower = {static_cast<char>(c.code[0] - 'A' + 'a'),
                               static_cast<char>(c.code[1] - 'A' + 'a')};
    CHECK(FindCountry(lower) == nullptr);
    CHECK(FindCountry(std::string(c.code) + " ") == nullptr);
  }
  CHECK(FindCountry("N") == nullptr);
  CHECK(FindCountry("[A") == nullptr);
  CHECK(FindCountry("A@") == nullptr);
  CHECK(FindCountry(std::string("N\0", 2)) == nullptr);
}

TEST_CASE("CountriesNamed: codes and names in any case, every country a name may mean") {
  using imgvisa::CountriesNamed;
  auto codes = [](std::string_view text) {
    std::vector<std::string> out;
    for (const imgvisa::Country* c : CountriesNamed(text)) out.emplace_back(c->code);
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(codes("India") == V{"IN"});
  CHECK(codes("india") == V{"IN"});
  CHECK(codes("ind") == V{"IN"});
  CHECK(codes("in") == V{"IN"});
  CHECK(codes("IN") == V{"IN"});
  CHECK(codes("iran") == V{"IR"});
  CHECK(codes("Islamic Republic of Iran") == V{"IR"});
  CHECK(codes("Puerto Rico") == V{"PR"});
  // A name more than one country answers to names each of them.
  CHECK(codes("Congo") == V{"CD", "CG"});
  CHECK(codes("korea") == V{"KR", "KP"});
  CHECK(codes("Virgin Islands") == V{"VG", "VI"});
  // A misspelling is at most a suggestion, never a reading.
  CHECK(codes("Nigera").empty());
  CHECK(codes("2020-05-01").empty());
  CHECK(codes("XX").empty());
  CHECK(codes("").empty());
}

TEST_CASE("CountryCodeProblem: nothing for a code; case, names, unknown codes and garbage") {
  using imgvisa::CountryCodeProblem;
  using imgvisa::CountryDidYouMean;
  CHECK(CountryCodeProblem("NG").empty());
  CHECK(CountryCodeProblem("PR").empty());
  CHECK(CountryCodeProblem("ng") == "\"ng\": country codes are upper case; did you mean \"NG\"?");
  CHECK(CountryCodeProblem("Ng") == "\"Ng\": country codes are upper case; did you mean \"NG\"?");
  CHECK(CountryCodeProblem("Nigeria") ==
        "\"Nigeria\" is not an ISO 3166-1 alpha-2 country code; did you mean \"NG\"?");
  CHECK(CountryCodeProblem("NGA") ==
        "\"NGA\" is not an ISO 3166-1 alpha-2 country code; did you mean \"NG\"?");
  CHECK(CountryCodeProblem("Nigerria") ==
        "\"Nigerria\" is not an ISO 3166-1 alpha-2 country code; did you mean \"NG\"?");
  CHECK(CountryCodeProblem("XX") == "\"XX\" is not an ISO 3166-1 alpha-2 country code");
  CHECK(CountryCodeProblem("xx") == "\"xx\" is not an ISO 3166-1 alpha-2 country code");
  CHECK(CountryCodeProblem("2020-05-01") ==
        "\"2020-05-01\" is not an ISO 3166-1 alpha-2 country code");
  CHECK(CountryCodeProblem("") == "\"\" is not an ISO 3166-1 alpha-2 country code");
  CHECK(CountryCodeProblem("N\tG\n") == "\"N\\x09G\\n\" is not an ISO 3166-1 alpha-2 country code");
  CHECK(CountryCodeProblem("Congo") ==
        "\"Congo\" is not an ISO 3166-1 alpha-2 country code; did you mean \"CD\" (Congo, The "
        "Democratic Republic of the) or \"CG\" (Congo)?");
  CHECK(CountryDidYouMean("korea") == "did you mean \"KR\" (South Korea) or \"KP\" (North Korea)?");
  CHECK(CountryDidYouMean("india") == "did you mean \"IN\"?");
  // A misspelling as near to two names suggests both, never only the first of the table.
  CHECK(CountryDidYouMean("Nigera") == "did you mean \"NE\" (Niger) or \"NG\" (Nigeria)?");
  CHECK(CountryDidYouMean("Pakistn") == "did you mean \"PK\"?");
  CHECK(CountryDidYouMean("2020-05-01").empty());
}

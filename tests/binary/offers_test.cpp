// Several offers through the real binary: each pathway that reads the offer names the one its
// verdict is for, in every format, and a profile gives "offer" or "offers", never both.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.h"

using imgvisa::testing::RunImgvisa;
using imgvisa::testing::SourcePath;
using nlohmann::json;

namespace {

const std::string kExample = "examples/profiles/two-offers-step3-passer.json";

json VerdictOf(const json& record, const std::string& pathway) {
  for (const json& v : record.at("verdicts")) {
    if (v.at("pathway") == pathway) return v;
  }
  FAIL("no verdict for " << pathway);
  return {};
}

}  // namespace

TEST_CASE("several offers: each verdict that reads the offer names the one it is for") {
  for (const char* detail : {"full", "summary"}) {
    INFO("--detail " << detail);
    const auto r = RunImgvisa({"check", "--format", "json", "--as-of", "2026-12-01", "--detail",
                               detail, SourcePath(kExample)});
    REQUIRE(r.status == 0);
    const json record = json::parse(r.out).at("results").at(0);
    const json h1b = VerdictOf(record, "h1b");
    CHECK(h1b.at("verdict") == "eligible");
    CHECK(h1b.at("offer").at("index") == 1);
    CHECK(h1b.at("offer").at("name") == "Riverside University Medical Center, internal medicine");
    CHECK_FALSE(h1b.at("offer").contains("all_alike"));
    // Both offers close the research-scholar route alike: the first is named, and said alike.
    const json research = VerdictOf(record, "j1-research-scholar");
    CHECK(research.at("offer").at("index") == 0);
    CHECK(research.at("offer").at("all_alike") == true);
    // ECFMG certification reads no offer fact: one verdict for all, no "offer".
    CHECK_FALSE(VerdictOf(record, "ecfmg-certification").contains("offer"));
  }
}

TEST_CASE("several offers: the text names the offer, and NDJSON holds the JSON record") {
  const auto text =
      RunImgvisa({"check", "--as-of", "2026-12-01", "--detail", "full", SourcePath(kExample)});
  REQUIRE(text.status == 0);
  CHECK(text.out.find("h1b: ELIGIBLE") != std::string::npos);
  CHECK(text.out.find("  for offer 2 (Riverside University Medical Center, internal medicine)") !=
        std::string::npos);

  const auto doc =
      RunImgvisa({"check", "--format", "json", "--as-of", "2026-12-01", SourcePath(kExample)});
  const std::string line = json::parse(imgvisa::testing::ReadText(SourcePath(kExample))).dump();
  const auto stream =
      RunImgvisa({"check", "--format", "ndjson", "--as-of", "2026-12-01", "-"}, line + "\n");
  REQUIRE(stream.status == 0);
  json from_stream = json::parse(stream.out);
  json from_doc = json::parse(doc.out).at("results").at(0);
  CHECK(from_stream.at("verdicts") == from_doc.at("verdicts"));
}

TEST_CASE("several offers: a profile gives \"offer\" or \"offers\", not both, and a list") {
  const std::string both = R"({"offer": {"signed": true}, "offers": [{"signed": true}]})";
  const auto r = RunImgvisa({"check", "-"}, both);
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("error[E041]") != std::string::npos);
  CHECK(r.err.find("not both") != std::string::npos);

  const auto not_list = RunImgvisa({"check", "-"}, R"({"offers": {"signed": true}})");
  CHECK(not_list.status == 2);
  CHECK(not_list.err.find("offers must be an array of objects") != std::string::npos);

  const auto bad_fact = RunImgvisa({"check", "-"}, R"({"offers": [{"signd": true}]})");
  CHECK(bad_fact.status == 2);
  CHECK(bad_fact.err.find("offer.signd") != std::string::npos);
}

TEST_CASE("several offers: --what-if on an offer fact changes every offer") {
  // Neither offer sponsors H-1B: h1b is ineligible, until the change says both do.
  nlohmann::json profile = json::parse(imgvisa::testing::ReadText(SourcePath(kExample)));
  for (json& offer : profile.at("offers")) offer["visa_sponsored"] = {"j1"};
  const auto r = RunImgvisa({"check", "--format", "json", "--as-of", "2026-12-01", "--what-if",
                             R"(offer.visa_sponsored=["j1","h1b"])", "-"},
                            profile.dump());
  REQUIRE(r.status == 0);
  const json record = json::parse(r.out).at("results").at(0);
  CHECK(VerdictOf(record, "h1b").at("verdict") == "ineligible");
  CHECK(VerdictOf(record.at("what_if"), "h1b").at("verdict") == "eligible");
}

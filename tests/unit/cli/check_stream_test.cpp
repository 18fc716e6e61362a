// check --jobs and --detail summary: the parallel stream must be the sequential one, byte for
// byte, and a summary must be the full record cut down.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <streambuf>

#include "imgvisa/cli/cmd_check.h"
#include "imgvisa/cli/exit_code.h"
#include "one_line_at_a_time.h"
#include "test_support.h"

using imgvisa::CheckOptions;
using nlohmann::json;
using Result = imgvisa::testing::CommandResult;

namespace {

#ifdef IMGVISA_SANITIZED
constexpr std::size_t kLines = 150;  // still more than 2 x jobs batches of 64 lines
#else
constexpr std::size_t kLines = 420;
#endif

Result Check(CheckOptions options, const std::string& input) {
  options.inputs = {"-"};
  options.format = options.format == "text" ? "ndjson" : options.format;
  options.as_of = "2026-11-21";
  return imgvisa::testing::RunCommand(imgvisa::RunCheck, options, input);
}

// Good, bad, blank, CRLF and over-limit lines, with or without a final newline.
std::string MixedStream(unsigned seed) {
  const std::vector<std::string> good = imgvisa::testing::ExampleProfileLines();
  const std::vector<std::string> bad = {"{",
                                        "[1, 2",
                                        "{\"schol\": {}}",
                                        "{\"us_status\": \"martian\"}",
                                        "{\"a\": 1, \"a\": 2}",
                                        "\xff\xfe",
                                        "42"};
  std::mt19937 random(seed);
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  std::string stream;
  for (std::size_t line = 1; line <= kLines; ++line) {
    const std::size_t kind = pick(20);
    if (kind < 14) {
      stream += good[pick(good.size())];
    } else if (kind < 17) {
      stream += bad[pick(bad.size())];
    } else if (kind < 19) {
      stream += pick(2) ? "" : " \t";
    } else if (line % 97 == 0) {
      stream += std::string(imgvisa::kMaxProfileBytes + 10, ' ');  // E003
    }
    if (line < kLines || pick(2)) stream += pick(4) == 0 ? "\r\n" : "\n";
  }
  return stream;
}

// A stream buffer that takes `room` bytes and then fails every write, like a full disk.
class FullAfter : public std::streambuf {
 public:
  explicit FullAfter(std::size_t room) : room_(room) {}

 protected:
  int_type overflow(int_type c) override {
    if (room_ == 0) return traits_type::eof();
    --room_;
    return c;
  }
  std::streamsize xsputn(const char*, std::streamsize n) override {
    const auto taken = std::min<std::streamsize>(n, static_cast<std::streamsize>(room_));
    room_ -= static_cast<std::size_t>(taken);
    return taken;
  }

 private:
  std::size_t room_;
};

// An output whose reader sees only what has been flushed to it.
class SeenOnFlush : public std::streambuf {
 public:
  const std::string& seen() const { return seen_; }

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) held_ += traits_type::to_char_type(c);
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    held_.append(s, static_cast<std::size_t>(n));
    return n;
  }
  int sync() override {
    seen_ += held_;
    held_.clear();
    return 0;
  }

 private:
  std::string held_, seen_;
};

}  // namespace

TEST_CASE("check: a record reaches the output before the stream waits for the next profile") {
  // Records are written in blocks, but a program that feeds profiles one by one and reads each
  // record before writing the next must not wait forever.
  std::vector<std::string> lines = imgvisa::testing::ExampleProfileLines();
  lines.resize(3);
  lines.insert(lines.begin() + 1, "{\"schol\": {}}");  // an error record too
  CheckOptions options;
  options.inputs = {"-"};
  options.format = "ndjson";
  options.as_of = "2026-11-21";
  for (const char* detail : {"full", "summary"}) {
    options.detail = detail;
    SeenOnFlush output;
    // Each time the check would wait for the next profile: how many records were seen so far.
    std::vector<std::size_t> records_seen;
    imgvisa::testing::OneLineAtATime input(lines, [&] {
      const std::string& seen = output.seen();
      records_seen.push_back(static_cast<std::size_t>(std::count(seen.begin(), seen.end(), '\n')));
    });
    std::istream in(&input);
    std::ostream out(&output);
    std::ostringstream err;
    imgvisa::RunCheck(options, in, out, err);
    INFO(detail);
    CHECK(records_seen == std::vector<std::size_t>{0, 1, 2, 3, 4});
  }
}

TEST_CASE("check: N jobs write exactly what one thread writes: records, diagnostics, exit status") {
  for (unsigned seed : {1u, 2u}) {
    const std::string stream = MixedStream(seed);
    for (const char* detail : {"full", "summary"}) {
      CheckOptions options;
      options.detail = detail;
      options.next_steps = seed == 1;  // next steps make records of different sizes
      if (seed == 2) options.what_if = {"usmle.step3.status=passed"};
      const Result one = Check(options, stream);
      REQUIRE(imgvisa::testing::JsonLines(one.out).size() > kLines / 2);
      REQUIRE(one.status == imgvisa::kExitUsage);  // the bad lines
      for (unsigned jobs : {2u, 3u, 0u}) {
        INFO("seed " << seed << ", --detail " << detail << ", --jobs " << jobs);
        options.jobs = jobs;
        const Result many = Check(options, stream);
        CHECK(many.status == one.status);
        CHECK(many.err == one.err);
        CHECK(many.out == one.out);  // byte for byte: order and content
      }
    }
  }
}

TEST_CASE("check: parallel jobs stop cleanly when the output fails, and says so") {
  const std::string stream = MixedStream(3);
  CheckOptions options;
  options.inputs = {"-"};
  options.format = "ndjson";
  options.as_of = "2026-11-21";
  options.jobs = 2;
  for (std::size_t room : {0, 1000, 200000}) {
    INFO("room " << room);
    FullAfter full(room);
    std::ostream out(&full);
    std::istringstream in(stream);
    std::ostringstream err;
    CHECK(imgvisa::RunCheck(options, in, out, err) == imgvisa::kExitUsage);
    CHECK(err.str().find("imgvisa check: cannot write the output") != std::string::npos);
  }
}

TEST_CASE(
    "check: a summary record is the full record without texts, items, sources and the wording of "
    "next steps") {
  std::vector<std::string> paths;
  for (const auto& entry :
       std::filesystem::directory_iterator(imgvisa::testing::SourcePath("examples/profiles"))) {
    paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  REQUIRE(paths.size() >= 10);
  auto run = [&](const char* format, const char* detail) {
    CheckOptions options;
    options.inputs = paths;
    options.format = format;
    options.detail = detail;
    options.as_of = "2026-11-21";
    return imgvisa::testing::RunCommand(imgvisa::RunCheck, options, "").out;
  };
  const auto full = imgvisa::testing::JsonLines(run("ndjson", "full"));
  const auto summary = imgvisa::testing::JsonLines(run("ndjson", "summary"));
  REQUIRE(summary.size() == paths.size());
  REQUIRE(full.size() == paths.size());
  std::size_t with_next_steps = 0;
  for (std::size_t i = 0; i < full.size(); ++i) {
    json expected = full[i];
    CHECK(expected["format"] == 2);
    REQUIRE(expected.contains("sources"));
    expected.erase("sources");
    for (json& v : expected["verdicts"]) {
      for (const char* cut : {"title", "items"}) v.erase(cut);
      for (json& m : v["missing"]) m.erase("question");
      for (json& u : v["unsettled"]) u = json{{"id", u["id"]}};
      if (!v.contains("next_steps")) continue;
      ++with_next_steps;
      // A summary's next steps say what to change, to what, and what it gives, without wording.
      for (json& plan : v["next_steps"]) {
        for (json& c : plan["changes"]) c = json{{"fact", c["fact"]}, {"to", c["to"]}};
      }
    }
    CHECK(summary[i] == expected);
  }
  CHECK(with_next_steps > 0);

  // The document of --format json holds the same records, built the other way (a DOM).
  const json doc = json::parse(run("json", "summary"));
  REQUIRE(doc["results"].size() == summary.size());
  for (std::size_t i = 0; i < summary.size(); ++i) CHECK(doc["results"][i] == summary[i]);
}

TEST_CASE("check: a summary with text output, or an unknown detail, is a usage error") {
  CheckOptions options;
  options.inputs = {"-"};
  options.as_of = "2026-11-21";
  options.detail = "summary";
  Result r = imgvisa::testing::RunCommand(imgvisa::RunCheck, options, "{}");
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.err.find("--detail summary is for --format json or ndjson") != std::string::npos);
  CHECK(r.out.empty());

  auto p = imgvisa::testing::RunImgvisa({"check", "--detail", "brief", "-"}, "{}");
  CHECK(p.status == imgvisa::kExitUsage);
  // short is the text answer for people: json and ndjson take full or summary.
  p = imgvisa::testing::RunImgvisa({"check", "--detail", "short", "--format", "json", "-"}, "{}");
  CHECK(p.status == imgvisa::kExitUsage);
  p = imgvisa::testing::RunImgvisa({"check", "--jobs", "1000", "--format", "ndjson", "-"}, "{}");
  CHECK(p.status == imgvisa::kExitUsage);
  p = imgvisa::testing::RunImgvisa({"check", "--jobs", "2", "--detail", "summary", "--format",
                                    "ndjson", "--as-of", "2026-11-21", "-"},
                                   imgvisa::testing::ExampleProfileLines().at(0) + "\n");
  CHECK(p.status <= imgvisa::kExitNoneOpen);
  CHECK(imgvisa::testing::JsonLines(p.out).size() == 1);
}

// Hostile input at scale, through the real binary (docs/reliability.md, "Limits" and "Memory"):
// a profile at each documented limit is checked, one just over it is refused with a located
// error, and the worst inputs run under an address-space limit, so that a copy per diagnostic
// or a quadratic path fails here rather than on a user's machine. Times are generous timeouts
// that catch a hang; the measured figures are in docs/reliability.md.

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "imgvisa/cli/cmd_check.h"
#include "imgvisa/cli/exit_code.h"
#include "spawn.h"
#include "test_support.h"

using imgvisa::kMaxProfileBytes;
using imgvisa::testing::ImgvisaBinary;
using imgvisa::testing::SourcePath;
using imgvisa::testing::Spawn;
using imgvisa::testing::Spawned;
using imgvisa::testing::SpawnOptions;
using imgvisa::testing::TempPath;

namespace {

const char* kAsOf = "2026-11-21";
constexpr std::size_t kMiB = 1024 * 1024;

// The sanitizers reserve terabytes of address space for their shadow memory, so a limit on it
// is only set on the plain build; the sanitized run still checks the statuses and messages.
#ifdef IMGVISA_SANITIZED
constexpr bool kLimitAddressSpace = false;
#else
constexpr bool kLimitAddressSpace = true;
#endif

Spawned Run(const std::vector<std::string>& args, const std::string& stdin_text,
            std::size_t address_space = 0) {
  SpawnOptions spawn;
  spawn.argv = {ImgvisaBinary()};
  spawn.argv.insert(spawn.argv.end(), args.begin(), args.end());
  spawn.stdin_text = stdin_text;
  spawn.use_stdin_text = true;
  if (kLimitAddressSpace) spawn.address_space_bytes = address_space;
  spawn.timeout_seconds = 120;  // a hang, not a slow machine
  return Spawn(spawn);
}

// `check` of one profile given as a file.
Spawned CheckFile(const std::string& profile, std::size_t address_space = 1024 * kMiB) {
  const std::string path = TempPath(".json");
  imgvisa::testing::WriteText(path, profile);
  Spawned r = Run({"check", "--as-of", kAsOf, path}, "", address_space);
  ::unlink(path.c_str());
  // The messages name the file; tests compare them without the temporary name.
  for (std::size_t at = r.err.find(path); at != std::string::npos; at = r.err.find(path, at)) {
    r.err.replace(at, path.size(), "p.json");
  }
  return r;
}

std::size_t Lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

// The first line of standard error: where and what, without the message's details.
std::string FirstLine(const std::string& err) { return err.substr(0, err.find('\n')); }

// "p.json:LINE:COLUMN: error[CODE]": an error with its place, of one of `codes`.
bool Located(const std::string& line, const std::vector<std::string>& codes) {
  std::size_t i = 0;
  auto number = [&] {
    const std::size_t start = i;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
    return i > start && i < line.size() && line[i++] == ':';
  };
  if (line.rfind("p.json:", 0) != 0) return false;
  i = 7;
  if (!number() || !number()) return false;
  return std::any_of(codes.begin(), codes.end(), [&](const std::string& code) {
    const std::string tag = " error[" + code + "]";
    return line.compare(i, tag.size(), tag) == 0;
  });
}

std::string Nested(std::size_t arrays) {
  return R"({"us_status": "none", "$comment": )" + std::string(arrays, '[') +
         std::string(arrays, ']') + "}";
}

std::string LongString(std::size_t bytes) {
  return R"({"us_status": "none", "$comment": ")" + std::string(bytes, 'x') + "\"}";
}

std::string LongArray(std::size_t items) {
  std::string p = R"({"us_status": "none", "citizenship": [)";
  for (std::size_t i = 0; i < items; ++i) p += i ? ",\"IN\"" : "\"IN\"";
  return p + "]}";
}

std::string ManyKeys(std::size_t keys) {
  std::string p = R"({"us_status": "none", "$comment": {)";
  for (std::size_t i = 0; i < keys; ++i) p += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":0";
  return p + "}}";
}

// `keys` unknown keys, spread over objects the profile may hold, each under the key limit.
std::string UnknownKeys(std::size_t keys) {
  const char* objects[] = {"school", "usmle", "ecfmg", "offer", "oet", "graduation"};
  std::string p = R"({"us_status": "none")";
  std::size_t left = keys;
  for (const char* object : objects) {
    if (left == 0) break;
    const std::size_t here = std::min<std::size_t>(left, 9000);
    p += std::string(", \"") + object + "\": {";
    for (std::size_t i = 0; i < here; ++i) p += (i ? ",\"u" : "\"u") + std::to_string(i) + "\":1";
    p += "}";
    left -= here;
  }
  return p + "}";
}

// A profile of exactly `bytes` bytes that loads: spaces before the closing brace.
std::string PaddedTo(std::size_t bytes,
                     std::string p = R"({"us_status": "none", "school": {"country": "IN"}})") {
  p.pop_back();
  p += std::string(bytes - p.size() - 1, ' ');
  return p + "}";
}

}  // namespace

TEST_CASE("must hold: 40,000 unknown keys exit 2 under a 1 GiB address space, in few lines") {
  // Spread over objects (each under the key limit): 40,000 unknown facts, of which 20 are
  // reported. In one object: the key limit stops the parse at the 10,001st.
  for (const std::string& profile : {UnknownKeys(40000), ManyKeys(40000)}) {
    const Spawned r = CheckFile(profile);
    CHECK_FALSE(r.timed_out);
    CHECK(r.exited);
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(Lines(r.err) <= 30);
    CHECK(Located(FirstLine(r.err), {"E040", "E003"}));
    // The must-hold time, as a bound far above a normal run: a hang or a quadratic path.
    CHECK(r.seconds < 60);
  }
  const Spawned spread = CheckFile(UnknownKeys(40000));
  CHECK(Lines(spread.err) == 21);
  CHECK(spread.err.find("p.json: and 39980 more errors") != std::string::npos);
}

TEST_CASE(
    "must hold: one line of 100 MB to diff - (and check -) exits 2 under a 512 MiB address space") {
  // One line of 100 MB with no newline, then a good profile: only the limit's worth is kept.
  const std::string stream = "{\"$comment\": \"" + std::string(100 * 1000 * 1000, 'x') + "\"}\n" +
                             R"({"us_status": "none"})" + "\n";
  const std::string rules = SourcePath("rules");
  const Spawned diff =
      Run({"diff", "--old", rules, "--new", rules, "--as-of", kAsOf, "-"}, stream, 512 * kMiB);
  CHECK_FALSE(diff.timed_out);
  CHECK(diff.exited);
  CHECK(diff.status == imgvisa::kExitUsage);
  CHECK(diff.err ==
        "-:1: error[E003]: line of 100000016 bytes exceeds the limit of 1048576 bytes\n");
  CHECK(diff.out.find("2 profiles, 0 changed, 1 failed") != std::string::npos);

  const Spawned check =
      Run({"check", "--as-of", kAsOf, "--format", "ndjson", "-"}, stream, 512 * kMiB);
  CHECK(check.exited);
  CHECK(check.status == imgvisa::kExitUsage);
  const auto records = imgvisa::testing::JsonLines(check.out);
  REQUIRE(records.size() == 2);
  CHECK(records[0]["type"] == "error");
  CHECK(records[0]["errors"][0]["code"] == "E003");
  CHECK(records[1]["type"] == "result");
}

TEST_CASE(
    "each limit: at the limit a profile is checked, just over it exit 2 with a located error") {
  struct Case {
    const char* what;
    std::string at, over;
    const char* code;
  };
  const std::vector<Case> cases = {
      // 64 levels: the profile's object and 63 arrays.
      {"depth", Nested(63), Nested(64), "E003"},
      {"string bytes", LongString(64 * 1024), LongString(64 * 1024 + 1), "E003"},
      {"array items", LongArray(10000), LongArray(10001), "E003"},
      {"keys per object", ManyKeys(10000), ManyKeys(10001), "E003"},
      // Unknown keys are errors one by one: 20 reported, then a count.
      {"unknown keys", UnknownKeys(20), UnknownKeys(21), "E040"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    const Spawned at = CheckFile(c.at);
    CHECK(at.exited);
    if (std::string(c.code) == "E040") {
      CHECK(at.status == imgvisa::kExitUsage);
      CHECK(Lines(at.err) == 20);
    } else {
      CHECK((at.status == imgvisa::kExitOk || at.status == imgvisa::kExitNoneOpen));
      CHECK(at.err.empty());
    }
    const Spawned over = CheckFile(c.over);
    CHECK(over.exited);
    CHECK(over.status == imgvisa::kExitUsage);
    CHECK(Located(FirstLine(over.err), {c.code}));
  }
  const Spawned twenty_one = CheckFile(UnknownKeys(21));
  CHECK(Lines(twenty_one.err) == 21);
  CHECK(twenty_one.err.find("p.json: and 1 more error ") != std::string::npos);

  // Bytes: a whole file over the limit is refused before it is parsed, naming the file.
  const Spawned at = CheckFile(PaddedTo(kMaxProfileBytes));
  CHECK(at.exited);
  CHECK((at.status == imgvisa::kExitOk || at.status == imgvisa::kExitNoneOpen));
  const Spawned over = CheckFile(PaddedTo(kMaxProfileBytes + 1));
  CHECK(over.status == imgvisa::kExitUsage);
  CHECK(FirstLine(over.err) ==
        "p.json: error[E050]: cannot read the profile: larger than the limit of 1048576 bytes");
}

TEST_CASE("one limit for every reader: diff and test refuse a profile over check's byte limit") {
  const std::string dir = TempPath(".d");
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    imgvisa::testing::WriteText(dir + "/" + name, text);
  };
  write("0-ruleset.json", R"({"ruleset": {"name": "t", "version": "1"}})");
  write("1-facts.json",
        R"({"facts": {"us_status": {"type": "enum", "values": ["none", "citizen"],
                                     "description": "d", "question": "q?"}}})");
  write("2-pathway.json", R"({"pathway": {"id": "p", "title": "T", "summary": "S", "sponsor": "X",
    "items": [{"id": "i", "kind": "requirement", "title": "t",
               "condition": {"eq": [{"fact": "us_status"}, "none"]},
               "text": {"met": "m", "unmet": "u"},
               "sources": [{"instrument": "Act", "verified": "2026-06-01"}]}]},
    "tests": [{"name": "at", "as_of": "2026-01-01", "profile_file": "at.profile",
               "expect": {"p": "eligible"}},
              {"name": "over", "as_of": "2026-01-01", "profile_file": "over.profile",
               "expect": {"p": "eligible"}}]})");
  write("at.profile", PaddedTo(kMaxProfileBytes, R"({"us_status": "none"})"));
  write("over.profile", PaddedTo(kMaxProfileBytes + 1, R"({"us_status": "none"})"));
  REQUIRE(imgvisa::testing::ReadText(dir + "/at.profile").size() == kMaxProfileBytes);

  const Spawned test = Run({"test", dir}, "");
  CHECK(test.status == imgvisa::kExitUsage);
  CHECK(test.err.find("cannot read profile " + dir +
                      "/over.profile: larger than the limit of "
                      "1048576 bytes") != std::string::npos);
  CHECK(test.err.find("at.profile") == std::string::npos);  // read, and the case passes
  // The case over the limit is malformed, and a malformed case counts as failed.
  CHECK(test.out.find("1 passed, 1 failed") != std::string::npos);

  const Spawned diff =
      Run({"diff", "--old", dir, "--new", dir, dir + "/at.profile", dir + "/over.profile"}, "");
  CHECK(diff.status == imgvisa::kExitUsage);
  CHECK(diff.err == dir +
                        "/over.profile: error[E050]: cannot read the profile: larger than the "
                        "limit of 1048576 bytes\n");
  std::filesystem::remove_all(dir);
}

// Hostile input, limits and "no record lost" (docs/reliability.md): what imgvisa does with input
// written by people and scripts that it must neither crash on, hang on, nor quietly accept.

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "imgvisa/base/json_document.h"
#include "imgvisa/cli/cmd_check.h"
#include "imgvisa/cli/exit_code.h"
#include "imgvisa/profile/facts_from_json.h"
#include "imgvisa/rules/rule_set_from_json.h"
#include "imgvisa/rules/rule_source.h"
#include "spawn.h"
#include "test_support.h"

using imgvisa::CheckOptions;
using imgvisa::kMaxProfileBytes;
using imgvisa::testing::ImgvisaBinary;
using imgvisa::testing::SourcePath;
using imgvisa::testing::Spawn;
using imgvisa::testing::Spawned;
using imgvisa::testing::SpawnOptions;
using imgvisa::testing::TempPath;
using nlohmann::json;

namespace {

const char* kAsOf = "2026-11-21";
const char* kGood = R"({"$id": "g", "us_status": "none", "school": {"country": "IN"}})";

struct Result {
  int status;
  std::string out;
  std::string err;
};

Result Check(const std::string& input, const std::string& format = "ndjson") {
  CheckOptions options;
  options.inputs = {"-"};
  options.format = format;
  options.as_of = kAsOf;
  std::istringstream in(input);
  std::ostringstream out, err;
  const int status = imgvisa::RunCheck(options, in, out, err);
  return {status, out.str(), err.str()};
}

std::vector<json> Records(const std::string& text) {
  std::vector<json> records;
  std::istringstream in(text);
  std::string line;
  // Strict parsing: output must be valid UTF-8 JSON, one object per line.
  while (std::getline(in, line)) records.push_back(json::parse(line));
  return records;
}

Spawned Imgvisa(const std::vector<std::string>& args, const std::string& stdin_text = "") {
  SpawnOptions spawn;
  spawn.argv = {ImgvisaBinary()};
  spawn.argv.insert(spawn.argv.end(), args.begin(), args.end());
  spawn.stdin_text = stdin_text;
  spawn.use_stdin_text = true;
  return Spawn(spawn);
}

// A file that removes itself.
struct TempFile {
  explicit TempFile(const std::string& content, const std::string& suffix = ".json")
      : path(TempPath(suffix)) {
    std::ofstream(path, std::ios::binary) << content;
  }
  ~TempFile() { ::unlink(path.c_str()); }
  std::string path;
};

std::size_t LineCount(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string Deep(std::size_t levels) {
  std::string s;
  for (std::size_t i = 0; i < levels; ++i) s += "{\"a\": ";
  return s + "1" + std::string(levels, '}');
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Limits

TEST_CASE("a profile over the byte limit is refused from a file and from standard input") {
  const std::string at_limit = std::string(kMaxProfileBytes - 2, ' ') + "{}";
  const std::string over = at_limit + " ";
  TempFile fits(at_limit), big(over);
  auto r = Imgvisa({"check", "--as-of", kAsOf, "--format", "ndjson", fits.path});
  CHECK(r.err.empty());
  CHECK(Records(r.out).at(0)["type"] == "result");
  r = Imgvisa({"check", "--as-of", kAsOf, big.path});
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.out.empty());
  CHECK(r.err == big.path +
                     ": error[E050]: cannot read the profile: larger than the limit of 1048576 "
                     "bytes\n");
  r = Imgvisa({"check", "--as-of", kAsOf, "-"}, over);
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.err ==
        "-: error[E050]: cannot read the profile: larger than the limit of 1048576 bytes\n");
}

TEST_CASE("an NDJSON line over the limit gets an error record and the next lines are checked") {
  const std::string at_limit = std::string(kMaxProfileBytes - 2, ' ') + "{}";
  const std::string huge(3 * kMaxProfileBytes + 12345, 'x');  // spans several read buffers
  const Result r =
      Check(std::string(kGood) + "\n" + at_limit + "\n" + at_limit + " \n" + kGood + "\n" + huge);
  const auto records = Records(r.out);
  REQUIRE(records.size() == 5);
  CHECK(records[0]["type"] == "result");
  CHECK(records[1]["type"] == "result");
  CHECK(records[2]["type"] == "error");
  CHECK(records[2]["line"] == 3);
  CHECK(records[2]["errors"][0]["code"] == "E003");
  CHECK(records[2]["errors"][0]["message"] ==
        "line of 1048577 bytes exceeds the limit of 1048576 bytes");
  CHECK(records[3]["type"] == "result");
  CHECK(records[3]["line"] == 4);
  CHECK(records[4]["errors"][0]["message"] ==
        "line of " + std::to_string(huge.size()) + " bytes exceeds the limit of 1048576 bytes");
  CHECK(r.status == imgvisa::kExitUsage);
}

TEST_CASE("100,000 levels of nesting are refused everywhere JSON is read, through the binary") {
  const std::string deep_array(100000, '[');
  const std::string deep_object = Deep(100000);
  SECTION("a profile file and standard input") {
    TempFile file(deep_array);
    auto r = Imgvisa({"check", "--as-of", kAsOf, file.path});
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(r.err == file.path + ":1:65: error[E003]: nesting deeper than the limit of 64 levels\n");
    r = Imgvisa({"check", "--as-of", kAsOf, "-"}, deep_object);
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(Contains(r.err, "-:1:385: error[E003]: nesting deeper than the limit of 64 levels"));
  }
  SECTION("an NDJSON line") {
    auto r = Imgvisa({"check", "--as-of", kAsOf, "--format", "ndjson", "-"},
                     std::string(kGood) + "\n" + deep_object + "\n" + kGood + "\n");
    const auto records = Records(r.out);
    REQUIRE(records.size() == 3);
    CHECK(records[1]["errors"][0]["code"] == "E003");
    CHECK(records[2]["type"] == "result");
  }
  SECTION("a rule file and a rule test file") {
    TempFile rules("{\"tests\": " + deep_array + "}");
    auto r = Imgvisa({"check", "--as-of", kAsOf, "--rules", rules.path, "-"}, kGood);
    CHECK(r.status == imgvisa::kExitRules);
    CHECK(Contains(r.err, "error[E003]: nesting deeper than the limit of 64 levels"));
    r = Imgvisa({"test", rules.path});
    CHECK(r.exited);
    CHECK(r.status == imgvisa::kExitRules);
    CHECK(Contains(r.err, "error[E003]"));
  }
}

TEST_CASE("long strings and long arrays in a profile hit their limits") {
  const std::string long_string =
      R"({"school": {"country": ")" + std::string(64 * 1024 + 1, 'A') + "\"}}";
  std::string long_array = R"({"citizenship": [)";
  for (int i = 0; i <= 10000; ++i) long_array += i == 0 ? "\"IN\"" : ", \"IN\"";
  long_array += "]}";
  const Result r = Check(long_string + "\n" + long_array + "\n");
  const auto records = Records(r.out);
  REQUIRE(records.size() == 2);
  CHECK(records[0]["errors"][0]["message"] ==
        "string of 65537 bytes exceeds the limit of 65536 bytes");
  CHECK(records[1]["errors"][0]["message"] == "array longer than the limit of 10000 items");
  CHECK(records[1]["errors"][0]["column"] == 18 + 10000 * 6);  // the 10,001st item
}

TEST_CASE("integers must be exactly representable as int64") {
  struct Case {
    const char* value;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"9223372036854775807", "usmle.step1.attempts is 9223372036854775807, outside 0 to 20"},
      {"9223372036854775808", "integer 9223372036854775808 is outside the range -2^63 to 2^63-1"},
      {"18446744073709551615", "integer 18446744073709551615 is outside the range -2^63 to 2^63-1"},
      {"18446744073709551616", "integer 18446744073709551616 is outside the range -2^63 to 2^63-1"},
      {"-9223372036854775809", "integer -9223372036854775809 is outside the range -2^63 to 2^63-1"},
      {"123456789012345678901234567890123456789012345678901234567890",
       "integer 1234567890123456789012345678901234567890... is outside the range -2^63 to "
       "2^63-1"},
      {"3.0", "usmle.step1.attempts must be a whole number, not 3.0"},
      {"1e400", "invalid JSON: number overflow parsing '1e400'"},
  };
  std::string stream;
  for (const Case& c : cases)
    stream += std::string(R"({"usmle": {"step1": {"attempts": )") + c.value + "}}}\n";
  const auto records = Records(Check(stream).out);
  REQUIRE(records.size() == cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO(cases[i].value);
    CHECK(records[i]["type"] == "error");
    CHECK(records[i]["errors"][0]["message"] == cases[i].message);
    CHECK(records[i]["errors"][0]["column"] == 34);
  }
}

TEST_CASE("2^64 through the command line is an error, not a double or -1") {
  TempFile file(R"({"usmle": {"step1": {"attempts": 18446744073709551616}}})");
  const auto r = Imgvisa({"check", "--as-of", kAsOf, file.path});
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.err == file.path +
                     ":1:34: error[E003]: integer 18446744073709551616 is outside the range "
                     "-2^63 to 2^63-1\n");
}

TEST_CASE("a rule file holding an integer beyond int64 does not load") {
  std::vector<imgvisa::SourceFile> files = imgvisa::EmbeddedRuleFiles();
  files.emplace_back("rules/extra.json", R"({"x": 18446744073709551615})");
  const imgvisa::RuleSetLoad load = imgvisa::RuleSetFromFiles(std::move(files), "rules/");
  CHECK_FALSE(load.ok());
  REQUIRE_FALSE(load.diagnostics.empty());
  CHECK(imgvisa::FormatDiagnosticLine(load.diagnostics.front()) ==
        "rules/extra.json:1:7: error[E003]: integer 18446744073709551615 is outside the range "
        "-2^63 to 2^63-1");
}

TEST_CASE("a parsed document holding an unsigned beyond int64 is still refused for an integer") {
  // Documents may come from another parser than ParseJson; the reader checks the range itself.
  const imgvisa::RuleSetLoad load = imgvisa::LoadRuleSet("");
  REQUIRE(load.ok());
  imgvisa::SourceFile profile("p.json", R"({"usmle": {"step1": {"attempts": 1}}})");
  imgvisa::JsonDocument doc;
  doc.ok = true;
  doc.value = nlohmann::ordered_json::parse(R"({"usmle": {"step1": {"attempts": 1}}})");
  doc.value["usmle"]["step1"]["attempts"] = std::numeric_limits<std::uint64_t>::max();
  const imgvisa::FactsLoad facts = imgvisa::FactsFromDocument(load.rules->dictionary, profile, doc);
  CHECK_FALSE(facts.ok);
  REQUIRE(facts.diagnostics.size() == 1);
  CHECK(imgvisa::FormatDiagnosticLine(facts.diagnostics[0]) ==
        "p.json:1:34: error[E043]: usmle.step1.attempts is out of range (a whole number up to "
        "2^63-1)");
}

// ---------------------------------------------------------------------------------------------
// Echoed input

TEST_CASE("echoed input is escaped and cut, so an error stays one line") {
  // A key holding a newline and an escape sequence (JSON escapes, so the profile is valid JSON).
  TempFile file("{\"x\\n\\u001b[31m" + std::string(500, 'k') + "\": 1}");
  auto r = Imgvisa({"check", "--as-of", kAsOf, file.path});
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(LineCount(r.err) == 1);
  CHECK(r.err.find('\x1b') == std::string::npos);
  CHECK(Contains(r.err, "error[E040]: unknown fact \"x\\n\\x1b[31mkkkk"));
  CHECK(Contains(r.err, "kkk...\"\n"));
  CHECK(r.err.size() < 300);
  // The same bytes raw are not JSON; the parse error echoes them escaped and cut too.
  TempFile raw("{\"x\n\x1b[31m\xff" + std::string(500, 'k') + "\": 1}");
  r = Imgvisa({"check", "--as-of", kAsOf, raw.path});
  CHECK(LineCount(r.err) == 1);
  CHECK(r.err.find('\x1b') == std::string::npos);
  CHECK(Contains(r.err, "error[E001]: invalid JSON: syntax error while parsing object key"));
  CHECK(r.err.size() < 400);
}

TEST_CASE("paths with newlines and invalid UTF-8 are escaped wherever they are echoed") {
  const std::string dir = TempPath(".d");
  REQUIRE(::mkdir(dir.c_str(), 0755) == 0);
  const std::string path = dir + "/a\nb\xff\x1b.json";
  std::ofstream(path, std::ios::binary) << kGood;
  SECTION("a missing file") {
    const auto r = Imgvisa({"check", "--as-of", kAsOf, dir + "/gone\n\xfe.json"});
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(r.err == dir +
                       "/gone\\n\\xfe.json: error[E050]: cannot read the profile: No such file "
                       "or directory\n");
  }
  SECTION("text output names the input escaped") {
    const auto r = Imgvisa({"check", "--as-of", kAsOf, path});
    CHECK(r.err.empty());
    CHECK(r.out.rfind(dir + "/a\\nb\\xff\\x1b.json — as of 2026-11-21", 0) == 0);
    CHECK(r.out.find('\x1b') == std::string::npos);
  }
  SECTION("JSON and NDJSON output stay valid UTF-8 (dump() never meets the bad bytes)") {
    auto r = Imgvisa({"check", "--as-of", kAsOf, "--format", "ndjson", path});
    CHECK(r.err.empty());
    const auto records = Records(r.out);
    REQUIRE(records.size() == 1);
    CHECK(records[0]["input"] == dir + "/a\nb\xef\xbf\xbd\x1b.json");  // U+FFFD
    r = Imgvisa({"check", "--as-of", kAsOf, "--format", "json", path});
    CHECK(json::parse(r.out)["results"][0]["input"] == dir + "/a\nb\xef\xbf\xbd\x1b.json");
  }
  SECTION("an unknown pathway") {
    const auto r = Imgvisa({"check", "--as-of", kAsOf, "--pathway", "h1b\n\x1b", path});
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(r.err == "imgvisa check: no pathway \"h1b\\n\\x1b\"; did you mean \"h1b\"?\n");
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("invalid UTF-8 inside a profile is reported escaped in every format") {
  const std::string bad = "{\"school\": {\"country\": \"I\xffN\"}}";
  const auto ndjson = Records(Check(bad + "\n").out);
  REQUIRE(ndjson.size() == 1);
  CHECK(ndjson[0]["errors"][0]["message"] ==
        "invalid JSON: syntax error while parsing value - invalid string: ill-formed UTF-8 byte; "
        "last read: '\"I\\xff'");
  const Result as_json = Check(bad, "json");
  CHECK(json::parse(as_json.out)["results"][0]["type"] == "error");
  CHECK(as_json.err.find('\xff') == std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Duplicate keys, NUL bytes

TEST_CASE("a duplicate key in a profile is an error naming the key and both places") {
  TempFile file("{\"us_status\": \"none\",\n \"us_status\": \"citizen\"}");
  const auto r = Imgvisa({"check", "--as-of", kAsOf, file.path});
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.out.empty());
  CHECK(r.err == file.path +
                     ":2:2: error[E002]: duplicate key \"us_status\" (first at line 1, column 2); "
                     "JSON objects here must not repeat a key\n");
}

TEST_CASE("a NUL byte through the command line is an error, not the end of the input") {
  TempFile file(std::string("{}\0{\"us_status\": 1}", 19));
  auto r = Imgvisa({"check", "--as-of", kAsOf, file.path});
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.err == file.path + ":1:3: error[E001]: invalid JSON: NUL byte in the input\n");
  r = Imgvisa({"check", "--as-of", kAsOf, "-"}, std::string("{}\0", 3));
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.err == "-:1:3: error[E001]: invalid JSON: NUL byte in the input\n");
}

// ---------------------------------------------------------------------------------------------
// Inputs that are not regular files

TEST_CASE("directories, devices and missing paths are refused with one line each") {
  struct Case {
    std::string path;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"/tmp", "/tmp: error[E050]: cannot read the profile: is a directory, not a file"},
      {"/dev/zero",
       "/dev/zero: error[E050]: cannot read the profile: larger than the limit of 1048576 bytes"},
      {"/dev/null", "/dev/null:1:1: error[E001]: invalid JSON: the input is empty"},
      {"/nonexistent/p.json",
       "/nonexistent/p.json: error[E050]: cannot read the profile: No such file or directory"},
      {"", ": error[E050]: cannot read the profile: No such file or directory"},
  };
  for (const Case& c : cases) {
    INFO(c.path);
    const auto r = Imgvisa({"check", "--as-of", kAsOf, c.path});
    CHECK(r.exited);
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(r.out.empty());
    CHECK(r.err == c.error + "\n");
  }
}

TEST_CASE("rule paths that are directories, devices or missing do not load, exit 3") {
  const std::string dir = TempPath(".rules");
  std::filesystem::create_directories(dir + "/sub.json");  // a directory named like a rule file
  auto r = Imgvisa({"check", "--as-of", kAsOf, "--rules", dir, "-"}, kGood);
  CHECK(r.status == imgvisa::kExitRules);
  CHECK(Contains(r.err, dir + ": error[E050]: the rule directory holds no .json file"));
  for (const std::string path : {"/dev/null", "/nonexistent/rules", "/dev/zero"}) {
    INFO(path);
    r = Imgvisa({"check", "--as-of", kAsOf, "--rules", path, "-"}, kGood);
    CHECK(r.exited);
    CHECK(r.status == imgvisa::kExitRules);
  }
  r = Imgvisa({"test", dir});
  CHECK(r.status == imgvisa::kExitRules);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a FIFO is read like a file (process substitution), and bounded like one") {
  const std::string fifo = TempPath(".fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // A writer process: the whole of `text`, or `text` forever when `endless`.
  auto writer = [&](const std::string& text, bool endless) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      std::signal(SIGPIPE, SIG_IGN);
      const int fd = ::open(fifo.c_str(), O_WRONLY);
      do {
        if (::write(fd, text.data(), text.size()) < 0) break;
      } while (endless);
      ::_exit(0);
    }
    return pid;
  };
  SECTION("a profile") {
    const pid_t pid = writer(kGood, false);
    const auto r = Imgvisa({"check", "--as-of", kAsOf, "--format", "ndjson", fifo});
    ::waitpid(pid, nullptr, 0);
    CHECK(r.err.empty());
    CHECK(Records(r.out).at(0)["id"] == "g");
  }
  SECTION("an endless stream") {
    const pid_t pid = writer(std::string(64 * 1024, ' '), true);
    const auto r = Imgvisa({"check", "--as-of", kAsOf, fifo});
    ::waitpid(pid, nullptr, 0);
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(r.err == fifo +
                       ": error[E050]: cannot read the profile: larger than the limit of "
                       "1048576 bytes\n");
  }
  ::unlink(fifo.c_str());
}

TEST_CASE("an unreadable profile is refused as a user without the permission") {
  TempFile file(kGood);
  REQUIRE(::chmod(file.path.c_str(), 0) == 0);
  SpawnOptions spawn;
  if (::geteuid() == 0) {
    // root reads anything: drop to nobody for this run.
    if (::access("/usr/bin/setpriv", X_OK) != 0 && ::access("/bin/setpriv", X_OK) != 0) {
      WARN("skipped: running as root and setpriv (util-linux) is not installed");
      return;
    }
    spawn.argv = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
  }
  spawn.argv.insert(spawn.argv.end(), {ImgvisaBinary(), "check", "--as-of", kAsOf, file.path});
  const Spawned r = Spawn(spawn);
  INFO(r.err);
  CHECK(r.exited);
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(r.out.empty());
  // The first line: a coverage build adds its own complaints, as nobody cannot write its data.
  CHECK(r.err.substr(0, r.err.find('\n') + 1) ==
        file.path + ": error[E050]: cannot read the profile: Permission denied\n");
}

// ---------------------------------------------------------------------------------------------
// NDJSON

TEST_CASE("NDJSON through the binary: CRLF, blank lines, binary lines, no final newline") {
  const std::string stream = std::string(kGood) + "\r\n" +                    // 1: CRLF
                             "\n   \n\t\r\n\r\n" +                            // 2-5: blank
                             std::string("{\"a\0b\": 1}", 11) + "\n" +        // 6: NUL
                             "\x01\x02\xff\xfe\x80\n" +                       // 7: binary
                             "{\"school\": {\"country\": \"\xc3\x28\"}}\n" +  // 8: bad UTF-8
                             "\r\n" +                                         // 9: blank
                             kGood;                                           // 10: no newline
  const auto r = Imgvisa({"check", "--as-of", kAsOf, "--format", "ndjson", "-"}, stream);
  CHECK(r.status == imgvisa::kExitUsage);
  const auto records = Records(r.out);
  REQUIRE(records.size() == 5);
  const std::vector<std::pair<int, std::string>> expected = {
      {1, "result"}, {6, "error"}, {7, "error"}, {8, "error"}, {10, "result"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(records[i]["line"] == expected[i].first);
    CHECK(records[i]["type"] == expected[i].second);
  }
  CHECK(records[1]["errors"][0]["message"] == "invalid JSON: NUL byte in the input");
  CHECK(records[2]["errors"][0]["message"] ==
        "invalid JSON: syntax error while parsing value - invalid literal; last read: "
        "'<U+0001>'");
  CHECK(LineCount(r.err) == 3);
  CHECK(r.err.find('\xff') == std::string::npos);
  CHECK(records[0]["verdicts"] == records[4]["verdicts"]);
}

TEST_CASE("a broken pipe on standard output ends the run quietly") {
  std::string stream;
  for (int i = 0; i < 3000; ++i) stream += std::string(kGood) + "\n";
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  ::close(fds[0]);  // the reader is gone before the first record is written
  SpawnOptions spawn;
  spawn.argv = {ImgvisaBinary(), "check", "--as-of", kAsOf, "--format", "ndjson", "-"};
  spawn.stdin_text = stream;
  spawn.use_stdin_text = true;
  spawn.stdout_fd = fds[1];
  const Spawned r = Spawn(spawn);
  ::close(fds[1]);
  CHECK(r.exited);  // not killed by SIGPIPE
  CHECK(r.err.empty());
  CHECK(r.status == imgvisa::kExitNoneOpen);
}

TEST_CASE("through the binary, a co-process that writes a profile and waits gets its record") {
  // check reads standard input in large blocks (descriptor_input.h); a producer that writes one
  // line and waits for its record before the next must still get each record. A record that
  // does not come within the timeout fails the test instead of hanging it.
  int to_child[2];
  int from_child[2];
  REQUIRE(::pipe(to_child) == 0);
  REQUIRE(::pipe(from_child) == 0);
  const std::string binary = ImgvisaBinary();
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(to_child[0], STDIN_FILENO);
    ::dup2(from_child[1], STDOUT_FILENO);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDERR_FILENO);
    for (int fd : {to_child[0], to_child[1], from_child[0], from_child[1], null}) ::close(fd);
    ::execl(binary.c_str(), binary.c_str(), "check", "--as-of", kAsOf, "--format", "ndjson",
            "--detail", "summary", "-", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(to_child[0]);
  ::close(from_child[1]);
  std::string received;
  // Reads until `records` whole lines have come, or 20 s pass without a byte.
  const auto await_records = [&](std::size_t records) {
    while (static_cast<std::size_t>(std::count(received.begin(), received.end(), '\n')) < records) {
      pollfd ready{from_child[0], POLLIN, 0};
      if (::poll(&ready, 1, 20000) <= 0) return false;
      char buffer[4096];
      const ssize_t got = ::read(from_child[0], buffer, sizeof buffer);
      if (got <= 0) return false;
      received.append(buffer, static_cast<std::size_t>(got));
    }
    return true;
  };
  const std::vector<std::string> lines = {kGood, "{\"schol\": {}}", kGood};
  bool answered = true;
  for (std::size_t k = 0; k < lines.size() && answered; ++k) {
    const std::string line = lines[k] + "\n";
    REQUIRE(::write(to_child[1], line.data(), line.size()) == static_cast<ssize_t>(line.size()));
    answered = await_records(k + 1);
    INFO("record " << k + 1 << " of " << lines.size() << "; received: " << received);
    CHECK(answered);
  }
  ::close(to_child[1]);
  if (!answered) ::kill(pid, SIGKILL);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  ::close(from_child[0]);
  REQUIRE(answered);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == imgvisa::kExitUsage);  // the second line is not a profile
  const auto records = imgvisa::testing::JsonLines(received);
  REQUIRE(records.size() == 3);
  CHECK(records[0]["type"] == "result");
  CHECK(records[1]["type"] == "error");
  CHECK(records[2]["type"] == "result");
}

TEST_CASE("a full disk on standard output is an error with a message, never success") {
  const std::vector<std::vector<std::string>> commands = {
      {"check", "--as-of", kAsOf, "-"},
      {"check", "--as-of", kAsOf, "--format", "json", "-"},
      {"check", "--as-of", kAsOf, "--format", "ndjson", "-"},
      {"explain", "--as-of", kAsOf},
      {"explain", "--as-of", kAsOf, "--format", "markdown"},
      {"explain", "--as-of", kAsOf, "--format", "json"},
      {"docs", "profile"},
      {"docs", "pathways"},
      {"schema", "profile"},
      {"schema", "rules"},
      {"lint", "--as-of", kAsOf},
      {"lint", "--as-of", kAsOf, "--format", "json"},
      {"lint", "--as-of", kAsOf, "--format", "github"},
      {"lint", "--as-of", kAsOf, "--format", "sarif"},
      {"test"},
      {"test", "--format", "junit"},
      {"diff", "--old", SourcePath("tests/golden/diff/old"), "--new",
       SourcePath("tests/golden/diff/new"), "--as-of", kAsOf,
       SourcePath("tests/golden/diff/profiles/recent-graduate.json")},
      {"diff", "--old", SourcePath("tests/golden/diff/old"), "--new",
       SourcePath("tests/golden/diff/new"), "--as-of", kAsOf, "--format", "ndjson",
       SourcePath("tests/golden/diff/profiles/exam-failed-2021.json")},
      {"--version"},
      {"--help"},
      {"check", "--help"},
  };
  for (const auto& args : commands) {
    INFO(args[0] << " " << args.back());
    SpawnOptions spawn;
    spawn.argv = {ImgvisaBinary()};
    spawn.argv.insert(spawn.argv.end(), args.begin(), args.end());
    spawn.stdin_text = kGood;
    spawn.use_stdin_text = true;
    spawn.stdout_path = "/dev/full";
    const Spawned r = Spawn(spawn);
    CHECK(r.exited);
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(LineCount(r.err) == 1);
    CHECK(Contains(r.err, "cannot write the output: No space left on device\n"));
  }
}

TEST_CASE("a command that fails for another reason still says that its output was not written") {
  // A malformed test case exits 2; the failed write is said too, not hidden behind it.
  SpawnOptions spawn;
  spawn.argv = {ImgvisaBinary(), "test", SourcePath("tests/golden/lint/E060-bad-test-case/bad")};
  spawn.stdout_path = "/dev/full";
  const Spawned r = Spawn(spawn);
  CHECK(r.exited);
  CHECK(r.status == imgvisa::kExitUsage);
  CHECK(Contains(r.err, "error[E060]"));
  CHECK(Contains(r.err, "imgvisa: cannot write the output: No space left on device\n"));
}

TEST_CASE("ask on a full disk: the profile it cannot write is an error, on stdout and with --out") {
  // The interview goes to standard error; one answer, then the end of input saves it.
  for (const bool to_file : {false, true}) {
    INFO((to_file ? "--out /dev/full" : "standard output on /dev/full"));
    SpawnOptions spawn;
    spawn.argv = {ImgvisaBinary(), "ask", "--as-of", kAsOf};
    // A device is written in place: renaming a temporary file over it would replace the device.
    if (to_file) spawn.argv.insert(spawn.argv.end(), {"--out", "/dev/full", "--force"});
    spawn.stdin_text = "none\n";
    spawn.use_stdin_text = true;
    spawn.stdout_path = to_file ? "/dev/null" : "/dev/full";
    const Spawned r = Spawn(spawn);
    CHECK(r.exited);
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(Contains(r.err, to_file ? "imgvisa ask: cannot write /dev/full: No space left on device"
                                  : "imgvisa: cannot write the output: No space left on device\n"));
    struct stat st {};
    REQUIRE(::stat("/dev/full", &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
  }
}

// ---------------------------------------------------------------------------------------------
// Nothing lost: generated streams of good and bad lines

TEST_CASE(
    "property: every non-blank line gets exactly one record, in order, and good lines "
    "get the record they get alone") {
  const std::vector<std::string> good = imgvisa::testing::ExampleProfileLines();
  REQUIRE(good.size() >= 10);
  // A record without its line number; the warnings of a one-line profile are on that line.
  auto without_lines = [](json record, std::size_t line) {
    record.erase("line");
    if (record.contains("warnings")) {
      for (json& w : record["warnings"]) {
        CHECK(w["line"] == line);
        w.erase("line");
      }
    }
    return record;
  };
  // What each good profile gives when checked alone, without its line number.
  std::map<std::string, json> alone;
  for (const std::string& g : good) alone[g] = without_lines(Records(Check(g).out).at(0), 1);
  const std::vector<std::string> bad = {
      "{",
      "}",
      "[1, 2",
      "{\"schol\": {}}",
      "{\"us_status\": \"martian\"}",
      "{\"a\": 1, \"a\": 2}",
      std::string("{\"x\": \0}", 8),
      "\xff\xfe\xfd",
      "null",
      "42",
      Deep(70),
      "{\"usmle\": {\"step1\": {\"attempts\": 99999999999999999999}}}",
  };
  const std::vector<std::string> blank = {"", " ", "\t", "\r", " \t \r"};

  for (unsigned seed = 1; seed <= 12; ++seed) {
    std::mt19937 random(seed);
    auto pick = [&](std::size_t n) {
      return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
    };
    std::string stream;
    std::vector<std::pair<std::size_t, const std::string*>> expected;  // line, good profile
    const std::size_t lines = 20 + pick(60);
    for (std::size_t line = 1; line <= lines; ++line) {
      const std::size_t kind = pick(10);
      if (kind < 5) {
        const std::string& g = good[pick(good.size())];
        stream += g;
        expected.emplace_back(line, &g);
      } else if (kind < 8) {
        stream += bad[pick(bad.size())];
        expected.emplace_back(line, nullptr);
      } else {
        stream += blank[pick(blank.size())];
      }
      const bool last = line == lines;
      if (!last || pick(2) == 0) stream += pick(4) == 0 ? "\r\n" : "\n";
    }
    INFO("seed " << seed);
    const Result r = Check(stream);
    const auto records = Records(r.out);
    REQUIRE(records.size() == expected.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      CHECK(records[i]["line"] == expected[i].first);
      if (expected[i].second == nullptr) {
        CHECK(records[i]["type"] == "error");
        continue;
      }
      const json record = without_lines(records[i], expected[i].first);
      CHECK(record == alone.at(*expected[i].second));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The traps of CLI11 and the standard library

TEST_CASE("CLI11's own exit codes never leak out") {
  const std::vector<std::vector<std::string>> usage_errors = {
      {"check", "--as-of"},
      {"check", "--format", "xml", "-"},
      {"check", "--color", "maybe", "-"},
      {"check", "--nope", "-"},
      {"test", "--min-coverage", "200"},
      {"test", "--min-coverage", "lots"},
      {"test", "--format", "tap"},
      {"explain", "--format", "pdf"},
      {"docs"},
      {"docs", "everything"},
      {"docs", "profile", "extra"},
      {"--version", "extra"},
      {"frobnicate"},
      {std::string("check\xff")},
  };
  for (const auto& args : usage_errors) {
    INFO(args[0] << " " << args.back());
    const auto r = Imgvisa(args);
    CHECK(r.exited);
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(r.out.empty());
  }
  for (const std::string command : {"check", "test", "explain", "docs"}) {
    const auto r = Imgvisa({command, "--help"});
    CHECK(r.status == imgvisa::kExitOk);
    CHECK(Contains(r.out, "Usage"));
  }
}

TEST_CASE("std::regex (which recurses per character) is used nowhere in the program") {
  std::size_t files = 0;
  for (const char* dir : {"src", "include/imgvisa"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(SourcePath(dir))) {
      if (!entry.is_regular_file()) continue;
      ++files;
      const std::string text = imgvisa::testing::ReadText(entry.path().string());
      INFO(entry.path());
      CHECK_FALSE(Contains(text, "<regex>"));
      CHECK_FALSE(Contains(text, "std::regex"));
    }
  }
  CHECK(files > 20);
}

// Fault injection (docs/reliability.md): allocation failure at the Nth allocation, in-process
// through RunCheck and in the real binary through main. Built into its own test binary,
// imgvisa_fault_tests, because it replaces the global operator new (alloc_failure.cpp).

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <exception>
#include <new>
#include <set>
#include <sstream>

#include "alloc_failure.h"
#include "imgvisa/cli/cmd_check.h"
#include "imgvisa/cli/exit_code.h"
#include "spawn.h"

using imgvisa::CheckOptions;
using imgvisa::RunCheck;
using imgvisa::testing::AllocationFailureHappened;
using imgvisa::testing::AllocationsCounted;
using imgvisa::testing::FailAllocationAt;
using imgvisa::testing::Spawn;
using imgvisa::testing::SpawnOptions;
using imgvisa::testing::StopAllocationFaults;

namespace {

const char* kStream =
    R"({"$id": "a", "us_status": "none", "school": {"country": "IN"}, "usmle": {"step1": {"status": "passed"}}})"
    "\n{\"school\": \n"
    R"({"$id": "b", "us_status": "citizen", "school": {"country": "US"}})"
    "\n";

struct Outcome {
  bool threw = false;       // RunCheck threw std::bad_alloc
  bool terminated = false;  // std::terminate: bad_alloc inside a noexcept destructor
  bool failed = false;      // the injected failure happened
  int status = -1;
  std::string out;
  std::string err;
};

// Runs RunCheck in a child process with the `fail_at`th allocation failing (0: none), so that a
// failure which ends in std::terminate is observed rather than ending the test. nlohmann 3.11.2
// destroys values without recursion, which allocates inside its noexcept destructor: out of
// memory there terminates, whatever the caller does (main reports it, see the last test).
Outcome Check(const std::string& format, long fail_at, long* counted = nullptr) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    static int result_fd = fds[1];
    std::set_terminate([] {
      ::write(result_fd, "T", 1);
      ::_exit(0);
    });
    CheckOptions options;
    options.inputs = {"-"};
    options.format = format;
    options.as_of = "2026-11-21";
    std::istringstream in(kStream);
    std::ostringstream out, err;
    int status = -1;
    char threw = 'R';
    FailAllocationAt(fail_at);
    try {
      status = RunCheck(options, in, out, err);
    } catch (const std::bad_alloc&) {
      threw = 'B';
    }
    StopAllocationFaults();
    const std::string report = std::string(1, threw) + (AllocationFailureHappened() ? "1" : "0") +
                               std::to_string(status) + " " + std::to_string(AllocationsCounted()) +
                               " " + std::to_string(out.str().size()) + "\n" + out.str() +
                               err.str();
    for (std::size_t done = 0; done < report.size();) {
      const ssize_t n = ::write(fds[1], report.data() + done, report.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string report;
  char buffer[65536];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;)
    report.append(buffer, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int wait_status = 0;
  ::waitpid(pid, &wait_status, 0);
  REQUIRE(WIFEXITED(wait_status));  // the child neither crashed nor was killed
  Outcome o;
  REQUIRE(!report.empty());
  if (report == "T") {
    o.terminated = o.failed = true;
    return o;
  }
  o.threw = report[0] == 'B';
  o.failed = report[1] == '1';
  std::istringstream head(report.substr(2, report.find('\n') - 2));
  long count = 0;
  std::size_t out_size = 0;
  head >> o.status >> count >> out_size;
  if (counted != nullptr) *counted = count;
  const std::size_t body = report.find('\n') + 1;
  o.out = report.substr(body, out_size);
  o.err = report.substr(body + out_size);
  return o;
}

std::vector<std::string> CompleteLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  for (std::size_t nl; (nl = text.find('\n', pos)) != std::string::npos; pos = nl + 1)
    lines.push_back(text.substr(pos, nl - pos));
  return lines;
}

// Which allocations to fail: the first and last 48 one by one (start-up, and the records being
// written), and about 100 spread over the rest (loading the rule set is most of them).
// IMGVISA_FAULT_STRIDE=1 tries every one (slow: see docs/reliability.md).
std::set<long> Points(long total) {
  std::set<long> points;
  if (const char* stride = std::getenv("IMGVISA_FAULT_STRIDE")) {
    const long s = std::max(1L, std::atol(stride));
    for (long n = 1; n <= total; n += s) points.insert(n);
    return points;
  }
  for (long n = 1; n <= std::min(total, 48L); ++n) points.insert(n);
  for (long n = std::max(1L, total - 47); n <= total; ++n) points.insert(n);
  for (long i = 1; i < 100; ++i) points.insert(std::max(1L, total * i / 100));
  return points;
}

}  // namespace

TEST_CASE("an allocation failure anywhere in an NDJSON check throws bad_alloc or is reported") {
  long total = 0;
  const Outcome reference = Check("ndjson", 0, &total);
  REQUIRE(total > 100);
  REQUIRE(reference.status == imgvisa::kExitUsage);  // the stream holds one bad line
  const std::vector<std::string> expected = CompleteLines(reference.out);
  REQUIRE(expected.size() == 3);

  std::vector<std::string> problems;
  std::size_t threw = 0, terminated = 0, reported = 0;
  for (long n : Points(total)) {
    const Outcome o = Check("ndjson", n);
    const std::string at = "allocation " + std::to_string(n) + " of " + std::to_string(total);
    if (!o.failed) problems.push_back(at + ": the failure never happened");
    if (o.terminated) {
      ++terminated;
      continue;
    }
    (o.threw ? threw : reported) += 1;
    // Not thrown: only a write that the stream itself swallowed (ostream catches exceptions
    // and sets badbit) may end a run, and it must say the output is incomplete.
    if (!o.threw && (o.status != imgvisa::kExitUsage ||
                     o.err.find("cannot write the output") == std::string::npos)) {
      problems.push_back(at + ": swallowed, exit " + std::to_string(o.status) + ", " + o.err);
    }
    // Whatever was written is what a run without the failure writes, line for line.
    const std::vector<std::string> lines = CompleteLines(o.out);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (i >= expected.size() || lines[i] != expected[i])
        problems.push_back(at + ": record " + std::to_string(i + 1) + " differs: " + lines[i]);
    }
  }
  INFO(problems.size() << " problems, first: " << (problems.empty() ? "" : problems.front()));
  CHECK(problems.empty());
  // For the record (docs/reliability.md): how the failures ended.
  WARN(Points(total).size() << " of " << total << " allocations failed in turn: " << threw
                            << " threw bad_alloc, " << reported
                            << " were reported as a write error, " << terminated
                            << " terminated in nlohmann's noexcept destructor");
}

TEST_CASE("an allocation failure in text and json output never passes for success") {
  for (const char* format : {"text", "json"}) {
    long total = 0;
    Check(format, 0, &total);
    std::vector<std::string> problems;
    for (long i = 1; i <= 30; ++i) {
      const long n = std::max(1L, total * i / 30);
      const Outcome o = Check(format, n);
      if (!o.threw && !o.terminated && o.status != imgvisa::kExitUsage)
        problems.push_back(std::string(format) + " allocation " + std::to_string(n) + ": exit " +
                           std::to_string(o.status));
    }
    INFO((problems.empty() ? "" : problems.front()));
    CHECK(problems.empty());
  }
}

TEST_CASE("the imgvisa binary ends an allocation failure with one line and exit 2") {
  SpawnOptions spawn;
  spawn.argv = {
      IMGVISA_ALLOC_FAULT_BINARY, "check", "--as-of", "2026-11-21", "--format", "ndjson", "-"};
  spawn.stdin_text = kStream;
  spawn.use_stdin_text = true;
  spawn.env = {"IMGVISA_FAIL_ALLOC_AT=0"};
  const auto counted = Spawn(spawn);
  REQUIRE(counted.exited);
  REQUIRE(counted.status == imgvisa::kExitUsage);
  const auto pos = counted.err.find("allocations: ");
  REQUIRE(pos != std::string::npos);
  const long total = std::atol(counted.err.c_str() + pos + 13);
  REQUIRE(total > 100);
  const std::vector<std::string> expected = CompleteLines(counted.out);

  std::set<long> points = {1, 2, 3, 5, 10, 30, 100, 300, 1000, total - 20, total - 5, total - 1};
  for (long i = 1; i < 12; ++i) points.insert(total * i / 12);
  for (long n : points) {
    if (n < 1 || n > total) continue;
    spawn.env = {"IMGVISA_FAIL_ALLOC_AT=" + std::to_string(n)};
    const auto r = Spawn(spawn);
    INFO("allocation " << n << " of " << total << "; stderr: " << r.err);
    CHECK(r.exited);  // not killed by a signal: no abort, no sanitizer report
    CHECK(r.status == imgvisa::kExitUsage);
    CHECK(r.err.find("imgvisa: out of memory; the output is incomplete\n") != std::string::npos);
    const std::vector<std::string> lines = CompleteLines(r.out);
    CHECK(lines.size() <= expected.size());
    for (std::size_t i = 0; i < lines.size() && i < expected.size(); ++i)
      CHECK(lines[i] == expected[i]);
  }
}

#include "cli/profile_stream.h"

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "one_line_at_a_time.h"
#include "test_support.h"

using imgvisa::ProfileLine;
using imgvisa::ProfileStream;

namespace {

std::vector<ProfileLine> ReadAll(const std::string& text, std::size_t max) {
  std::istringstream in(text);
  ProfileStream stream(in, nullptr, max);
  std::vector<ProfileLine> lines;
  ProfileLine line;
  while (stream.Next(line)) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("profile stream: numbered lines, CRLF, blank lines and a last line without newline") {
  const auto lines = ReadAll("{\"a\": 1}\n\n \t\r\n{\"b\": 2}\r\n{\"c\": 3}", 100);
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].number == 1);
  CHECK(lines[0].text == "{\"a\": 1}");
  CHECK(lines[0].length == 8);
  CHECK_FALSE(lines[0].blank);
  CHECK_FALSE(lines[0].carriage_return);
  CHECK(lines[1].blank);
  CHECK(lines[1].text.empty());
  CHECK(lines[2].blank);
  CHECK(lines[2].carriage_return);
  CHECK(lines[2].text == " \t");
  CHECK(lines[3].number == 4);
  CHECK(lines[3].text == "{\"b\": 2}");
  CHECK(lines[3].length == 9);  // the '\r' counts in the length, not in the text
  CHECK(lines[3].ContentLength() == 8);
  CHECK(lines[3].carriage_return);
  CHECK(lines[4].number == 5);
  CHECK(lines[4].text == "{\"c\": 3}");

  CHECK(ReadAll("", 100).empty());
  CHECK(ReadAll("a\n", 100).size() == 1);  // no empty line after the last newline
  CHECK(ReadAll("\n", 100).size() == 1);
}

TEST_CASE("profile stream: a line past the limit keeps limit + 1 bytes and its full length") {
  // Longer than the stream's read buffer too, so the line arrives in pieces.
  const std::string longer(200000, 'x');
  const auto lines = ReadAll("ok\n" + longer + "\r\n" + std::string(150000, ' ') + "\nend", 10);
  REQUIRE(lines.size() == 4);
  CHECK(lines[1].number == 2);
  CHECK(lines[1].length == 200001);
  CHECK(lines[1].ContentLength() == 200000);
  CHECK(lines[1].carriage_return);
  CHECK(lines[1].text == std::string(11, 'x'));
  CHECK_FALSE(lines[1].blank);
  // Blank however long: the bytes past the limit are looked at too.
  CHECK(lines[2].blank);
  CHECK(lines[2].length == 150000);
  CHECK(lines[3].text == "end");

  // At the limit, and one byte past it because of a '\r' only: the whole line, '\r' removed.
  const auto edge = ReadAll("0123456789\n0123456789\r\n0123456789A\r\n", 10);
  REQUIRE(edge.size() == 3);
  CHECK(edge[0].text == "0123456789");
  CHECK(edge[0].length == 10);
  CHECK(edge[1].text == "0123456789");
  CHECK(edge[1].length == 11);
  CHECK(edge[1].ContentLength() == 10);
  CHECK(edge[2].length == 12);
  CHECK(edge[2].ContentLength() == 11);
  CHECK(edge[2].text == "0123456789A");  // a prefix of limit + 1 bytes: too long

  // A blank line that is long, and one with something after the limit, are told apart.
  const auto tail = ReadAll(std::string(70000, ' ') + "x\n", 10);
  REQUIRE(tail.size() == 1);
  CHECK_FALSE(tail[0].blank);
}

TEST_CASE("profile stream: batches reuse their lines and continue the numbering") {
  std::istringstream in("a\nb\nc\nd\ne\n");
  ProfileStream stream(in, nullptr, 100);
  std::vector<ProfileLine> lines;
  CHECK(stream.NextBatch(lines, 2) == 2);
  CHECK(lines.size() == 2);
  CHECK(lines[1].text == "b");
  CHECK(lines[1].number == 2);
  CHECK(stream.NextBatch(lines, 1) == 1);
  CHECK(lines.size() == 2);  // never shrunk
  CHECK(lines[0].text == "c");
  CHECK(lines[0].number == 3);
  CHECK(stream.NextBatch(lines, 4) == 2);
  CHECK(lines.size() == 4);
  CHECK(lines[1].text == "e");
  CHECK(lines[1].number == 5);
  CHECK(stream.NextBatch(lines, 4) == 0);
  CHECK_FALSE(stream.ReadFailed());
}

TEST_CASE("profile stream: untied while it reads, and told before each read that may wait") {
  std::ostringstream out;
  imgvisa::testing::OneLineAtATime producer({"one", "two", "three"});
  std::istream in(&producer);
  in.tie(&out);
  std::size_t waits = 0;
  {
    ProfileStream stream(
        in, [&] { ++waits; }, 100);
    CHECK(in.tie() == nullptr);
    ProfileLine line;
    while (stream.Next(line)) {
    }
    CHECK(line.number == 3);
  }
  CHECK(in.tie() == &out);
  CHECK(waits == 4);  // before each line, and before finding the end

  // A buffered input has what the next read needs: no wait until its end.
  std::istringstream buffered("one\ntwo\nthree\n");
  waits = 0;
  ProfileStream stream(
      buffered, [&] { ++waits; }, 100);
  ProfileLine line;
  while (stream.Next(line)) {
  }
  CHECK(waits == 1);
}

TEST_CASE("read profile: a file, or all of standard input, up to a limit") {
  std::istringstream in("{\"a\": 1}\n{\"b\": 2}\n");
  imgvisa::FileRead read = imgvisa::ReadProfile("-", in, 100);
  CHECK(read.ok);
  CHECK(read.text == "{\"a\": 1}\n{\"b\": 2}\n");

  std::istringstream big(std::string(200000, ' '));
  read = imgvisa::ReadProfile("-", big, 100000);
  CHECK_FALSE(read.ok);
  CHECK(read.text.empty());
  CHECK(read.error == "larger than the limit of 100000 bytes");

  std::istringstream unused("not read");
  const std::string path = imgvisa::testing::SourcePath("examples/profiles");
  read = imgvisa::ReadProfile(path, unused, 100000);
  CHECK_FALSE(read.ok);
  CHECK(read.error == "is a directory, not a file");
  read = imgvisa::ReadProfile(path + "/no-such-profile.json", unused, 100000);
  CHECK_FALSE(read.ok);
  CHECK(read.error == "No such file or directory");
  CHECK(unused.tellg() == 0);
}

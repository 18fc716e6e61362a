#include "imgvisa/sys/descriptor_input.h"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <istream>
#include <string>
#include <vector>

using imgvisa::DescriptorInput;

namespace {

// Both ends of a pipe, closed on scope exit.
struct Pipe {
  int read_end = -1;
  int write_end = -1;
  Pipe() {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    read_end = fds[0];
    write_end = fds[1];
  }
  ~Pipe() {
    if (read_end >= 0) ::close(read_end);
    CloseWriter();
  }
  void Write(const std::string& s) const {
    REQUIRE(::write(write_end, s.data(), s.size()) == static_cast<ssize_t>(s.size()));
  }
  void CloseWriter() {
    if (write_end >= 0) ::close(write_end);
    write_end = -1;
  }
};

std::vector<std::string> Lines(std::istream& in) {
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("DescriptorInput gives the bytes written, whatever its block size") {
  const std::string text = "{\"a\":1}\n\n{\"b\":\"two\"}\nlast line without newline";
  for (std::size_t capacity : {1, 2, 3, 7, 64, 1024}) {
    Pipe pipe;
    pipe.Write(text);
    pipe.CloseWriter();
    DescriptorInput buffer(pipe.read_end, capacity);
    std::istream in(&buffer);
    CAPTURE(capacity);
    CHECK(Lines(in) == std::vector<std::string>{"{\"a\":1}", "", "{\"b\":\"two\"}",
                                                "last line without newline"});
    CHECK(in.eof());
    CHECK_FALSE(in.bad());
  }
}

TEST_CASE("DescriptorInput answers with what one read returns, without waiting to fill its block") {
  // A producer writes one line and waits for its record. The read end does not block, so a
  // buffer that waited for more would fail the read (EAGAIN) rather than hang the test.
  Pipe pipe;
  REQUIRE(::fcntl(pipe.read_end, F_SETFL, O_NONBLOCK) == 0);
  pipe.Write("{\"first\":true}\n");
  DescriptorInput buffer(pipe.read_end, 1 << 16);
  std::istream in(&buffer);
  std::string line;
  REQUIRE(std::getline(in, line));
  CHECK(line == "{\"first\":true}");
  // Nothing is left in the block: StreamLines flushes its records before the next read.
  CHECK(buffer.in_avail() == 0);
  pipe.Write("{\"second\":true}\n");
  REQUIRE(std::getline(in, line));
  CHECK(line == "{\"second\":true}");
}

TEST_CASE("DescriptorInput reports a failed read as badbit, and the end of input as eof") {
  SECTION("a descriptor that cannot be read") {
    DescriptorInput buffer(-1, 16);
    std::istream in(&buffer);
    std::string line;
    CHECK_FALSE(std::getline(in, line));
    CHECK(in.bad());
  }
  SECTION("a directory") {
    const int fd = ::open(".", O_RDONLY | O_DIRECTORY);
    REQUIRE(fd >= 0);
    DescriptorInput buffer(fd, 16);
    std::istream in(&buffer);
    std::string line;
    CHECK_FALSE(std::getline(in, line));
    CHECK(in.bad());
    ::close(fd);
  }
  SECTION("an empty input") {
    Pipe pipe;
    pipe.CloseWriter();
    DescriptorInput buffer(pipe.read_end, 16);
    std::istream in(&buffer);
    std::string line;
    CHECK_FALSE(std::getline(in, line));
    CHECK(in.eof());
    CHECK_FALSE(in.bad());
  }
}

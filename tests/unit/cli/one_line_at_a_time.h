#pragma once

#include <functional>
#include <streambuf>
#include <string>
#include <utility>
#include <vector>

namespace imgvisa::testing {

// An input from a producer that writes one line and waits before writing the next: each read
// of the buffer hands out one line, and `on_wait` runs every time the reader has to wait (the
// producer can then look at what the reader wrote so far).
class OneLineAtATime : public std::streambuf {
 public:
  explicit OneLineAtATime(std::vector<std::string> lines, std::function<void()> on_wait = {})
      : lines_(std::move(lines)), on_wait_(std::move(on_wait)) {}

 protected:
  int_type underflow() override {
    if (on_wait_) on_wait_();
    if (next_ == lines_.size()) return traits_type::eof();
    current_ = lines_[next_++] + "\n";
    setg(current_.data(), current_.data(), current_.data() + current_.size());
    return traits_type::to_int_type(current_[0]);
  }

 private:
  std::vector<std::string> lines_;
  std::function<void()> on_wait_;
  std::size_t next_ = 0;
  std::string current_;
};

}  // namespace imgvisa::testing

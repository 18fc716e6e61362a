// Floor for the NDJSON path: reads profiles one per line from standard input and only parses
// each line into a DOM, with the JSON library named by the argument. Prints to standard output
// the number of lines parsed and a checksum (so the work cannot be optimised away); bench/run
// times the whole process.
//
//   parse_only nlohmann|nlohmann-ordered|nlohmann-sax|simdjson < profiles.ndjson

#include <simdjson.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace {

// Calls `f` with each line of standard input, without its newline; reads in 1 MiB blocks so
// that the cost of reading is the same for every library.
template <typename F>
void ForEachLine(F&& f) {
  std::string pending;
  std::string block(1 << 20, '\0');
  ssize_t n;
  while ((n = ::read(STDIN_FILENO, block.data(), block.size())) > 0) {
    std::string_view data(block.data(), static_cast<std::size_t>(n));
    while (true) {
      const std::size_t nl = data.find('\n');
      if (nl == std::string_view::npos) {
        pending.append(data);
        break;
      }
      if (pending.empty()) {
        f(data.substr(0, nl));
      } else {
        pending.append(data.substr(0, nl));
        f(std::string_view(pending));
        pending.clear();
      }
      data.remove_prefix(nl + 1);
    }
  }
  if (!pending.empty()) f(std::string_view(pending));
}

// A SAX consumer that builds nothing: the lexer's cost alone.
struct NullSax : nlohmann::json_sax<nlohmann::json> {
  std::size_t events = 0;
  bool null() override { return ++events; }
  bool boolean(bool) override { return ++events; }
  bool number_integer(number_integer_t) override { return ++events; }
  bool number_unsigned(number_unsigned_t) override { return ++events; }
  bool number_float(number_float_t, const string_t&) override { return ++events; }
  bool string(string_t&) override { return ++events; }
  bool binary(binary_t&) override { return ++events; }
  bool start_object(std::size_t) override { return ++events; }
  bool key(string_t&) override { return ++events; }
  bool end_object() override { return ++events; }
  bool start_array(std::size_t) override { return ++events; }
  bool end_array() override { return ++events; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  std::size_t lines = 0, sum = 0, bad = 0;
  if (mode == "nlohmann") {
    ForEachLine([&](std::string_view line) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      bad += j.is_discarded();
      sum += j.size();
      ++lines;
    });
  } else if (mode == "nlohmann-ordered") {
    ForEachLine([&](std::string_view line) {
      auto j = nlohmann::ordered_json::parse(line, nullptr, false);
      bad += j.is_discarded();
      sum += j.size();
      ++lines;
    });
  } else if (mode == "nlohmann-sax") {
    ForEachLine([&](std::string_view line) {
      NullSax sax;
      bad += !nlohmann::json::sax_parse(line, &sax);
      sum += sax.events;
      ++lines;
    });
  } else if (mode == "simdjson") {
    simdjson::dom::parser parser;
    ForEachLine([&](std::string_view line) {
      simdjson::dom::element doc;
      if (parser.parse(line.data(), line.size(), true).get(doc)) {
        ++bad;
      } else {
        simdjson::dom::object o;
        if (!doc.get_object().get(o)) sum += o.size();
      }
      ++lines;
    });
  } else {
    std::fprintf(stderr, "usage: parse_only nlohmann|nlohmann-ordered|nlohmann-sax|simdjson\n");
    return 2;
  }
  std::printf("%zu lines, %zu bad, checksum %zu\n", lines, bad, sum);
  return bad == 0 ? 0 : 1;
}

#include "test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "imgvisa/rules/rule_set_from_json.h"

namespace imgvisa::testing {

std::string SourcePath(const std::string& relative) {
  return std::string(IMGVISA_SOURCE_DIR) + "/" + relative;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

RuleSet MustLoad(std::vector<SourceFile> files) {
  RuleSetLoad load = RuleSetFromFiles(std::move(files));
  std::string report;
  for (const Diagnostic& d : load.diagnostics) report += FormatDiagnostic(d) + "\n";
  INFO(report);
  REQUIRE(load.ok());
  return std::move(*load.rules);
}

std::vector<SourceFile> TinyRuleSet(const std::string& facts_json,
                                    const std::string& pathway_json) {
  return {SourceFile("ruleset.json", R"({"ruleset": {"name": "tiny", "version": "1"}})"),
          SourceFile("facts.json", "{\"facts\": " + facts_json + "}"),
          SourceFile("pathway.json", pathway_json)};
}

Process RunImgvisa(const std::vector<std::string>& args, const std::string& input,
                   const std::vector<std::string>& env) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  REQUIRE(pipe(in_pipe) == 0);
  REQUIRE(pipe(out_pipe) == 0);
  REQUIRE(pipe(err_pipe) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
      close(fd);
    for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> argv;
    std::string binary = IMGVISA_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  // Feed stdin and drain both outputs together so that no pipe fills up and blocks.
  fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
  std::size_t written = 0;
  bool in_open = true;
  if (input.empty()) {
    close(in_pipe[1]);
    in_open = false;
  }
  Process result;
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    std::vector<pollfd> fds;
    if (out_open) fds.push_back({out_pipe[0], POLLIN, 0});
    if (err_open) fds.push_back({err_pipe[0], POLLIN, 0});
    if (in_open) fds.push_back({in_pipe[1], POLLOUT, 0});
    poll(fds.data(), fds.size(), -1);
    for (const pollfd& p : fds) {
      if (p.revents == 0) continue;
      if (p.fd == in_pipe[1]) {
        const ssize_t n = write(in_pipe[1], input.data() + written, input.size() - written);
        if (n > 0) written += static_cast<std::size_t>(n);
        if (n < 0 || written == input.size()) {
          close(in_pipe[1]);
          in_open = false;
        }
        continue;
      }
      char buffer[65536];
      const ssize_t n = read(p.fd, buffer, sizeof buffer);
      std::string& into = p.fd == out_pipe[0] ? result.out : result.err;
      if (n > 0) {
        into.append(buffer, static_cast<std::size_t>(n));
      } else {
        (p.fd == out_pipe[0] ? out_open : err_open) = false;
      }
    }
  }
  if (in_open) close(in_pipe[1]);
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> records;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) records.push_back(nlohmann::json::parse(line));
  return records;
}

void CheckGolden(const std::string& relative, const std::string& actual) {
  const std::string path = SourcePath(relative);
  const char* update = std::getenv("IMGVISA_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    WriteText(path, actual);
    return;
  }
  const std::string expected = ReadText(path);
  INFO("golden file " << relative
                      << " (set IMGVISA_UPDATE_GOLDEN=1 to rewrite it, then review git diff)");
  CHECK(actual == expected);
}

std::vector<std::string> ExampleProfileLines() {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& entry : std::filesystem::directory_iterator(SourcePath("examples/profiles"))) {
    files.emplace_back(entry.path().filename().string(),
                       nlohmann::ordered_json::parse(ReadText(entry.path().string())).dump());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> profiles;
  for (auto& f : files) profiles.push_back(std::move(f.second));
  return profiles;
}

}  // namespace imgvisa::testing

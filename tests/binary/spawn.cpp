#include "spawn.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace imgvisa::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string ImgvisaBinary() { return IMGVISA_BINARY; }

std::string TempPath(const std::string& suffix) {
  static std::atomic<int> counter{0};
  return "/tmp/imgvisa-reliability-" + std::to_string(::getpid()) + "-" +
         std::to_string(counter++) + suffix;
}

Spawned Spawn(const SpawnOptions& options) {
  const std::string err_path = TempPath(".err");
  const std::string out_path = options.stdout_path.empty() ? TempPath(".out") : "";
  std::string in_path = options.stdin_path;
  if (options.use_stdin_text) {
    in_path = TempPath(".in");
    std::ofstream(in_path, std::ios::binary) << options.stdin_text;
  }
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int in = ::open(in_path.c_str(), O_RDONLY);
    int out = options.stdout_fd;
    if (out < 0) {
      const std::string& path = out_path.empty() ? options.stdout_path : out_path;
      out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    }
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) ::_exit(126);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    for (const std::string& e : options.env) ::putenv(const_cast<char*>(e.c_str()));
    if (options.address_space_bytes > 0) {
      const rlimit limit{options.address_space_bytes, options.address_space_bytes};
      if (::setrlimit(RLIMIT_AS, &limit) != 0) ::_exit(126);
    }
    std::vector<char*> argv;
    std::vector<std::string> copy = options.argv;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  Spawned result;
  int status = 0;
  if (options.timeout_seconds > 0) {
    const auto deadline = start + std::chrono::duration<double>(options.timeout_seconds);
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (Clock::now() >= deadline) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        result.timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  } else {
    ::waitpid(pid, &status, 0);
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.exited = WIFEXITED(status);
  result.status = result.exited ? WEXITSTATUS(status) : WTERMSIG(status);
  if (!out_path.empty()) {
    result.out = Slurp(out_path);
    ::unlink(out_path.c_str());
  }
  result.err = Slurp(err_path);
  ::unlink(err_path.c_str());
  if (options.use_stdin_text) ::unlink(in_path.c_str());
  return result;
}

}  // namespace imgvisa::testing

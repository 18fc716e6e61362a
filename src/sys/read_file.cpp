#include "imgvisa/sys/read_file.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace imgvisa {

FileRead ReadFile(const std::string& path, std::size_t max_bytes) {
  FileRead out;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    out.error = std::strerror(errno);
    return out;
  }
  if (S_ISDIR(st.st_mode)) {
    out.error = "is a directory, not a file";
    return out;
  }
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    out.error = std::strerror(errno);
    return out;
  }
  char buffer[64 * 1024];
  while (true) {
    const std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
    if (n > 0) {
      if (out.text.size() + n > max_bytes) {
        out.text.clear();
        out.error = fmt::format("larger than the limit of {} bytes", max_bytes);
        return out;
      }
      out.text.append(buffer, n);
    }
    if (n < sizeof buffer) {
      if (std::ferror(file.get())) {
        out.text.clear();
        out.error = std::strerror(errno);
        return out;
      }
      break;
    }
  }
  out.ok = true;
  return out;
}

}  // namespace imgvisa

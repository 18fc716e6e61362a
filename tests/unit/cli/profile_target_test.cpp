#include "cli/profile_target.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <string>

#include "test_support.h"

using imgvisa::ProfileTarget;
using imgvisa::ProfileTargetFor;
using imgvisa::ProfileTargetProblem;
using imgvisa::testing::ReadText;
using imgvisa::testing::WriteText;

namespace {

// A fresh directory under /tmp; the tests remove what they make in it.
std::string MakeTempDir() {
  char pattern[] = "/tmp/imgvisa-target-XXXXXX";
  REQUIRE(mkdtemp(pattern) != nullptr);
  return pattern;
}

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

TEST_CASE("a profile target is checked before the first question") {
  const std::string dir = MakeTempDir();
  const std::string path = dir + "/p.json";
  CHECK(ProfileTargetProblem(ProfileTargetFor("", false)).empty());
  CHECK(ProfileTargetProblem(ProfileTargetFor(path, false)).empty());
  CHECK_FALSE(Exists(ProfileTargetFor(path, false).temp));  // the probe leaves nothing
  CHECK(ProfileTargetProblem(ProfileTargetFor(dir, true)) == dir + " is a directory");
  WriteText(path, "keep me");
  CHECK(ProfileTargetProblem(ProfileTargetFor(path, false)) ==
        path + " already exists; use --force to overwrite it");
  CHECK(ProfileTargetProblem(ProfileTargetFor(path, true)).empty());
  const std::string missing = dir + "/missing/p.json";
  CHECK(ProfileTargetProblem(ProfileTargetFor(missing, true)).rfind("cannot write " + missing, 0) ==
        0);
  ::unlink(path.c_str());
  ::rmdir(dir.c_str());
}

TEST_CASE("a profile is written whole, and over a file only when replacing") {
  const std::string dir = MakeTempDir();
  const std::string path = dir + "/p.json";
  const std::string text = "{}\n";
  ProfileTarget target = ProfileTargetFor(path, false);
  CHECK(target.temp.rfind(dir + "/.p.json.imgvisa-", 0) == 0);
  REQUIRE(imgvisa::WriteProfile(target, text.data(), text.size()) == 0);
  CHECK(ReadText(path) == text);
  CHECK_FALSE(Exists(target.temp));
  // A file that appeared since the start is not overwritten, and no temporary file is left.
  const std::string other = "{\"status\": null}\n";
  const int error = imgvisa::WriteProfile(target, other.data(), other.size());
  if (error == 0) {
    WARN("this file system has no RENAME_NOREPLACE: only the check at the start holds");
  } else {
    CHECK(error == EEXIST);
    CHECK(ReadText(path) == text);
  }
  CHECK_FALSE(Exists(target.temp));
  target.replace = true;
  CHECK(imgvisa::WriteProfile(target, other.data(), other.size()) == 0);
  CHECK(ReadText(path) == other);
  ::unlink(path.c_str());
  ::rmdir(dir.c_str());
}

TEST_CASE("what became of the answers, for a file and for standard output") {
  const ProfileTarget file = ProfileTargetFor("p.json", false);
  CHECK(imgvisa::SavedMessage(file, 0) == "nothing answered; p.json not written");
  CHECK(imgvisa::SavedMessage(file, 1) == "saved 1 answer to p.json");
  CHECK(imgvisa::SavedMessage(file, 3) == "saved 3 answers to p.json");
  CHECK(imgvisa::SavedMessage(ProfileTargetFor("", false), 2) ==
        "printed 2 answers to standard output");
  // A path is shown escaped.
  CHECK(ProfileTargetFor("a\nb", false).shown != "a\nb");
}

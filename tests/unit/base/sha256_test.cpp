#include "base/sha256.h"

#include <catch2/catch.hpp>

TEST_CASE("SHA-256 matches the FIPS 180-4 examples") {
  CHECK(imgvisa::Sha256Hex("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(imgvisa::Sha256Hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(imgvisa::Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(imgvisa::Sha256Hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("the rule set hash ignores the root prefix of file names") {
  using imgvisa::SourceFile;
  std::vector<SourceFile> embedded = {SourceFile("rules/a.json", "{}")};
  std::vector<SourceFile> on_disk = {SourceFile("/tmp/x/a.json", "{}")};
  CHECK(imgvisa::RuleSetHash(embedded, "rules/") == imgvisa::RuleSetHash(on_disk, "/tmp/x/"));
  std::vector<SourceFile> changed = {SourceFile("rules/a.json", "{ }")};
  CHECK(imgvisa::RuleSetHash(embedded, "rules/") != imgvisa::RuleSetHash(changed, "rules/"));
}

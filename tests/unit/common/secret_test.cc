#include "server/common/secret.h"

#include <unistd.h>

#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace gateway::common {
namespace {

std::string Write(const std::string& name, const std::string& content) {
  // Per process: test binaries run in parallel and share the temp dir.
  const std::string path = absl::StrCat(::testing::TempDir(), "/", ::getpid(), "-", name);
  std::ofstream(path, std::ios::trunc) << content;
  return path;
}

TEST(SecretFileTest, ReadsTrimmedContent) {
  auto file = SecretFile::Open(Write("a.key", "\n  pk_test_abc  \n"));
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ((*file)->Current().Reveal(), "pk_test_abc");
}

TEST(SecretFileTest, PicksUpARotationAndKeepsTheLastGoodValueWhenTheFileBreaks) {
  const std::string path = Write("b.key", "pk_test_first");
  auto file = SecretFile::Open(path, absl::ZeroDuration());
  ASSERT_TRUE(file.ok());
  Write("b.key", "pk_test_second_longer");
  EXPECT_EQ((*file)->Current().Reveal(), "pk_test_second_longer");
  Write("b.key", "");
  EXPECT_EQ((*file)->Current().Reveal(), "pk_test_second_longer");
  std::remove(path.c_str());
  EXPECT_EQ((*file)->Current().Reveal(), "pk_test_second_longer");
}

TEST(SecretFileTest, ErrorsNameThePathButNeverTheContent) {
  EXPECT_EQ(SecretFile::Open("/nonexistent/x.key").status().code(), absl::StatusCode::kNotFound);
  auto empty = SecretFile::Open(Write("c.key", " \n\t"));
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(empty.status().message().find("c.key"), absl::string_view::npos);
}

}  // namespace
}  // namespace gateway::common

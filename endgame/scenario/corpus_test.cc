// Every `.scn` file under corpus/ (recursively) parses, prints to text that
// parses back to the same value, and encodes to bytes that decode to it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "endgame/scenario/check.h"
#include "endgame/scenario/codec.h"
#include "endgame/scenario/text.h"

namespace endgame::scenario {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(ENDGAME_CORPUS_DIR, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".scn") {
      out.push_back(fs::relative(it->path(), ENDGAME_CORPUS_DIR).string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class CorpusTest : public testing::TestWithParam<std::string> {};

TEST_P(CorpusTest, RoundTrips) {
  const std::string path = std::string(ENDGAME_CORPUS_DIR) + "/" + GetParam();
  absl::StatusOr<Scenario> s = ParseScenario(ReadFile(path), path);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_TRUE(CheckScenario(*s, path).ok());
  // text -> value -> text
  const std::string canonical = PrintScenario(*s);
  absl::StatusOr<Scenario> again = ParseScenario(canonical, "canonical");
  ASSERT_TRUE(again.ok()) << again.status() << "\n" << canonical;
  EXPECT_EQ(*again, *s);
  EXPECT_EQ(PrintScenario(*again), canonical);
  // value -> bytes -> value
  const std::string bytes = EncodeScenario(*s);
  EXPECT_EQ(DecodeScenario(bytes), *s);
  EXPECT_EQ(EncodeScenario(DecodeScenario(bytes)), bytes);
}

std::string TestName(const testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Files, CorpusTest, testing::ValuesIn(CorpusFiles()), TestName);

TEST(CorpusFilesTest, ScenarioSeedsExist) {
  std::vector<std::string> files = CorpusFiles();
  EXPECT_GE(std::count_if(files.begin(), files.end(),
                          [](const std::string& f) { return f.rfind("scenario/", 0) == 0; }),
            5);
}

}  // namespace
}  // namespace endgame::scenario

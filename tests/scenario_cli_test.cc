// The scenario subcommands end to end: `endgame check|print|encode|decode`
// run as subprocesses on files written here or taken from corpus/.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "endgame/base/subprocess.h"
#include "endgame/scenario/codec.h"
#include "endgame/scenario/testdata/malformed_cases.h"
#include "endgame/scenario/text.h"

namespace endgame {
namespace {

namespace fs = std::filesystem;
namespace sc = ::endgame::scenario;

ChildResult Endgame(std::vector<std::string> args, std::string stdin_data = "") {
  ChildOptions o;
  o.argv = {ENDGAME_BIN};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.stdin_data = std::move(stdin_data);
  o.timeout = absl::Seconds(60);
  absl::StatusOr<ChildResult> r = RunChild(o);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : ChildResult{};
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A test name usable as a file name ("Cases/X" -> "Cases_X").
std::string Sanitize(std::string name) {
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return name;
}

class ScenarioCliTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) /
           ("scenario_cli_" + std::to_string(getpid()) + "_" +
            Sanitize(testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& contents) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << contents;
    return path;
  }

  fs::path dir_;
};

// Every malformed input: exit 2, nothing on stdout, exactly one stderr line
// "path:line:col: message".
class MalformedCliTest : public ScenarioCliTest,
                         public testing::WithParamInterface<sc::testdata::MalformedCase> {};

TEST_P(MalformedCliTest, CheckGivesExactErrorAndExit2) {
  const sc::testdata::MalformedCase& c = GetParam();
  const std::string path = Write(c.name + ".scn", c.text);
  ChildResult r = Endgame({"check", path});
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, path + ":" + c.error + "\n");
}

INSTANTIATE_TEST_SUITE_P(Cases, MalformedCliTest, testing::ValuesIn(sc::testdata::MalformedCases()),
                         [](const testing::TestParamInfo<sc::testdata::MalformedCase>& i) {
                           return i.param.name;
                         });

// print, encode and decode refuse malformed input the same way.
TEST_F(ScenarioCliTest, OtherCommandsRejectMalformedToo) {
  const std::string path = Write("bad.scn", "spawn a\nexec a bussy\n");
  const std::string want = path + ":2:8: unknown snippet 'bussy' (did you mean 'busy'?)\n";
  for (std::vector<std::string> args :
       {std::vector<std::string>{"print", path},
        std::vector<std::string>{"encode", path, "-o", path + ".bin"}}) {
    ChildResult r = Endgame(args);
    EXPECT_EQ(r.exit_code, 2) << args[0];
    EXPECT_EQ(r.err, want) << args[0];
    EXPECT_EQ(r.out, "") << args[0];
  }
  EXPECT_FALSE(fs::exists(path + ".bin"));
}

TEST_F(ScenarioCliTest, CheckManyFilesReportsEachError) {
  const std::string good = Write("good.scn", "spawn a\ndestroy a\n");
  const std::string bad1 = Write("bad1.scn", "gc a\n");
  const std::string bad2 = Write("bad2.scn", "sleep ms=x\n");
  ChildResult r = Endgame({"check", bad1, good, bad2});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, bad1 + ":1:4: interpreter 'a' is used before it is spawned\n" + bad2 +
                       ":1:10: expected a number for 'ms', got 'x'\n");
}

TEST_F(ScenarioCliTest, CheckCorpusIsQuietAndSucceeds) {
  std::vector<std::string> args = {"check"};
  for (const auto& e : fs::recursive_directory_iterator(ENDGAME_CORPUS_DIR)) {
    if (e.path().extension() == ".scn") args.push_back(e.path().string());
  }
  ASSERT_GT(args.size(), 5u);
  ChildResult r = Endgame(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

TEST_F(ScenarioCliTest, StdinIsNamedInErrors) {
  ChildResult r = Endgame({"check", "-"}, "spawn a\nspawn a\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "<stdin>:2:7: interpreter 'a' is already spawned (line 1)\n");
}

TEST_F(ScenarioCliTest, PrintGivesCanonicalText) {
  const std::string path =
      Write("x.scn",
            "# comment\nspawn   a isolated\nexec a busy ms=100 as t # default ms\n"
            "destroy a via=auto\n");
  ChildResult r = Endgame({"print", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "spawn a\nexec a busy as t\ndestroy a\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(ScenarioCliTest, EncodeDecodeRoundTripsTheCorpus) {
  for (const auto& e : fs::recursive_directory_iterator(ENDGAME_CORPUS_DIR)) {
    if (e.path().extension() != ".scn") continue;
    const std::string src = e.path().string();
    const std::string bin = (dir_ / (e.path().stem().string() + ".bin")).string();
    ChildResult enc = Endgame({"encode", src, "-o", bin});
    ASSERT_EQ(enc.exit_code, 0) << src << ": " << enc.err;
    absl::StatusOr<sc::Scenario> s = sc::ParseScenario(ReadFile(src), src);
    ASSERT_TRUE(s.ok()) << s.status();
    EXPECT_EQ(ReadFile(bin), sc::EncodeScenario(*s)) << src;
    ChildResult dec = Endgame({"decode", bin});
    ASSERT_EQ(dec.exit_code, 0) << dec.err;
    EXPECT_EQ(dec.out, sc::PrintScenario(*s)) << src;
    ChildResult print = Endgame({"print", src});
    EXPECT_EQ(print.out, dec.out) << src;
  }
}

// decode never fails on readable bytes; its text always checks.
TEST_F(ScenarioCliTest, DecodeAnyBytes) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 20; ++i) {
    std::string bytes(rng() % 400, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    const std::string bin = Write("r" + std::to_string(i) + ".bin", bytes);
    ChildResult dec = Endgame({"decode", bin});
    ASSERT_EQ(dec.exit_code, 0) << dec.err;
    EXPECT_EQ(dec.out, sc::PrintScenario(sc::DecodeScenario(bytes)));
    ChildResult check = Endgame({"check", "-"}, dec.out);
    EXPECT_EQ(check.exit_code, 0) << check.err;
  }
}

TEST_F(ScenarioCliTest, UsageAndIoErrors) {
  const std::string good = Write("good.scn", "spawn a\n");
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  // A usage error is two lines: what is wrong (CLI11's words) and the usage.
  const std::string missing = (dir_ / "missing.scn").string();
  for (const Case& c : std::vector<Case>{
           {{"check"}, "usage: endgame check FILE...\n"},
           {{"print"}, "usage: endgame print FILE [-o OUT]\n"},
           {{"print", good, good}, "usage: endgame print FILE [-o OUT]\n"},
           {{"encode", good}, "usage: endgame encode FILE -o BYTES\n"},
           {{"encode", good, "-o"}, "usage: endgame encode FILE -o BYTES\n"},
           {{"decode", "--bogus", good}, "usage: endgame decode BYTES [-o OUT] [--target FUZZ_TARGET]\n"},
       }) {
    ChildResult r = Endgame(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[0];
    EXPECT_TRUE(absl::StartsWith(r.err, "endgame " + c.args[0] + ": ")) << r.err;
    EXPECT_TRUE(absl::EndsWith(r.err, "\n" + c.err)) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 2) << r.err;
    EXPECT_EQ(r.out, "");
  }
  EXPECT_NE(Endgame({"decode", "--bogus", good}).err.find("--bogus"), std::string::npos);
  EXPECT_NE(Endgame({"check"}).err.find("FILE is required"), std::string::npos);
  for (const Case& c : std::vector<Case>{
           {{"print", missing},
            "endgame: cannot read '" + missing + "': No such file or directory\n"},
           {{"decode", missing},
            "endgame: cannot read '" + missing + "': No such file or directory\n"},
       }) {
    ChildResult r = Endgame(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[0];
    EXPECT_EQ(r.err, c.err) << c.args[0];
    EXPECT_EQ(r.out, "");
  }
}

}  // namespace
// decode --target prints the scenario a fuzz target ran: gc dropped for
// destroy_race, finalize and expect dropped, durations clamped.
TEST_F(ScenarioCliTest, DecodeTargetShapesAsTheFuzzTargetDoes) {
  const std::string scn = Write("s.scn",
                                "spawn a\n"
                                "exec a sleep ms=5000 as t1\n"
                                "gc a\n"
                                "wait t1\n"
                                "destroy a\n"
                                "finalize\n");
  const std::string bin = (dir_ / "s.bin").string();
  ASSERT_EQ(Endgame({"encode", scn, "-o", bin}).exit_code, 0);
  ChildResult plain = Endgame({"decode", bin});
  EXPECT_EQ(plain.exit_code, 0);
  EXPECT_NE(plain.out.find("gc a"), std::string::npos) << plain.out;
  ChildResult shaped = Endgame({"decode", bin, "--target", "destroy_race"});
  EXPECT_EQ(shaped.exit_code, 0) << shaped.err;
  EXPECT_EQ(shaped.out.find("gc a"), std::string::npos) << shaped.out;
  EXPECT_EQ(shaped.out.find("finalize"), std::string::npos) << shaped.out;
  EXPECT_NE(shaped.out.find("sleep ms=200"), std::string::npos) << shaped.out;
  ChildResult bad = Endgame({"decode", bin, "--target", "nope"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown fuzz target 'nope'"), std::string::npos) << bad.err;
  EXPECT_EQ(Endgame({"print", scn, "--target", "lifecycle"}).exit_code, 2);
}

}  // namespace endgame

namespace endgame {
namespace {

// Every command the CLI lists answers --help (and -h) with its usage on
// stdout and exit 0, whatever else is on the line.
TEST(Cli, EveryCommandAnswersHelp) {
  ChildResult list = Endgame({"--help"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::vector<std::string> names;
  bool in_commands = false;
  for (absl::string_view line : absl::StrSplit(list.out, '\n')) {
    if (line == "commands:") {
      in_commands = true;
      continue;
    }
    if (!in_commands || !absl::StartsWith(line, "  ")) continue;
    line = absl::StripAsciiWhitespace(line);
    names.emplace_back(line.substr(0, line.find(' ')));
  }
  ASSERT_GE(names.size(), 15u) << list.out;
  for (const std::string& name : names) {
    for (const char* flag : {"--help", "-h"}) {
      ChildResult r = Endgame({name, "x.scn", flag});
      EXPECT_EQ(r.exit_code, 0) << name << " " << flag << ": " << r.out << r.err;
      EXPECT_TRUE(absl::StartsWith(r.out, "usage: endgame " + name)) << name << " " << flag << ": " << r.out;
    }
  }
}

}  // namespace
}  // namespace endgame

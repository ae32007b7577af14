#include "endgame/scenario/codec.h"

#include <gtest/gtest.h>

#include <string>

#include "endgame/scenario/check.h"
#include "endgame/scenario/snippets.h"
#include "endgame/scenario/text.h"

namespace endgame::scenario {
namespace {

Scenario Parse(const std::string& text) {
  absl::StatusOr<Scenario> s = ParseScenario(text, "c.scn");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : Scenario{};
}

void ExpectRoundTrip(const std::string& text) {
  Scenario s = Parse(text);
  std::string bytes = EncodeScenario(s);
  Scenario back = DecodeScenario(bytes);
  EXPECT_EQ(back, s) << "text:\n" << text << "decoded:\n" << PrintScenario(back);
  EXPECT_EQ(EncodeScenario(back), bytes);
}

TEST(CodecTest, EmptyInputIsTheDefaultScenario) {
  EXPECT_EQ(DecodeScenario(nullptr, 0), Scenario{});
  EXPECT_EQ(EncodeScenario(Scenario{}), std::string(1, '\0'));
}

TEST(CodecTest, RoundTrips) {
  ExpectRoundTrip("spawn a\nexec a busy ms=5 as t1\ncancel t1\nwait t1\ndestroy a\n");
  ExpectRoundTrip(
      "name \"n\"\nrequires python>=3.12.4 python!=3.13 asan interpreters_module\n"
      "driver interpreters\nstrategy dedicated bound_ms=600000\ndeadline_ms 600000\n"
      "spawn b legacy gil=shared obmalloc=main threads=0 daemon_threads=1 fork=0 exec=1 "
      "check_extensions=0\n"
      "spawn a gil=own obmalloc=own\n"
      "exec b thread daemon=1 ms=600000 n=64 on=conductor delay_us=1000000\n"
      "exec a import module=\"\" on=cache as t2\n"
      "exec a import module=os.path on=dedicated as t1\n"
      "exec b code \"\\x00\\xff\" as t3\n"
      "wait t1 timeout_ms=7\ncancel t2 via=abandon\ncancel t3 via=flag\n"
      "destroy a via=close from=worker as t4\n"
      "exec a raise exc=KeyError\n"
      "wait t4\n"
      "destroy b via=module from=thread\n"
      "sleep ms=0\nspawn a\ngc a delay_us=1\nfinalize delay_us=3\n"
      "expect leak \"fds 3\"\n");
}

TEST(CodecTest, CustomNamesRoundTrip) {
  // Names outside the default tables (a..h, t1..t16), in any order.
  ExpectRoundTrip(
      "spawn zeta\nspawn alpha_1\nexec zeta noop as t2\nexec alpha_1 noop as t1\n"
      "wait t1\ndestroy zeta as done\nwait done\nspawn zeta\n");
  ExpectRoundTrip("spawn " + std::string(32, 'q') + "\nexec " + std::string(32, 'q') + " noop as " +
                  std::string(31, 'z') + "_\n");
}

TEST(CodecTest, EveryStepKindAndSnippet) {
  ExpectRoundTrip(
      "strategy cache workers=16 tstate=sticky\n"
      "spawn a\nexec a noop\nexec a compute n=100000000\nexec a sleep ms=0\nexec a busy\n"
      "exec a busy_poll ms=1\nexec a thread daemon=1\nexec a import\nexec a alloc kb=1048576\n"
      "exec a files n=256\nexec a lock_wait ms=0\nexec a raise exc=\"not an identifier\"\n"
      "exec a recurse depth=0\nexec a atexit\nexec a del_cycle\nexec a code \"\"\n"
      "exec a raise_with msg=\"\\x00\" str_fails=1\nexec a raise_with\n");
}

TEST(CodecTest, QueueStepsRoundTrip) {
  ExpectRoundTrip(
      "driver interpreters\nspawn a\nspawn b\nqueue q1\nqueue q2 maxsize=1000 unbound=remove\n"
      "queue q3 unbound=error\nqueue q4 maxsize=1\n"
      "put q1 from=a\nput q2 from=b value=999999999999999999 as t1\nput q1 from=a value=\"a\\x00b\\xff\"\n"
      "put q3 from=a value=bytes:00ff delay_us=5\nput q4 from=b value=tuple\nput q1 from=a value=unshareable\n"
      "put q1 from=a value=bytes: as t2\nget q1 in=b\nget q2 in=a timeout_ms=600000 as t3\nwait t3\n"
      "cancel t1\ndestroy a\nget q3 in=b\nfinalize\n");
  // Queue names outside the default table (q1..q4), with interpreter and task names of their own.
  ExpectRoundTrip("spawn zeta\nqueue inbox\nqueue q1\nput inbox from=zeta as go\nget q1 in=zeta\nwait go\n");
}

TEST(CodecTest, OddGilTextsRoundTrip) {
  // gil="TEXT": any bytes (a lone surrogate's, a NUL, none at all), beside
  // the other flags and bases; the longest one kept whole.
  ExpectRoundTrip(
      "spawn a gil=\"\\xed\\xa0\\x80\"\nspawn b legacy gil=\"own\\x00shared\" threads=0\n"
      "spawn c gil=\"\" obmalloc=main check_extensions=0\nspawn d gil=\"bogus\"\nexec a noop\n");
  ExpectRoundTrip("spawn a gil=\"" + std::string(kMaxGilTextLength, 'x') + "\"\n");
}

TEST(CodecTest, QueueHandleValuesRoundTrip) {
  // value=queue:Q in put, share and call: Q any queue defined so far (not a
  // channel), the put's own queue too; channels in between shift no index.
  ExpectRoundTrip(
      "spawn a\nspawn b\nqueue q1\nchannel q2\nqueue q3 unbound=remove\nput q1 from=a value=queue:q3\n"
      "put q3 from=b value=queue:q3 as t1\nput q2 from=a value=queue:q1\nshare b name=x value=queue:q1\n"
      "call a value=queue:q3\ncall b func=closure value=queue:q1 delay_us=4\nwait t1\ndestroy a\n");
  ExpectRoundTrip("spawn zeta\nqueue inbox\nput inbox from=zeta value=queue:inbox\nshare zeta name=h value=queue:inbox\n");
}

TEST(CodecTest, NestedExecsRoundTrip) {
  // target= any interpreter spawned so far: another, itself, a destroyed one.
  ExpectRoundTrip(
      "spawn a\nspawn b\nexec a nested target=b\nexec b nested target=b ms=600000 as t1\ndestroy b\n"
      "exec a nested target=b on=conductor\nspawn c\nexec c nested target=a ms=1 delay_us=3\n");
  ExpectRoundTrip("spawn zeta\nspawn eta\nexec eta nested target=zeta as go\nwait go\n");
}

TEST(CodecTest, ShareStepsRoundTrip) {
  // Names of the table (x, data, __name__) and others; every value kind.
  ExpectRoundTrip(
      "spawn a\nspawn b\nshare a name=x\nshare b name=data value=\"a\\x00b\\xff\"\n"
      "share a name=__name__ value=bytes:00ff delay_us=7\nshare a name=Counter_2 value=999999999999999999\n"
      "share b name=_ value=tuple\nshare b name=x value=unshareable\ndestroy a as t1\nshare a name=late\n"
      "wait t1\nfinalize\n");
}

TEST(CodecTest, ChannelStepsRoundTrip) {
  // Channels share the queue name table with queues; close with and without force.
  ExpectRoundTrip(
      "driver interpreters\nspawn a\nspawn b\nchannel q1\nqueue q2 maxsize=3\nchannel q3 unbound=error\n"
      "channel q4 unbound=remove\nput q1 from=a value=7 as t1\nget q1 in=b timeout_ms=50\nclose q3\n"
      "close q1 force=1 delay_us=9\nput q3 from=b\nwait t1\nclose q4 force=1\n");
  ExpectRoundTrip("spawn zeta\nchannel inbox\nput inbox from=zeta value=unshareable\ndestroy zeta as d\n"
                  "close inbox\nwait d\n");
}

TEST(CodecTest, CallStepsRoundTrip) {
  // Every func, with and without a value; a call racing a destroy.
  ExpectRoundTrip(
      "spawn a\nspawn b\ncall a\ncall b func=builtin value=\"a\\x00b\\xff\"\n"
      "call a func=closure value=bytes:00ff delay_us=7\ncall b value=999999999999999999\n"
      "call b func=builtin\ncall a value=tuple\ncall b func=closure value=unshareable\ndestroy a as t1\n"
      "call a\nshare b name=x\nwait t1\nfinalize\n");
  ExpectRoundTrip("spawn zeta\ncall zeta func=closure\n");
}

// The snippets whose arguments came later: raw_thread and atexit's.
TEST(CodecTest, RawThreadAndAtexitRoundTrip) {
  ExpectRoundTrip(
      "spawn a legacy\nexec a raw_thread\nexec a raw_thread ms=0 n=64 as t1\nexec a atexit\n"
      "exec a atexit ms=600000 raises=1\nexec a atexit raises=1 on=conductor\nwait t1\n");
}

TEST(CodecTest, ForkRoundTrip) {
  ExpectRoundTrip(
      "spawn a legacy\nspawn b\nexec a fork\nexec a fork ms=600000 as t1\nexec b fork ms=1 on=conductor\n"
      "exec a fork delay_us=5 on=dedicated\nwait t1\n");
}

TEST(CodecTest, ExitRoundTrip) {
  ExpectRoundTrip("spawn a\nexec a sleep as t1\nexit\n");
  ExpectRoundTrip("spawn a\nexit code=255 delay_us=3\n");
}

TEST(CodecTest, ForkStepRoundTrip) {
  ExpectRoundTrip("fork\n");
  ExpectRoundTrip("spawn a\nexec a sleep as t1\nfork ms=600000 delay_us=7\nwait t1\nfork\n");
}

// A fork step is a sleep byte with kind-specific bit 0 (bit 5), its ms after
// it; the same byte without the bit is still a sleep.
TEST(CodecTest, ForkStepIsASleepByteWithBit5) {
  const std::string sleep = EncodeScenario(Parse("sleep ms=9\n"));
  const std::string fork = EncodeScenario(Parse("fork ms=9\n"));
  ASSERT_EQ(sleep.size(), fork.size());
  EXPECT_EQ(static_cast<uint8_t>(fork[fork.size() - 2]), static_cast<uint8_t>(sleep[sleep.size() - 2]) | 32);
  EXPECT_EQ(PrintScenario(DecodeScenario(sleep)), "sleep ms=9\n");
  EXPECT_EQ(PrintScenario(DecodeScenario(fork)), "fork ms=9\n");
}

// An exit is a finalize byte with the `as` bit (a finalize has no task), and
// its code follows; the same byte without the bit is still a finalize.
TEST(CodecTest, ExitIsAFinalizeByteWithTheAsBit) {
  const std::string fin = EncodeScenario(Parse("finalize\n"));
  const std::string ex = EncodeScenario(Parse("exit code=7\n"));
  ASSERT_EQ(fin.size() + 1, ex.size());
  EXPECT_EQ(static_cast<uint8_t>(ex[ex.size() - 2]), static_cast<uint8_t>(fin.back()) | 16);
  EXPECT_EQ(PrintScenario(DecodeScenario(fin)), "finalize\n");
  EXPECT_EQ(PrintScenario(DecodeScenario(ex)), "exit code=7\n");
}

// The snippet byte indexes the table: fork is its last entry (18), and a
// byte past the table wraps (18 + 19 is fork again). sleep, like fork, has
// one ms= argument, at its default here: the encodings differ in that byte only.
TEST(CodecTest, ForkIsTheLastSnippetIndex) {
  const std::string noop = EncodeScenario(Parse("spawn a legacy\nexec a sleep\n"));
  std::string fork = EncodeScenario(Parse("spawn a legacy\nexec a fork\n"));
  ASSERT_EQ(noop.size(), fork.size());
  size_t at = 0;
  while (at < fork.size() && fork[at] == noop[at]) ++at;
  ASSERT_LT(at, fork.size());
  EXPECT_EQ(static_cast<unsigned char>(fork[at]), 18);
  EXPECT_EQ(static_cast<size_t>(SnippetKind::kFork) + 1, AllSnippets().size());
  fork[at] = static_cast<char>(18 + 19);
  EXPECT_EQ(PrintScenario(DecodeScenario(fork)), "spawn a legacy\nexec a fork\n");
}

TEST(CodecTest, Deterministic) {
  std::string bytes = "\x3f\x01\x02\x03\x04\x05\x06\x07\x08\x09\xff\xfe\x80\x81";
  EXPECT_EQ(DecodeScenario(bytes), DecodeScenario(bytes));
}

// Every prefix of an encoding decodes to a valid scenario.
TEST(CodecTest, TruncationsAreValid) {
  Scenario s = Parse("name \"x\"\nspawn a\nexec a code \"print(1)\" as t\nwait t\ndestroy a\n");
  std::string bytes = EncodeScenario(s);
  for (size_t n = 0; n <= bytes.size(); ++n) {
    Scenario d = DecodeScenario(bytes.substr(0, n));
    EXPECT_TRUE(CheckScenario(d).ok()) << n;
  }
}

// Strings never exceed the bound nor the input, whatever their length prefix.
TEST(CodecTest, StringsAreBounded) {
  std::string bytes = "\x20\x01";   // extended header: name
  bytes += "\xff\xff\xff\xff\x0f";  // a huge length
  bytes += std::string(10000, 'x');
  Scenario s = DecodeScenario(bytes);
  EXPECT_EQ(s.name.size(), static_cast<size_t>(kMaxStringLength));
  bytes = std::string("\x20\x01\xff\xff\x03", 5) + "abc";
  EXPECT_EQ(DecodeScenario(bytes).name, "abc");
}

// Encoding an invalid scenario encodes its repair.
TEST(CodecTest, EncodeRepairsInvalid) {
  Scenario s;
  s.steps.push_back(Step::Gc("a"));
  s.steps.push_back(Step::Spawn("a"));
  Scenario back = DecodeScenario(EncodeScenario(s));
  Scenario repaired = s;
  RepairScenario(&repaired);
  EXPECT_EQ(back, repaired);
  EXPECT_EQ(PrintScenario(back), "spawn a\n");
}

}  // namespace
}  // namespace endgame::scenario

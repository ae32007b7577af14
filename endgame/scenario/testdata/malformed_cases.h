// File: endgame/scenario/testdata/malformed_cases.h
//
// Malformed `.scn` inputs and the exact error each must produce, shared by the
// parser's unit test (malformed_test.cc) and the CLI's end-to-end test
// (tests/scenario_cli_test.cc), which prefixes the file name and expects exit 2.
#ifndef ENDGAME_SCENARIO_TESTDATA_MALFORMED_CASES_H_
#define ENDGAME_SCENARIO_TESTDATA_MALFORMED_CASES_H_

#include <ostream>
#include <string>
#include <vector>

namespace endgame::scenario::testdata {

struct MalformedCase {
  std::string name;   // a test name: [A-Za-z0-9_]+
  std::string text;   // the file's contents
  std::string error;  // "line:col: message", without the file name
};

// Test names show the case name, not the bytes of the struct.
inline void PrintTo(const MalformedCase& c, std::ostream* os) { *os << c.name; }

inline std::string Repeat(const std::string& line, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += line;
  return out;
}

inline std::vector<MalformedCase> MalformedCases() {
  std::string nine_spawns;
  for (int i = 0; i < 9; ++i) nine_spawns += "spawn " + std::string(1, char('a' + i)) + "\n";
  std::string seventeen_tasks = "spawn a\n";
  for (int i = 1; i <= 17; ++i) seventeen_tasks += "exec a noop as t" + std::to_string(i) + "\n";
  return {
      // Lexical errors.
      {"UnterminatedString", "spawn a\nexec a code \"print(1)\n", "2:13: unterminated string"},
      {"BadEscape", "name \"a\\qb\"\n",
       "1:8: bad escape '\\q' in string (use \\n, \\t, \\r, \\\", \\\\ or \\xHH)"},
      {"BadHexEscape", "name \"\\x4g\"\n",
       "1:7: bad escape '\\x4g' in string (use \\n, \\t, \\r, \\\", \\\\ or \\xHH)"},
      {"QuoteGluedToWord", "name x\"y\"\n", "1:7: expected a space before '\"'"},
      {"WordGluedToString", "name \"x\"y\n", "1:9: expected a space after the string"},
      // Unknown words, with suggestions.
      {"UnknownKeyword", "spwan a\n", "1:1: unknown keyword 'spwan' (did you mean 'spawn'?)"},
      {"UnknownSnippet", "spawn a\n# a comment\nexec a bussy ms=5\n",
       "3:8: unknown snippet 'bussy' (did you mean 'busy'?)"},
      {"UnknownEnumValue", "spawn a\nexec a noop on=dedicatd\n",
       "2:16: unknown value 'dedicatd' for 'on' (did you mean 'dedicated'?)"},
      {"UnknownEnumValueNoHint", "spawn a\nexec a busy_poll as t\ncancel t via=kill\n",
       "3:14: unknown value 'kill' for 'via' (expected async_exc, flag or abandon)"},
      {"UnknownDriver", "driver capy\n", "1:8: unknown driver 'capy' (did you mean 'capi'?)"},
      {"UnknownStrategy", "strategy cach\n",
       "1:10: unknown strategy 'cach' (did you mean 'cache'?)"},
      {"UnknownVerdict", "expect hnag\n", "1:8: unknown verdict 'hnag' (did you mean 'hang'?)"},
      {"UnknownCapability", "requires python>=3.12 debgu\n",
       "1:23: unknown requirement 'debgu' (did you mean 'debug'?)"},
      {"BadVersionRequirement", "requires python>3.x\n",
       "1:10: bad requirement 'python>3.x' (expected python<op>X.Y[.Z], op one of >=, >, <=, <, "
       "==, !=, each number at most 999)"},
      // Arguments.
      {"ArgumentSnippetDoesNotTake", "spawn a\nexec a noop ms=5\n",
       "2:13: snippet 'noop' takes no argument 'ms'"},
      {"ArgumentStepDoesNotTake", "spawn a\nexec a busy as t\nwait t via=flag\n",
       "3:8: 'wait' takes no argument 'via'"},
      {"ArgumentTypo", "spawn a\ndestroy a form=thread\n",
       "2:11: 'destroy' takes no argument 'form' (did you mean 'from'?)"},
      {"DuplicateArgument", "spawn a\nexec a busy ms=5 ms=6\n", "2:18: duplicate argument 'ms'"},
      {"BadInteger", "sleep ms=abc\n", "1:10: expected a number for 'ms', got 'abc'"},
      {"NegativeInteger", "spawn a\nexec a busy ms=-5\n",
       "2:16: expected a number for 'ms', got '-5'"},
      {"HugeInteger", "sleep ms=99999999999999999999999\n",
       "1:10: 'ms' must be between 0 and 600000, got 99999999999999999999999"},
      {"MsOutOfRange", "sleep ms=700000\n", "1:10: 'ms' must be between 0 and 600000, got 700000"},
      {"ThreadsOutOfRange", "spawn a\nexec a thread n=65\n",
       "2:17: 'n' must be between 1 and 64, got 65"},
      {"DelayOutOfRange", "finalize delay_us=2000000\n",
       "1:19: 'delay_us' must be between 0 and 1000000, got 2000000"},
      {"DeadlineZero", "deadline_ms 0\n",
       "1:13: 'deadline_ms' must be between 1 and 600000, got 0"},
      {"BadBool", "spawn a\nexec a thread daemon=2\n", "2:22: 'daemon' must be 0 or 1, got '2'"},
      {"BadSpawnFlag", "spawn a legacy fork=yes\n", "1:21: 'fork' must be 0 or 1, got 'yes'"},
      {"ConflictingBase", "spawn a legacy isolated\n", "1:16: 'isolated' conflicts with 'legacy'"},
      {"BadModule", "spawn a\nexec a import module=foo-bar\n",
       "2:22: bad value 'foo-bar' for 'module' (expected a dotted name like os.path, or a quoted "
       "string)"},
      {"BadName", "spawn A\n",
       "1:7: bad interpreter name 'A' (names are [a-z][a-z0-9_]*, at most 32 characters)"},
      {"LongName", "spawn " + std::string(33, 'a') + "\n",
       "1:7: bad interpreter name '" + std::string(33, 'a') +
           "' (names are [a-z][a-z0-9_]*, at most 32 characters)"},
      // Missing tokens and trailing garbage.
      {"MissingInterpreter", "spawn\n", "1:7: expected an interpreter name after 'spawn'"},
      {"MissingSnippet", "spawn a\nexec a\n", "2:8: expected a snippet name"},
      {"MissingSource", "spawn a\nexec a code\n", "2:13: expected a quoted string after 'code'"},
      {"SourceNotQuoted", "spawn a\nexec a code print\n",
       "2:13: expected a quoted string after 'code', got 'print'"},
      {"SleepNeedsMs", "sleep\n", "1:7: 'sleep' needs ms=N"},
      {"AsNeedsName", "spawn a\nexec a noop as\n", "2:16: expected a task name after 'as'"},
      {"NameNeedsString", "name hello\n",
       "1:6: expected a quoted string after 'name', got 'hello'"},
      {"TrailingGarbage", "finalize now\n", "1:10: unexpected 'now'"},
      {"TrailingWordTypo", "spawn a legcy\n", "1:9: unexpected 'legcy' (did you mean 'legacy'?)"},
      {"UnexpectedString", "spawn a\ngc a \"x\"\n", "2:6: unexpected string \"x\""},
      // Header placement.
      {"HeaderAfterStep", "spawn a\ndriver capi\n",
       "2:1: 'driver' must come before the first step (line 1)"},
      {"DuplicateHeader", "driver capi\ndriver interpreters\n",
       "2:1: duplicate 'driver' line (first at line 1)"},
      {"DuplicateExpect", "expect ok\nspawn a\nexpect hang\n",
       "3:1: duplicate 'expect' line (first at line 1)"},
      {"StickyWithInterpreters", "driver interpreters\nstrategy cache tstate=sticky\n",
       "2:16: tstate=sticky needs driver capi (driver interpreters at line 1)"},
      {"InterpretersAfterSticky", "strategy cache tstate=sticky\ndriver interpreters\n",
       "2:8: driver interpreters cannot use tstate=sticky (line 1)"},
      {"DedicatedWithWorkers", "strategy dedicated workers=2\n",
       "1:20: 'strategy dedicated' takes no argument 'workers'"},
      {"CacheWithBound", "strategy cache bound_ms=5\n",
       "1:16: 'strategy cache' takes no argument 'bound_ms'"},
      // Semantic checks.
      {"UseBeforeSpawn", "exec a noop\n", "1:6: interpreter 'a' is used before it is spawned"},
      {"SpawnTwice", "spawn a\nspawn a\n", "2:7: interpreter 'a' is already spawned (line 1)"},
      {"UseAfterDestroy", "spawn a\ndestroy a\ngc a\n",
       "3:4: interpreter 'a' is used after it was destroyed (line 2)"},
      {"UseAfterAwaitedAsyncDestroy", "spawn a\ndestroy a as d\nwait d\nexec a noop\n",
       "4:6: interpreter 'a' is used after it was destroyed (line 2)"},
      {"RespawnWhileDestroying", "spawn a\ndestroy a from=thread as d\nspawn a\n",
       "3:7: interpreter 'a' is still being destroyed by task 'd' (line 2); wait for it first"},
      {"TaskBeforeDefined", "spawn a\nwait t1\n",
       "2:6: task 't1' is used before 'as t1' defines it"},
      {"TaskDefinedTwice", "spawn a\nexec a busy as t\nexec a noop as t\n",
       "3:16: task 't' is already defined (line 2)"},
      {"CancelDestroyTask", "spawn a\ndestroy a as t\ncancel t\n",
       "3:8: cannot cancel 't': it destroys interpreter 'a' (line 2)"},
      {"ConductorWithAs", "spawn a\nexec a noop on=conductor as t\n",
       "2:29: 'as' cannot be used with on=conductor (conductor execs are synchronous)"},
      {"StepAfterFinalize", "spawn a\nfinalize\ngc a\n",
       "3:1: no step may follow 'finalize' (line 2)"},
      {"StepAfterExit", "spawn a\nexit code=2\ngc a\n", "3:1: no step may follow 'exit' (line 2)"},
      {"ExitCodeOutOfRange", "exit code=256\n", "1:11: 'code' must be between 0 and 255, got 256"},
      {"ExitTakesNoInterpreter", "spawn a\nexit a\n", "2:6: unexpected 'a'"},
      {"ForkStepMsOutOfRange", "fork ms=600001\n", "1:9: 'ms' must be between 0 and 600000, got 600001"},
      {"ForkStepTakesNoInterpreter", "spawn a\nfork a\n", "2:6: unexpected 'a'"},
      {"ForkStepUnknownArgument", "fork code=1\n", "1:6: 'fork' takes no argument 'code'"},
      {"TooManySpawns", nine_spawns, "9:1: too many spawns (at most 8)"},
      {"TooManyTasks", seventeen_tasks, "18:16: too many tasks (at most 16)"},
      {"TooManySteps", Repeat("sleep ms=1\n", 65), "65:1: too many steps (at most 64)"},
      // Queues.
      {"QueueUsedBeforeDefined", "spawn a\nput q1 from=a\n",
       "2:5: queue 'q1' is used before 'queue q1' defines it"},
      {"QueueDefinedTwice", "queue q\nqueue q maxsize=2\n", "2:7: queue 'q' is already defined (line 1)"},
      {"TooManyQueues", "queue a\nqueue b\nqueue c\nqueue d\nqueue e\n", "5:1: too many queues (at most 4)"},
      {"PutWithoutFrom", "spawn a\nqueue q\nput q value=1\n", "3:15: 'put' needs from=INTERPRETER"},
      {"GetFromDestroyed", "spawn a\nqueue q\ndestroy a\nget q in=a\n",
       "4:10: interpreter 'a' is used after it was destroyed (line 3)"},
      {"BadValueWord", "spawn a\nqueue q\nput q from=a value=nnone\n",
       "3:20: unknown value 'nnone' for 'value' (did you mean 'none'?)"},
      {"BadBytesValue", "spawn a\nqueue q\nput q from=a value=bytes:0g\n",
       "3:20: bad bytes value 'bytes:0g' (bytes:HEX, an even number of lowercase hex digits, at most 4096 bytes)"},
      {"GilTextTooLong", "spawn a gil=\"" + std::string(65, 'x') + "\"\n", "1:13: 'gil' is longer than 64 bytes"},
      {"GilWordUnknown", "spawn a gil=bogus\n",
       "1:13: unknown value 'bogus' for 'gil' (expected own or shared; a quoted string passes any text)"},
      // A queue handle names a queue defined before the step, not a channel.
      {"HandleOfAnUndefinedQueue", "spawn a\nqueue q\nput q from=a value=queue:r\n",
       "3:1: queue 'r' in 'value=queue:r' is used before 'queue r' defines it"},
      {"HandleOfAChannel", "spawn a\nchannel c\nshare a name=x value=queue:c\n",
       "3:1: 'value=queue:c' needs a queue; 'c' is a channel (line 2)"},
      {"HandleBadName", "spawn a\ncall a value=queue:Q\n",
       "2:14: bad queue name 'Q' in 'value' (queue:Q; names are [a-z][a-z0-9_]*, at most 32 characters)"},
      {"MaxsizeOutOfRange", "queue q maxsize=1001\n", "1:17: 'maxsize' must be between 0 and 1000, got 1001"},
      {"BadUnbound", "queue q unbound=keep\n",
       "1:17: unknown value 'keep' for 'unbound' (expected replace, remove or error)"},
      {"GetTakesNoValue", "spawn a\nqueue q\nget q in=a value=1\n",
       "3:12: 'get' takes no argument 'value'"},
      {"NestedWithoutTarget", "spawn a\nexec a nested ms=5\n", "2:20: snippet 'nested' needs target=INTERPRETER"},
      {"NestedTargetNotSpawned", "spawn a\nexec a nested target=b\n",
       "2:1: interpreter 'b' (target=) is used before it is spawned"},
      {"NestedTargetQuoted", "spawn a\nexec a nested target=\"a\"\n",
       "2:22: bad interpreter name 'a' for 'target' (names are [a-z][a-z0-9_]*, at most 32 characters)"},
      {"ShareWithoutName", "spawn a\nshare a value=1\n", "2:17: 'share' needs name=ATTRIBUTE (the __main__ name to set)"},
      {"ShareBadName", "spawn a\nshare a name=1x\n",
       "2:14: bad attribute name '1x' (names are [A-Za-z_][A-Za-z0-9_]*, at most 32 characters)"},
      {"ShareBeforeSpawn", "share a name=x\n", "1:7: interpreter 'a' is used before it is spawned"},
      {"ShareTakesNoAs", "spawn a\nshare a name=x as t1\n", "2:16: unexpected 'as'"},
      {"CallBadFunc", "spawn a\ncall a func=lambda\n",
       "2:13: unknown value 'lambda' for 'func' (expected echo, builtin or closure)"},
      {"CallBeforeSpawn", "call a\n", "1:6: interpreter 'a' is used before it is spawned"},
      {"CallTakesNoAs", "spawn a\ncall a as t1\n", "2:8: unexpected 'as'"},
      {"CallTakesNoName", "spawn a\ncall a name=x\n", "2:8: 'call' takes no argument 'name'"},
      // Channels (queue steps spelled `channel`: one name space with queues).
      {"ChannelTakesNoMaxsize", "channel c maxsize=1\n", "1:11: 'channel' takes no argument 'maxsize'"},
      {"ChannelNamesAQueue", "queue c\nchannel c\n", "2:9: queue 'c' is already defined (line 1)"},
      {"TooManyQueuesAndChannels", "queue a\nchannel b\nchannel c\nqueue d\nchannel e\n",
       "5:1: too many queues (at most 4)"},
      {"ChannelBadUnbound", "channel c unbound=keep\n",
       "1:19: unknown value 'keep' for 'unbound' (expected replace, remove or error)"},
      {"ChannelWithoutName", "channel\n", "1:9: expected a channel name after 'channel'"},
      {"CloseBeforeChannel", "close c\n", "1:7: channel 'c' is used before 'channel c' defines it"},
      {"CloseOfAQueue", "queue q\nclose q\n", "2:7: 'close' needs a channel; 'q' is a queue (line 1)"},
      {"CloseForceIsAFlag", "channel c\nclose c force=2\n", "2:15: 'force' must be 0 or 1, got '2'"},
      {"CloseTakesNoAs", "channel c\nclose c as t1\n", "2:9: unexpected 'as'"},
      {"CloseTakesNoFrom", "spawn a\nchannel c\nclose c from=a\n", "3:9: 'close' takes no argument 'from'"},
      {"AtexitRaisesIsAFlag", "spawn a\nexec a atexit raises=2\n", "2:22: 'raises' must be 0 or 1, got '2'"},
      {"ForkTakesNoN", "spawn a legacy\nexec a fork n=1\n", "2:13: snippet 'fork' takes no argument 'n' (did you mean 'on'?)"},
      {"ForkMsOutOfRange", "spawn a legacy\nexec a fork ms=700000\n",
       "2:16: 'ms' must be between 0 and 600000, got 700000"},
      {"ForkTypo", "spawn a legacy\nexec a frok\n", "2:8: unknown snippet 'frok' (did you mean 'fork'?)"},
  };
}

}  // namespace endgame::scenario::testdata

#endif  // ENDGAME_SCENARIO_TESTDATA_MALFORMED_CASES_H_

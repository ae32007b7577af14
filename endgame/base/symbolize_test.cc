#include "endgame/base/symbolize.h"

#include <execinfo.h>
#include <pthread.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace endgame {
namespace {

using ::testing::HasSubstr;

// Not exported (anonymous namespace): only the ELF .symtab knows it.
__attribute__((noinline)) int EndgameSymbolizeTestLocal(int x) {
  asm volatile("" ::: "memory");
  return x * 3 + 1;
}

__attribute__((noinline)) int EndgameSymbolizeTestBacktrace(void** pcs, int max) {
  int n = backtrace(pcs, max);
  asm volatile("" ::: "memory");
  return n;
}

TEST(SymbolizeTest, FindsAStaticFunctionOfTheExecutable) {
  Symbolizer s;
  const void* pc = reinterpret_cast<const void*>(&EndgameSymbolizeTestLocal);
  SymbolizedFrame f = s.Symbolize(pc);
  EXPECT_EQ(f.function, "endgame::(anonymous namespace)::EndgameSymbolizeTestLocal(int)");
  EXPECT_EQ(f.offset, 0u);
  EXPECT_THAT(f.module, HasSubstr("base_symbolize_test"));
  // An address inside the function maps to it too.
  SymbolizedFrame inside = s.Symbolize(static_cast<const char*>(pc) + 2);
  EXPECT_EQ(inside.function, f.function);
  EXPECT_EQ(inside.offset, 2u);
}

TEST(SymbolizeTest, FindsAnExportedLibcFunction) {
  Symbolizer s;
  SymbolizedFrame f = s.Symbolize(reinterpret_cast<const void*>(&pthread_self));
  EXPECT_THAT(f.function, HasSubstr("pthread_self"));
  EXPECT_THAT(f.module, HasSubstr("libc.so"));
  EXPECT_THAT(f.ToString(), HasSubstr(" in "));
  EXPECT_THAT(f.ToString(), HasSubstr("pthread_self"));
  EXPECT_THAT(f.ToString(), HasSubstr(" from "));
}

TEST(SymbolizeTest, SymbolizesABacktraceWithReturnAddresses) {
  void* pcs[32];
  int n = EndgameSymbolizeTestBacktrace(pcs, 32);
  ASSERT_GE(n, 2);
  Symbolizer s;
  bool found_helper = false, found_test = false;
  for (int i = 0; i < n; ++i) {
    std::string fn = s.Symbolize(pcs[i], i > 0).function;
    found_helper = found_helper || fn.find("EndgameSymbolizeTestBacktrace") != std::string::npos;
    found_test = found_test || fn.find("SymbolizesABacktraceWithReturnAddresses") != std::string::npos;
  }
  EXPECT_TRUE(found_helper);
  EXPECT_TRUE(found_test);
}

TEST(SymbolizeTest, UnknownAddressIsQuestionMarks) {
  Symbolizer s;
  SymbolizedFrame f = s.Symbolize(reinterpret_cast<const void*>(uintptr_t{0x10}));
  EXPECT_EQ(f.function, "");
  EXPECT_EQ(f.module, "");
  EXPECT_EQ(f.ToString(), "0x0000000000000010 in ?? ()");
}

TEST(SymbolizeTest, Demangle) {
  EXPECT_EQ(Demangle("_ZN7endgame9ThreadIdsEv"), "endgame::ThreadIds()");
  EXPECT_EQ(Demangle("main"), "main");
  EXPECT_EQ(Demangle("_Z"), "_Z");
}

}  // namespace
}  // namespace endgame

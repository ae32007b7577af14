// File: endgame/base/symbolize.h
//
// Turns program counters of this process into function names without a
// debugger: the ELF symbol table (.symtab, else .dynsym) of the module that
// holds the address, found with dladdr1(), then dladdr()'s own answer, then
// abi::__cxa_demangle(). Static functions of unstripped binaries are found
// too (dladdr() alone only sees exported symbols). No file:line (no DWARF).
// Not async-signal-safe: capture frames in a handler, symbolize afterwards.
//
//   Symbolizer symbolizer;  // caches the symbol tables it reads
//   void* pcs[64];
//   int n = backtrace(pcs, 64);
//   for (int i = 0; i < n; ++i) {
//     SymbolizedFrame f = symbolizer.Symbolize(pcs[i], /*return_address=*/i > 0);
//     std::printf("#%d  %s\n", i, f.ToString().c_str());
//   }
#ifndef ENDGAME_BASE_SYMBOLIZE_H_
#define ENDGAME_BASE_SYMBOLIZE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace endgame {

// SymbolizedFrame is what is known about one program counter.
struct SymbolizedFrame {
  uintptr_t pc = 0;
  std::string function;  // demangled; "" when unknown
  uintptr_t offset = 0;  // pc - start of function (when function is known)
  std::string module;    // path of the executable or shared object; "" when unknown

  // SymbolizedFrame::ToString() formats the frame as gdb does:
  // `0x00007f12 in foo::Bar(int) () from /lib/libx.so` (`??` when unknown).
  std::string ToString() const;
};

// Symbolizer symbolizes addresses of this process. Not thread-safe: use one
// per thread (or per capture).
class Symbolizer {
 public:
  Symbolizer();
  ~Symbolizer();
  Symbolizer(const Symbolizer&) = delete;
  Symbolizer& operator=(const Symbolizer&) = delete;

  // Symbolize() symbolizes `pc`. When `return_address` is true (a caller's
  // frame from a backtrace) the lookup uses `pc - 1`, which lies in the call
  // instruction, so that a call at the very end of a function is attributed
  // to it and not to the next one.
  SymbolizedFrame Symbolize(const void* pc, bool return_address = false);

 private:
  struct ElfSymbols;
  // By module path; nullptr when the file has no usable symbol table.
  std::map<std::string, std::unique_ptr<ElfSymbols>> modules_;
};

// Demangle() returns the demangled form of an Itanium C++ ABI name, or the
// name itself when it is not one.
std::string Demangle(const char* name);

}  // namespace endgame

#endif  // ENDGAME_BASE_SYMBOLIZE_H_

#include "endgame/base/symbolize.h"

#include <cxxabi.h>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/str_format.h"

namespace endgame {

// The function symbols of one ELF file, mapped read-only.
struct Symbolizer::ElfSymbols {
  struct Sym {
    uintptr_t value;  // link-time address
    uintptr_t size;
    const char* name;  // inside the mapping
  };

  ~ElfSymbols() {
    if (map != MAP_FAILED) munmap(map, map_size);
  }

  // Loads the symbols of `path`; returns nullptr when it has none usable.
  static std::unique_ptr<ElfSymbols> Load(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat st;
    auto self = std::make_unique<ElfSymbols>();
    if (fstat(fd, &st) == 0 && st.st_size >= static_cast<off_t>(sizeof(ElfW(Ehdr)))) {
      self->map_size = static_cast<size_t>(st.st_size);
      self->map = mmap(nullptr, self->map_size, PROT_READ, MAP_PRIVATE, fd, 0);
    }
    close(fd);
    if (self->map == MAP_FAILED || !self->Parse()) return nullptr;
    return self;
  }

  // Returns the symbol containing link-time address `addr`, or nullptr.
  const Sym* Find(uintptr_t addr) const {
    auto it = std::upper_bound(syms.begin(), syms.end(), addr,
                               [](uintptr_t a, const Sym& s) { return a < s.value; });
    if (it == syms.begin()) return nullptr;
    --it;
    // Several symbols may share an address (aliases): any of them will do.
    if (addr < it->value + std::max<uintptr_t>(it->size, 1)) return &*it;
    return nullptr;
  }

  void* map = MAP_FAILED;
  size_t map_size = 0;
  std::vector<Sym> syms;  // by value

 private:
  const char* Bytes() const { return static_cast<const char*>(map); }
  bool InFile(uint64_t off, uint64_t len) const {
    return off <= map_size && len <= map_size - off;
  }

  bool Parse() {
    const auto* eh = reinterpret_cast<const ElfW(Ehdr)*>(Bytes());
    if (std::memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_shentsize != sizeof(ElfW(Shdr)) || !InFile(eh->e_shoff, uint64_t{eh->e_shnum} * sizeof(ElfW(Shdr)))) {
      return false;
    }
    const auto* sh = reinterpret_cast<const ElfW(Shdr)*>(Bytes() + eh->e_shoff);
    // .symtab has everything (static functions too); .dynsym the exports.
    for (ElfW(Word) want : {SHT_SYMTAB, SHT_DYNSYM}) {
      for (int i = 0; i < eh->e_shnum; ++i) {
        if (sh[i].sh_type != want || sh[i].sh_link >= eh->e_shnum) continue;
        const ElfW(Shdr)& strtab = sh[sh[i].sh_link];
        if (!InFile(sh[i].sh_offset, sh[i].sh_size) || !InFile(strtab.sh_offset, strtab.sh_size) ||
            sh[i].sh_entsize != sizeof(ElfW(Sym))) {
          continue;
        }
        const auto* s = reinterpret_cast<const ElfW(Sym)*>(Bytes() + sh[i].sh_offset);
        size_t count = sh[i].sh_size / sizeof(ElfW(Sym));
        for (size_t k = 0; k < count; ++k) {
          int type = ELF64_ST_TYPE(s[k].st_info);
          if ((type != STT_FUNC && type != STT_GNU_IFUNC) || s[k].st_shndx == SHN_UNDEF ||
              s[k].st_value == 0 || s[k].st_name >= strtab.sh_size) {
            continue;
          }
          const char* name = Bytes() + strtab.sh_offset + s[k].st_name;
          if (std::memchr(name, '\0', strtab.sh_size - s[k].st_name) == nullptr) continue;
          syms.push_back({s[k].st_value, s[k].st_size, name});
        }
      }
      if (!syms.empty()) break;
    }
    std::sort(syms.begin(), syms.end(), [](const Sym& a, const Sym& b) {
      return a.value != b.value ? a.value < b.value : a.size > b.size;
    });
    return !syms.empty();
  }
};

Symbolizer::Symbolizer() = default;
Symbolizer::~Symbolizer() = default;

SymbolizedFrame Symbolizer::Symbolize(const void* pc, bool return_address) {
  SymbolizedFrame f;
  f.pc = reinterpret_cast<uintptr_t>(pc);
  uintptr_t lookup = return_address && f.pc > 0 ? f.pc - 1 : f.pc;
  Dl_info info;
  struct link_map* lm = nullptr;
  if (dladdr1(reinterpret_cast<void*>(lookup), &info, reinterpret_cast<void**>(&lm),
              RTLD_DL_LINKMAP) == 0) {
    return f;
  }
  // The main program's link map has an empty name.
  bool main_program = lm != nullptr && (lm->l_name == nullptr || lm->l_name[0] == '\0');
  f.module = main_program ? "/proc/self/exe" : (info.dli_fname ? info.dli_fname : "");
  if (lm != nullptr && !f.module.empty()) {
    auto it = modules_.find(f.module);
    if (it == modules_.end()) it = modules_.emplace(f.module, ElfSymbols::Load(f.module)).first;
    if (it->second != nullptr) {
      if (const ElfSymbols::Sym* s = it->second->Find(lookup - lm->l_addr)) {
        f.function = Demangle(s->name);
        f.offset = f.pc - (s->value + lm->l_addr);
      }
    }
  }
  if (f.function.empty() && info.dli_sname != nullptr) {
    f.function = Demangle(info.dli_sname);
    f.offset = f.pc - reinterpret_cast<uintptr_t>(info.dli_saddr);
  }
  if (main_program) {
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) f.module.assign(exe, static_cast<size_t>(n));
  }
  return f;
}

std::string SymbolizedFrame::ToString() const {
  std::string s = absl::StrFormat("0x%016x in %s ()", pc, function.empty() ? "??" : function);
  if (!module.empty()) absl::StrAppendFormat(&s, " from %s", module);
  return s;
}

std::string Demangle(const char* name) {
  int status = 0;
  char* out = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  if (status != 0 || out == nullptr) {
    std::free(out);
    return name;
  }
  std::string result(out);
  std::free(out);
  return result;
}

}  // namespace endgame

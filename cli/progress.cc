#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "absl/time/clock.h"

namespace endgame::cli {

void ShowProgress(stress::CampaignOptions* o) {
  const bool tty = isatty(STDOUT_FILENO);
  o->on_progress = [tty, last_plain = absl::Now()](const std::string& line) mutable {
    if (tty) {
      std::printf("\r%s\033[K", line.c_str());
      std::fflush(stdout);
    } else if (absl::Now() - last_plain >= absl::Seconds(10)) {
      std::printf("%s\n", line.c_str());
      std::fflush(stdout);
      last_plain = absl::Now();
    }
  };
  o->on_error = [](const std::string& error) { std::fprintf(stderr, "\nendgame stress: %s\n", error.c_str()); };
}

void EndProgress() {
  if (isatty(STDOUT_FILENO)) std::printf("\n");
}

}  // namespace endgame::cli

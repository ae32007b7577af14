#include "cli/flags.h"

#include <cstdio>
#include <string>

namespace endgame::cli {
namespace {

// Help that starts with our usage line: "usage: endgame NAME USAGE\n  SUMMARY\n".
class Formatter : public CLI::Formatter {
 public:
  Formatter(std::string usage, std::string summary) : usage_(std::move(usage)), summary_(std::move(summary)) {
    column_width(34);
  }
  std::string make_description(const CLI::App*) const override { return ""; }
  std::string make_usage(const CLI::App* app, std::string) const override {
    return "usage: endgame " + app->get_name() + (usage_.empty() ? "" : " " + usage_) + "\n  " + summary_ + "\n";
  }
  const std::string& usage() const { return usage_; }

 private:
  std::string usage_, summary_;
};

}  // namespace

std::unique_ptr<CLI::App> NewApp(const char* name, const char* usage, const char* summary) {
  auto app = std::make_unique<CLI::App>(summary, name);
  app->formatter(std::make_shared<Formatter>(usage, summary));
  app->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)->always_capture_default();
  app->get_help_ptr()->description("print this help (every flag, its type and default) and exit");
  return app;
}

std::string UsageLine(const CLI::App& app) {
  auto f = std::dynamic_pointer_cast<Formatter>(app.get_formatter());
  std::string usage = f ? f->usage() : "";
  return "usage: endgame " + app.get_name() + (usage.empty() ? "" : " " + usage) + "\n";
}

int Fail(const char* cmd, const std::string& msg, int code) {
  std::fprintf(stderr, "endgame %s: %s\n", cmd, msg.c_str());
  return code;
}

int Parse(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::printf("%s", app.help().c_str());
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::printf("%s", app.help("", CLI::AppFormatMode::All).c_str());
    return 0;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "endgame %s: %s\n%s", app.get_name().c_str(), e.what(), UsageLine(app).c_str());
    return 2;
  }
  return -1;
}

}  // namespace endgame::cli

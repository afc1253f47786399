// `winiswin venue` (the loopback venue) as a child process, and the base URL it prints first —
// what every test of a running engine starts from. Needs WINISWIN_BINARY.
#pragma once

#include <csignal>
#include <string>
#include <string_view>
#include <vector>

#include "support/child_process.h"

namespace winiswin::testing {

class LoopbackVenueProcess {
 public:
  // `arguments` after `winiswin --log-level warn venue --port 0`; `environment` holds its key pair.
  LoopbackVenueProcess(const std::vector<std::string>& arguments, const std::vector<std::string>& environment)
      : process_(command(arguments), environment) {
    constexpr std::string_view kPrefix = "listening on ";
    const auto line = process_.first_line(std::chrono::seconds(30));
    if (line && line->starts_with(kPrefix)) url_ = line->substr(kPrefix.size());
  }

  [[nodiscard]] const std::string& url() const { return url_; }  // empty: it did not start
  int stop(int signal = SIGTERM) { return process_.stop(signal); }

 private:
  static std::vector<std::string> command(const std::vector<std::string>& arguments) {
    std::vector<std::string> all{WINISWIN_BINARY, "--log-level", "warn", "venue", "--port", "0"};
    all.insert(all.end(), arguments.begin(), arguments.end());
    return all;
  }

  ChildProcess process_;
  std::string url_;
};

}  // namespace winiswin::testing

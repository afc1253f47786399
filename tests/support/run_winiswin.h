// Runs the winiswin binary (WINISWIN_BINARY) through the shell and collects what it printed.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <filesystem>
#include <iterator>
#include <string>

namespace winiswin::testing {

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

// `arguments` go through /bin/sh as written (quote what needs it).
inline CommandResult run_winiswin(const std::string& arguments, const std::string& environment = "") {
  const std::string command = environment + " " + std::string(WINISWIN_BINARY) + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  const int status = pclose(pipe);
  return CommandResult{WEXITSTATUS(status), output};
}

inline std::string file_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), {});
}

}  // namespace winiswin::testing

// A child process for tests of long-running commands (`winiswin venue`): started with its
// own environment, its first stdout line read with a deadline, stopped with a signal.
#pragma once

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

extern char** environ;

namespace winiswin::testing {

class ChildProcess {
 public:
  // `extra_environment`: "NAME=value" entries added to this process's environment.
  ChildProcess(const std::vector<std::string>& arguments, const std::vector<std::string>& extra_environment) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    // Nothing else of the test's goes to the child: a listening socket inherited by it would
    // outlive the test's server being "killed" (clients hang instead of being refused, and the
    // port cannot be bound again). glibc ≥ 2.34.
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    std::vector<char*> argv;
    for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    std::vector<std::string> environment(extra_environment);
    for (char** entry = environ; *entry; ++entry) environment.emplace_back(*entry);
    std::vector<char*> envp;
    for (const std::string& entry : environment) envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    stdout_ = pipe_fds[0];
  }
  ~ChildProcess() {
    if (pid_ > 0 && !exit_code_) (void)stop(SIGKILL);
    if (stdout_ >= 0) ::close(stdout_);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The first line it prints, or nothing by the deadline (or when it exits first).
  std::optional<std::string> first_line(std::chrono::milliseconds deadline) {
    std::string line;
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
      pollfd ready{stdout_, POLLIN, 0};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (::poll(&ready, 1, static_cast<int>(std::max<std::int64_t>(1, left.count()))) <= 0) continue;
      char c = 0;
      if (::read(stdout_, &c, 1) != 1) return std::nullopt;
      if (c == '\n') return line;
      line += c;
    }
    return std::nullopt;
  }
  // Sends `signal` and waits for the exit; its exit code (128 + signal when killed by it).
  int stop(int signal = SIGTERM) {
    if (exit_code_) return *exit_code_;
    ::kill(pid_, signal);
    return wait();
  }
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return *exit_code_;
  }
  [[nodiscard]] bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  std::optional<int> exit_code_;
};

}  // namespace winiswin::testing

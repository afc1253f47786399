#include "app/run_folder.h"

#include <unistd.h>

#include <string>

#include <fmt/format.h>

namespace winiswin {

std::string run_folder_stamp(Timestamp start) {
  std::string stamp = format_utc(std::chrono::floor<std::chrono::seconds>(start));  // "2026-12-01 16:40:05"
  for (char& character : stamp) {
    if (character == ' ') character = 'T';
    if (character == ':') character = '-';
  }
  return stamp + "Z";
}

Result<std::filesystem::path> make_run_folder(const std::filesystem::path& root, Timestamp start) {
  std::error_code error;
  std::filesystem::create_directories(root, error);
  if (error) return make_error(ErrorCode::kIo, fmt::format("{}: cannot create this folder: {}; pass --out DIR", root.string(), error.message()));
  const std::string stamp = run_folder_stamp(start);
  // More runs than this in one second is a loop gone wrong, not a user.
  constexpr int kMaxRunsPerSecond = 1000;
  for (int attempt = 1; attempt <= kMaxRunsPerSecond; ++attempt) {
    const std::filesystem::path run = root / (attempt == 1 ? stamp : fmt::format("{}-{}", stamp, attempt));
    if (std::filesystem::create_directory(run, error)) return run;
    if (error) return make_error(ErrorCode::kIo, fmt::format("{}: cannot create this folder: {}; pass --out DIR", run.string(), error.message()));
  }
  return make_error(ErrorCode::kIo, fmt::format("{}: {} runs already started in {}; pass --out DIR", root.string(), kMaxRunsPerSecond, stamp));
}

Status point_latest(const std::filesystem::path& run) {
  const std::filesystem::path latest = run.parent_path() / "latest";
  const std::filesystem::path temporary = run.parent_path() / fmt::format(".latest-{}", ::getpid());
  std::error_code error;
  std::filesystem::remove(temporary, error);  // a leftover of a killed run with this pid
  std::filesystem::create_directory_symlink(run.filename(), temporary, error);
  if (!error) std::filesystem::rename(temporary, latest, error);
  if (error) {
    const std::string reason = error.message();
    std::filesystem::remove(temporary, error);
    return make_error(ErrorCode::kIo, fmt::format("{}: cannot point it at {}: {}", latest.string(), run.filename().string(), reason));
  }
  return Ok{};
}

}  // namespace winiswin

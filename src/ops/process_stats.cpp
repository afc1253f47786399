#include "ops/process_stats.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

namespace winiswin::ops {
namespace {

// The boot time (btime in /proc/stat), seconds since the epoch.
double boot_time_seconds() {
  std::ifstream stat("/proc/stat");
  std::string key;
  double value = 0.0;
  while (stat >> key) {
    if (key == "btime" && stat >> value) return value;
    stat.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return 0.0;
}

}  // namespace

Result<ProcessStats> read_process_stats() {
  std::ifstream stat_file("/proc/self/stat");
  std::string line;
  if (!stat_file || !std::getline(stat_file, line)) return make_error(ErrorCode::kIo, "/proc/self/stat: cannot read (not Linux?)");
  // Fields after the command name, which is in parentheses and may hold spaces: start past ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return make_error(ErrorCode::kCorrupt, "/proc/self/stat: no ')' after the command name");
  std::istringstream fields(line.substr(close + 2));
  // proc(5): field 3 is the state; utime 14, stime 15 (clock ticks), starttime 22 (ticks after
  // boot), vsize 23 (bytes), rss 24 (pages). Here field 3 is the first one read.
  std::string field;
  double utime = 0, stime = 0, starttime = 0, vsize = 0, rss = 0;
  for (int field_no = 3; field_no <= 24 && fields >> field; ++field_no) {
    if (field_no == 14) utime = std::stod(field);
    if (field_no == 15) stime = std::stod(field);
    if (field_no == 22) starttime = std::stod(field);
    if (field_no == 23) vsize = std::stod(field);
    if (field_no == 24) rss = std::stod(field);
  }
  if (!fields) return make_error(ErrorCode::kCorrupt, "/proc/self/stat: fewer than 24 fields");
  const auto ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const auto page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  ProcessStats stats;
  stats.cpu_seconds = (utime + stime) / ticks;
  stats.resident_bytes = rss * page;
  stats.virtual_bytes = vsize;
  stats.start_time_seconds = boot_time_seconds() + starttime / ticks;
  std::error_code ignored;
  for (auto entry = std::filesystem::directory_iterator("/proc/self/fd", ignored); entry != std::filesystem::directory_iterator();
       entry.increment(ignored)) {
    stats.open_fds += 1.0;
  }
  return stats;
}

// On Linux, setpriority() on a thread id sets that thread's niceness alone (setpriority(2),
// "BUGS": threads do not share a nice value), and raising one's own needs no privilege.
// Set once per thread; a failure only leaves the default.
void lower_this_threads_priority() {
  constexpr int kOpsNice = 10;
  thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  const auto thread_id = static_cast<id_t>(::syscall(SYS_gettid));
  (void)::setpriority(PRIO_PROCESS, thread_id, kOpsNice);
}

}  // namespace winiswin::ops

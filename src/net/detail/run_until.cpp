#include "net/detail/run_until.h"

#include <stdexcept>

namespace winiswin::net::detail {

bool run_until(boost::asio::io_context& io, const bool& done, Deadline deadline, const std::function<void()>& cancel) {
  io.restart();
  while (!done) {
    if (io.run_one_until(deadline) > 0) continue;
    if (io.stopped() && std::chrono::steady_clock::now() < deadline) {
      // Out of work without completing: a programming error in the caller's operation chain.
      throw std::logic_error("net::run_until: no pending operation can complete the call");
    }
    if (done) break;
    cancel();
    io.restart();
    while (!done && io.run_one() > 0) {
    }
    return true;
  }
  return false;
}

}  // namespace winiswin::net::detail

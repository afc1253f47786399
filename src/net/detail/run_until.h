// Drives an io_context on the calling thread until an operation completes or a deadline
// passes: how the blocking client calls put a time limit on asynchronous Asio operations.
#pragma once

#include <chrono>
#include <functional>

#include <boost/asio/io_context.hpp>

namespace winiswin::net::detail {

using Deadline = std::chrono::steady_clock::time_point;

// Runs `io` until `done` becomes true (set by a completion handler). If `deadline` passes
// first, calls `cancel` (which must make the pending operations complete, e.g. by closing the
// socket) and keeps running until they have; returns true in that case.
bool run_until(boost::asio::io_context& io, const bool& done, Deadline deadline, const std::function<void()>& cancel);

}  // namespace winiswin::net::detail

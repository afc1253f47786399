// A local fake of Discord's REST API for the notify tests: a loopback HttpServer that records
// every request it receives and answers from a script (a 429 with its headers, a 500 …) before
// falling back to success. It can be stopped — connections then fail as in an outage — and
// started again on the same port.
#pragma once

#include <unistd.h>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "net/http_server.h"

namespace winiswin::notify::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  net::HttpHeaders headers;
  std::string body;
};

class FakeDiscord {
 public:
  FakeDiscord() { start(); }
  ~FakeDiscord() { stop(); }

  // Binds below Linux's ephemeral range (32768–60999): a client retrying a dead port in that
  // range can connect to itself (TCP simultaneous open — its source port equal to the
  // destination), and would then hold the port the fake wants back. The first start picks a
  // free port at random; a restart binds the same one, retrying while it is still in use.
  void start() {
    constexpr int kLowest = 20'000, kCount = 12'000, kAttempts = 200;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
      net::HttpServerOptions options;
      const std::uint64_t spread = static_cast<std::uint64_t>(::getpid()) * 7'919 + static_cast<std::uint64_t>(attempt) * 104'729;
      options.port = port_ != 0 ? port_ : static_cast<std::uint16_t>(kLowest + static_cast<int>(spread % kCount));
      server_ = std::make_unique<net::HttpServer>(options, [this](const net::HttpServerRequest& request) { return answer(request); });
      if (server_->start().ok()) {
        port_ = server_->port();
        return;
      }
      server_.reset();
      if (port_ != 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "the fake Discord could not bind " << (port_ != 0 ? "its port again" : "a port");
  }
  void stop() {
    if (server_) server_->stop();
    server_.reset();
  }

  // The next answers, in order; once used up, every request gets `success`.
  void script(net::HttpResponse response) {
    const std::lock_guard lock(mutex_);
    script_.push_back(std::move(response));
  }
  void set_success(net::HttpResponse response) {
    const std::lock_guard lock(mutex_);
    success_ = std::move(response);
  }

  [[nodiscard]] std::vector<ReceivedRequest> received() const {
    const std::lock_guard lock(mutex_);
    return received_;
  }
  // The requests answered with 2xx (delivered).
  [[nodiscard]] std::vector<ReceivedRequest> delivered() const {
    const std::lock_guard lock(mutex_);
    return delivered_;
  }
  // Waits (bounded) until `count` requests were delivered; true if they were.
  bool wait_for_delivered(std::size_t count, std::chrono::seconds limit = std::chrono::seconds(30)) const {
    return wait_until([&] { return delivered().size() >= count; }, limit);
  }
  bool wait_for_received(std::size_t count, std::chrono::seconds limit = std::chrono::seconds(30)) const {
    return wait_until([&] { return received().size() >= count; }, limit);
  }
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::string url(std::string_view path) const { return "http://127.0.0.1:" + std::to_string(port_) + std::string(path); }

  static net::HttpResponse reply(int status, std::string body = "{}") {
    net::HttpResponse response(status, {}, std::move(body));
    response.headers.set("Content-Type", "application/json");
    return response;
  }

 private:
  template <typename Done>
  static bool wait_until(const Done& done, std::chrono::seconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
  }
  std::optional<net::HttpResponse> answer(const net::HttpServerRequest& request) {
    const std::lock_guard lock(mutex_);
    received_.push_back(ReceivedRequest{request.method, request.target, request.headers, request.body});
    net::HttpResponse response = success_;
    if (!script_.empty()) {
      response = std::move(script_.front());
      script_.pop_front();
    }
    if (response.status >= 200 && response.status < 300) delivered_.push_back(received_.back());
    return response;
  }

  std::unique_ptr<net::HttpServer> server_;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::deque<net::HttpResponse> script_;
  net::HttpResponse success_ = reply(200, R"({"id":"1"})");
  std::vector<ReceivedRequest> received_;
  std::vector<ReceivedRequest> delivered_;
};

}  // namespace winiswin::notify::testing

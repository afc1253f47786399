// Debian's Chromium, headless, driven over the DevTools protocol (CDP) — for pages that keep
// changing (a live dashboard), where --dump-dom's single snapshot at load does not do: the test
// waits in real time and reads the page with Runtime.evaluate as often as it likes. Script
// errors are collected as they happen (Runtime.exceptionThrown, console.error through
// Runtime.consoleAPICalled, Log.entryAdded of level error).
//
// Started with the flags TOOLCHAIN.md gives for a closed network and a fresh profile of its
// own (unique per process and object); the DevTools port is read from the profile's
// DevToolsActivePort file (--remote-debugging-port=0 picks a free one).
#pragma once

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "net/http_client.h"
#include "net/json_writer.h"
#include "net/url.h"
#include "net/websocket_client.h"
#include "support/child_process.h"

namespace winiswin::testing {

inline constexpr const char* kChromium = "/usr/bin/chromium";

class HeadlessChromium {
 public:
  // Opens `url`; started() says whether the browser and its page came up.
  explicit HeadlessChromium(const std::string& url) {
    static std::atomic<int> instance{0};
    profile_ = std::filesystem::temp_directory_path() / fmt::format("winiswin_cdp_profile_{}_{}", ::getpid(), instance++);
    std::error_code ignored;
    std::filesystem::remove_all(profile_, ignored);
    std::filesystem::create_directories(profile_);
    browser_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                                 "--disable-component-update", "--disable-sync", "--remote-debugging-port=0",
                                 "--user-data-dir=" + profile_.string(), url},
        std::vector<std::string>{});
    connect_to_page();
  }
  ~HeadlessChromium() {
    page_.reset();
    if (browser_ && browser_->started()) (void)browser_->stop(SIGTERM);  // it shuts its own helper processes down
    browser_.reset();
    // A helper may still be writing its last file into the profile: never throw from here.
    std::error_code ignored;
    for (int attempt = 0; attempt < 5 && std::filesystem::exists(profile_, ignored); ++attempt) {
      std::filesystem::remove_all(profile_, ignored);
      if (ignored) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }

  [[nodiscard]] bool started() const { return page_ != nullptr; }
  [[nodiscard]] const std::string& why_not() const { return why_not_; }

  // `expression` evaluated in the page, its value as JSON text (nullopt: no answer in time).
  std::optional<std::string> evaluate(const std::string& expression) {
    net::JsonWriter params;
    params.begin_object().field("expression", expression).field("returnByValue", true).end_object();
    const auto answer = call("Runtime.evaluate", params.take());
    if (!answer) return std::nullopt;
    simdjson::dom::parser parser;
    simdjson::dom::element value;
    if (parser.parse(*answer)["result"]["result"]["value"].get(value) != simdjson::SUCCESS) return std::nullopt;
    return std::string(simdjson::to_string(value));
  }
  // The errors the page reported so far (messages).
  std::vector<std::string> errors() {
    const std::lock_guard lock(mutex_);
    return errors_;
  }

 private:
  void connect_to_page() {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::string port;
    while (std::chrono::steady_clock::now() < until && port.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      std::ifstream active(profile_ / "DevToolsActivePort");
      std::getline(active, port);
    }
    if (port.empty()) {
      why_not_ = "chromium wrote no DevToolsActivePort";
      return;
    }
    net::HttpClient http;
    net::HttpRequest list;
    list.target = "/json/list";
    std::string socket_url;
    while (std::chrono::steady_clock::now() < until && socket_url.empty()) {
      const auto targets = http.send(net::Endpoint{net::Scheme::kHttp, "127.0.0.1", static_cast<std::uint16_t>(std::stoi(port))}, list);
      simdjson::dom::parser parser;
      simdjson::dom::array pages;
      if (targets && parser.parse(targets->body).get(pages) == simdjson::SUCCESS) {
        for (const simdjson::dom::element target : pages) {
          std::string_view type, address;
          if (target["type"].get(type) == simdjson::SUCCESS && type == "page" && target["webSocketDebuggerUrl"].get(address) == simdjson::SUCCESS) {
            socket_url = std::string(address);
          }
        }
      }
      if (socket_url.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (socket_url.empty()) {
      why_not_ = "chromium listed no page";
      return;
    }
    net::WebSocketClientCallbacks callbacks;
    callbacks.on_message = [this](std::string_view text, Timestamp) { on_message(text); };
    auto page = net::WebSocketClient::connect(socket_url, callbacks);
    if (!page) {
      why_not_ = page.error().message;
      return;
    }
    page_ = std::move(*page);
    for (const char* domain : {"Runtime.enable", "Log.enable"}) (void)call(domain, "{}");
  }

  // One CDP call and its answer (the whole message), waited for up to 10 s.
  std::optional<std::string> call(const std::string& method, const std::string& params) {
    if (!page_) return std::nullopt;
    const int id = ++next_id_;
    page_->send(fmt::format(R"({{"id":{},"method":"{}","params":{}}})", id, method, params));
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until) {
      {
        const std::lock_guard lock(mutex_);
        for (auto answer = answers_.begin(); answer != answers_.end(); ++answer) {
          if (answer->first != id) continue;
          std::string text = std::move(answer->second);
          answers_.erase(answer);
          return text;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
  }

  void on_message(std::string_view text) {
    simdjson::dom::parser parser;
    simdjson::dom::element message;
    if (parser.parse(text.data(), text.size()).get(message) != simdjson::SUCCESS) return;
    std::int64_t id = 0;
    const std::lock_guard lock(mutex_);
    if (message["id"].get(id) == simdjson::SUCCESS) {
      answers_.emplace_back(static_cast<int>(id), std::string(text));
      return;
    }
    std::string_view method;
    if (message["method"].get(method) != simdjson::SUCCESS) return;
    std::string_view type, level;
    if (method == "Runtime.exceptionThrown") {
      errors_.push_back(simdjson::to_string(message["params"]["exceptionDetails"]));
    } else if (method == "Runtime.consoleAPICalled" && message["params"]["type"].get(type) == simdjson::SUCCESS && type == "error") {
      errors_.push_back(simdjson::to_string(message["params"]["args"]));
    } else if (method == "Log.entryAdded" && message["params"]["entry"]["level"].get(level) == simdjson::SUCCESS && level == "error") {
      errors_.push_back(simdjson::to_string(message["params"]["entry"]));
    }
  }

  std::filesystem::path profile_;
  std::unique_ptr<ChildProcess> browser_;
  std::unique_ptr<net::WebSocketClient> page_;
  std::string why_not_;
  std::atomic<int> next_id_{0};
  std::mutex mutex_;
  std::vector<std::pair<int, std::string>> answers_;
  std::vector<std::string> errors_;
};

}  // namespace winiswin::testing

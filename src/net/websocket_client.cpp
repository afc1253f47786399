#include "net/websocket_client.h"

#include <condition_variable>
#include <mutex>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>

#include "net/detail/connect.h"
#include "net/detail/websocket_client_session.h"

namespace winiswin::net {

namespace {
// After the close handshake's own limit, how long to wait before cutting the socket.
constexpr std::chrono::milliseconds kCloseGrace{1'000};
}  // namespace

struct WebSocketClient::Impl {
  void mark_ended() {
    {
      const std::lock_guard lock(mutex);
      ended = true;
    }
    ended_changed.notify_all();
  }
  bool wait_ended(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex);
    return ended_changed.wait_for(lock, timeout, [this] { return ended; });
  }

  WebSocketClientOptions options;
  boost::asio::io_context io;  // before the session, whose sockets use it
  std::shared_ptr<boost::asio::ssl::context> tls_context;
  std::unique_ptr<detail::ClientSessionBase> session;
  std::thread io_thread;
  Timestamp connected_at{};

  std::mutex mutex;  // guards ended
  std::condition_variable ended_changed;
  bool ended = false;
};

WebSocketClient::WebSocketClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebSocketClient::~WebSocketClient() { close(); }

Result<std::unique_ptr<WebSocketClient>> WebSocketClient::connect(std::string_view url,
                                                                  WebSocketClientCallbacks callbacks,
                                                                  WebSocketClientOptions options) {
  WINISWIN_TRY(Url parsed, parse_url(url));
  return connect(parsed, std::move(callbacks), std::move(options));
}

Result<std::unique_ptr<WebSocketClient>> WebSocketClient::connect(const Url& url, WebSocketClientCallbacks callbacks,
                                                                  WebSocketClientOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  if (is_tls(url.endpoint.scheme)) {
    WINISWIN_TRY(impl->tls_context, detail::make_client_tls_context(impl->options.tls));
  }
  Impl* const shared = impl.get();  // outlives the session and its I/O thread
  callbacks.on_close = [shared, user_on_close = std::move(callbacks.on_close)](const Status& reason) {
    if (user_on_close) user_on_close(reason);
    shared->mark_ended();
  };
  impl->session = detail::make_client_session(impl->io, std::move(callbacks), impl->tls_context.get());
  const detail::Deadline deadline = std::chrono::steady_clock::now() + impl->options.connect_timeout;
  const Status connected = impl->session->connect(url, impl->options, deadline);
  if (!connected.ok()) return connected.error();
  impl->connected_at = std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now());
  impl->session->start();
  impl->io_thread = std::thread([shared] {
    shared->io.restart();
    const auto work = boost::asio::make_work_guard(shared->io);  // close() stops it
    shared->io.run();
  });
  return std::unique_ptr<WebSocketClient>(new WebSocketClient(std::move(impl)));
}

void WebSocketClient::send(std::string text) { impl_->session->send(std::move(text)); }

void WebSocketClient::ping() { impl_->session->ping(); }

void WebSocketClient::close() {
  impl_->session->close();
  if (std::this_thread::get_id() == impl_->io_thread.get_id()) return;  // a callback: the thread cannot wait for itself
  if (!impl_->io_thread.joinable()) return;
  if (!impl_->wait_ended(impl_->options.close_timeout + kCloseGrace)) {
    impl_->session->drop();
    std::unique_lock lock(impl_->mutex);
    impl_->ended_changed.wait(lock, [this] { return impl_->ended; });
  }
  // The session has ended; what is left in the queue are completions of aborted operations.
  // Stopping, rather than waiting for the queue to run dry, cannot hang on an operation that
  // Beast keeps suspended.
  impl_->io.stop();
  impl_->io_thread.join();
}

bool WebSocketClient::is_open() const { return impl_->session->open.load(std::memory_order_acquire); }

Timestamp WebSocketClient::connected_at() const { return impl_->connected_at; }

std::optional<Timestamp> WebSocketClient::last_message_time() const {
  const std::int64_t ms = impl_->session->last_message_ms.load(std::memory_order_acquire);
  if (ms == detail::ClientSessionBase::kNoMessageYet) return std::nullopt;
  return timestamp_from_ms(ms);
}

std::uint64_t WebSocketClient::messages_received() const {
  return impl_->session->messages.load(std::memory_order_relaxed);
}
std::uint64_t WebSocketClient::pings_received() const { return impl_->session->pings.load(std::memory_order_relaxed); }
std::uint64_t WebSocketClient::pongs_received() const { return impl_->session->pongs.load(std::memory_order_relaxed); }

}  // namespace winiswin::net

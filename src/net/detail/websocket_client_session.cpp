#include "net/detail/websocket_client_session.h"

#include <deque>
#include <exception>
#include <mutex>
#include <type_traits>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "net/detail/beast_messages.h"

namespace winiswin::net::detail {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

Timestamp now_utc() { return std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now()); }

Status check_handshake_inputs(const Url& url, const WebSocketClientOptions& options) {
  if (url.endpoint.scheme != Scheme::kWs && url.endpoint.scheme != Scheme::kWss) {
    return make_error(ErrorCode::kInvalidArgument,
                      "WebSocket client: " + url.endpoint.to_string() + " is not a ws:// or wss:// endpoint");
  }
  if (!is_valid_target(url.target)) {
    return make_error(ErrorCode::kInvalidArgument, "WebSocket client: invalid target '" + url.target + "'");
  }
  for (const auto& [name, value] : options.handshake_headers.fields()) {
    if (!is_valid_header(name, value)) {
      return make_error(ErrorCode::kInvalidArgument, "WebSocket client: invalid handshake header '" + name + "'");
    }
  }
  return Ok{};
}

}  // namespace

// Every member below the mutex is touched only on the I/O thread (or the caller's, before it runs).
template <typename Stream>  // Tcp::socket or TlsStream
class ClientSession final : public ClientSessionBase {
 public:
  template <typename... StreamArgs>
  ClientSession(boost::asio::io_context& io, WebSocketClientCallbacks callbacks, StreamArgs&&... stream_args);

  Status connect(const Url& url, const WebSocketClientOptions& options, Deadline deadline) override;
  void start() override;
  void send(std::string text) override;
  void ping() override;
  void close() override;
  void drop() override;

 private:
  template <typename Action>
  void post_unless_ended(Action action);
  Status upgrade(const Url& url, const WebSocketClientOptions& options, Deadline deadline);
  void read_next();
  void on_read(const boost::system::error_code& error);
  void write_next();
  void schedule_ping();
  void send_ping();
  void start_close_if_due();
  void end(const Status& reason);

  boost::asio::io_context& io_;
  boost::beast::websocket::stream<Stream> ws_;
  boost::asio::steady_timer ping_timer_;
  std::chrono::milliseconds ping_interval_{0};

  std::mutex mutex_;  // guards ended_ against posts from other threads
  bool ended_ = false;

  WebSocketClientCallbacks callbacks_;
  boost::beast::flat_buffer read_buffer_;
  std::deque<std::string> outbox_;
  bool writing_ = false;
  bool closing_ = false;
  bool close_requested_ = false;
  bool control_frame_pending_ = false;  // Beast allows one ping or close in flight
  bool close_started_ = false;          // our close frame is on its way: no new reads
  bool finished_ = false;
};

template <typename Stream>
template <typename... StreamArgs>
ClientSession<Stream>::ClientSession(asio::io_context& io, WebSocketClientCallbacks callbacks,
                                     StreamArgs&&... stream_args)
    : io_(io), ws_(std::forward<StreamArgs>(stream_args)...), ping_timer_(io), callbacks_(std::move(callbacks)) {}

template <typename Stream>
template <typename Action>
void ClientSession<Stream>::post_unless_ended(Action action) {
  const std::lock_guard lock(mutex_);
  if (ended_) return;
  asio::post(io_, std::move(action));
}

template <typename Stream>
Status ClientSession<Stream>::connect(const Url& url, const WebSocketClientOptions& options, Deadline deadline) {
  const Status inputs = check_handshake_inputs(url, options);
  if (!inputs.ok()) return inputs;
  const Status connected = connect_tcp(io_, beast::get_lowest_layer(ws_), url.endpoint, deadline);
  if (!connected.ok()) return connected;
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    const Status secured = tls_handshake(io_, ws_.next_layer(), url.endpoint.host, options.tls.verify_peer, deadline);
    if (!secured.ok()) return secured;
  }
  const Status upgraded = upgrade(url, options, deadline);
  if (!upgraded.ok()) return upgraded;

  // From now on the "handshake" timeout limits the close handshake; no idle timeout, since
  // silence is the caller's watchdog's call (it knows what silence means for its stream).
  ws_.set_option(websocket::stream_base::timeout{options.close_timeout, websocket::stream_base::none(), false});
  ws_.read_message_max(options.max_message_bytes);
  ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
    if (kind == websocket::frame_type::ping) pings.fetch_add(1, std::memory_order_relaxed);
    if (kind == websocket::frame_type::pong) pongs.fetch_add(1, std::memory_order_relaxed);
  });
  ping_interval_ = options.ping_interval;
  open.store(true, std::memory_order_release);
  return Ok{};
}

template <typename Stream>
Status ClientSession<Stream>::upgrade(const Url& url, const WebSocketClientOptions& options, Deadline deadline) {
  ws_.set_option(websocket::stream_base::decorator([&options](websocket::request_type& request) {
    if (!options.user_agent.empty()) request.set(http::field::user_agent, options.user_agent);
    for (const auto& [name, value] : options.handshake_headers.fields()) request.set(name, value);
  }));
  websocket::response_type response;
  boost::system::error_code error;
  bool done = false;
  ws_.async_handshake(response, url.endpoint.host_header(), url.target, [&](const boost::system::error_code& ec) {
    error = ec;
    done = true;
  });
  const std::string where = "WebSocket upgrade at " + url.endpoint.to_string() + url.target;
  if (run_until(io_, done, deadline, [this] { beast::get_lowest_layer(ws_).close(); })) {
    return make_error(ErrorCode::kIo, where + ": timed out");
  }
  if (error == websocket::error::upgrade_declined) {
    return make_error(ErrorCode::kIo, where + ": the server answered HTTP " + std::to_string(response.result_int()) +
                                          " instead of switching protocols");
  }
  if (error) return io_error(where, error);
  ws_.set_option(websocket::stream_base::decorator([](websocket::request_type&) {}));  // drop the captured reference
  return Ok{};
}

template <typename Stream>
void ClientSession<Stream>::start() {
  read_next();
  if (ping_interval_.count() > 0) schedule_ping();
}

template <typename Stream>
void ClientSession<Stream>::read_next() {
  ws_.async_read(read_buffer_, [this](const boost::system::error_code& error, std::size_t) { on_read(error); });
}

template <typename Stream>
void ClientSession<Stream>::on_read(const boost::system::error_code& error) {
  if (finished_) return;
  if (error) {
    // `closed`: the server began the close handshake or answered ours. After we began one,
    // whatever ends the read ends the connection we asked to close.
    const bool clean = error == websocket::error::closed || closing_;
    end(clean ? Status(Ok{}) : Status(io_error("WebSocket connection lost", error)));
    return;
  }
  const Timestamp received_at = now_utc();
  last_message_ms.store(to_ms(received_at), std::memory_order_release);
  messages.fetch_add(1, std::memory_order_relaxed);
  const auto bytes = read_buffer_.data();
  const std::string_view text(static_cast<const char*>(bytes.data()), bytes.size());
  if (callbacks_.on_message) callbacks_.on_message(text, received_at);
  read_buffer_.consume(read_buffer_.size());
  // Once our close frame is out, Beast's close operation reads until the server's answer. A
  // read of ours started now could deadlock with it (Beast 1.81: the new read finds the
  // server's close frame already buffered and waits for the write lock the close operation
  // holds, while that operation waits for the read lock).
  if (!close_started_) read_next();
}

template <typename Stream>
void ClientSession<Stream>::send(std::string text) {
  post_unless_ended([this, text = std::move(text)]() mutable {
    if (finished_ || closing_) return;
    outbox_.push_back(std::move(text));
    write_next();
  });
}

template <typename Stream>
void ClientSession<Stream>::write_next() {
  if (writing_ || outbox_.empty() || finished_) return;
  writing_ = true;
  ws_.text(true);
  ws_.async_write(asio::buffer(outbox_.front()), [this](const boost::system::error_code& error, std::size_t) {
    writing_ = false;
    if (finished_) return;
    if (error) {
      end(io_error("WebSocket send failed", error));
      return;
    }
    outbox_.pop_front();
    write_next();
    start_close_if_due();
  });
}

template <typename Stream>
void ClientSession<Stream>::schedule_ping() {
  ping_timer_.expires_after(ping_interval_);
  ping_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || finished_) return;
    send_ping();
    schedule_ping();
  });
}

template <typename Stream>
void ClientSession<Stream>::ping() {
  post_unless_ended([this] { send_ping(); });
}

template <typename Stream>
void ClientSession<Stream>::send_ping() {
  if (finished_ || closing_ || control_frame_pending_) return;
  control_frame_pending_ = true;
  ws_.async_ping({}, [this](const boost::system::error_code&) {
    control_frame_pending_ = false;
    start_close_if_due();
  });
}

template <typename Stream>
void ClientSession<Stream>::close() {
  post_unless_ended([this] {
    if (finished_ || closing_) return;
    closing_ = true;
    close_requested_ = true;
    start_close_if_due();
  });
}

template <typename Stream>
void ClientSession<Stream>::start_close_if_due() {
  // What was sent before close() goes out first; the read loop ends the session when the
  // server answers the close frame (or Beast's close timeout cuts the connection).
  if (!close_requested_ || writing_ || !outbox_.empty() || control_frame_pending_ || finished_) return;
  close_requested_ = false;
  control_frame_pending_ = true;
  close_started_ = true;
  // The close operation sends our close frame, reads until the server's, and tears the
  // connection down; done or failed (the server never answered within close_timeout), the
  // connection we asked to close is closed.
  ws_.async_close(websocket::close_code::normal, [this](const boost::system::error_code&) {
    control_frame_pending_ = false;
    end(Ok{});
  });
}

template <typename Stream>
void ClientSession<Stream>::drop() {
  post_unless_ended([this] { end(make_error(ErrorCode::kIo, "WebSocket connection cut: the close handshake took too long")); });
}

template <typename Stream>
void ClientSession<Stream>::end(const Status& reason) {
  if (finished_) return;
  finished_ = true;
  open.store(false, std::memory_order_release);
  {
    const std::lock_guard lock(mutex_);
    ended_ = true;
  }
  ping_timer_.cancel();
  boost::system::error_code ignored;
  beast::get_lowest_layer(ws_).close(ignored);
  outbox_.clear();
  if (callbacks_.on_close) callbacks_.on_close(reason);
}

std::unique_ptr<ClientSessionBase> make_client_session(asio::io_context& io, WebSocketClientCallbacks callbacks,
                                                       asio::ssl::context* tls_context) {
  if (tls_context == nullptr) return std::make_unique<ClientSession<Tcp::socket>>(io, std::move(callbacks), io);
  return std::make_unique<ClientSession<TlsStream>>(io, std::move(callbacks), io, *tls_context);
}

}  // namespace winiswin::net::detail

#include "net/detail/websocket_session_impl.h"

#include <exception>

#include <boost/asio/post.hpp>

#include "net/websocket_session.h"

namespace winiswin::net::detail {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

WebSocketSessionImpl::WebSocketSessionImpl(std::shared_ptr<ServerState> state, beast::tcp_stream stream,
                                           std::string peer, std::string target)
    : state_(std::move(state)),
      ws_(std::move(stream)),
      executor_(ws_.get_executor()),
      peer_(std::move(peer)),
      target_(std::move(target)) {
  beast::get_lowest_layer(ws_).expires_never();  // the websocket stream keeps its own timers
  // No idle timeout: Binance's clients may stay silent for minutes; liveness is the pings' job.
  ws_.set_option(websocket::stream_base::timeout{state_->options.idle_timeout, websocket::stream_base::none(), false});
  ws_.read_message_max(state_->options.max_websocket_message_bytes);
  // Runs inside our own read operations, which hold a reference to this session.
  ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
    if (kind == websocket::frame_type::pong) pongs_.fetch_add(1, std::memory_order_relaxed);
  });
}

template <typename Action>
void WebSocketSessionImpl::post_unless_ended(Action action) {
  const std::lock_guard lock(mutex_);
  if (ended_) return;
  asio::post(executor_, [self = shared_from_this(), action = std::move(action)]() mutable { action(); });
}

void WebSocketSessionImpl::accept(BeastRequest request, const WebSocketHandler& route, HttpServerRequest upgrade) {
  if (!state_->adopt(shared_from_this())) {
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    return;
  }
  upgrade_request_ = std::move(request);
  ws_.async_accept(upgrade_request_, [self = shared_from_this(), route_handler = &route,
                                      upgrade = std::move(upgrade)](const boost::system::error_code& error) {
    self->on_accepted(error, *route_handler, upgrade);
  });
}

void WebSocketSessionImpl::on_accepted(const boost::system::error_code& error, const WebSocketHandler& route,
                                       const HttpServerRequest& upgrade) {
  upgrade_request_ = {};
  if (error || phase_ != Phase::kHandshake) {
    end();
    return;
  }
  phase_ = Phase::kOpen;
  open_.store(true, std::memory_order_release);
  try {
    callbacks_ = route(std::make_shared<WebSocketSession>(shared_from_this()), upgrade);
  } catch (const std::exception&) {
    end();  // a route handler that throws has a bug; the client sees the connection close
    return;
  }
  read_next();
}

void WebSocketSessionImpl::read_next() {
  ws_.async_read(read_buffer_, [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
    self->on_read(error);
  });
}

void WebSocketSessionImpl::on_read(const boost::system::error_code& error) {
  if (phase_ == Phase::kStalled || phase_ == Phase::kEnded) return;
  if (error) {
    end();
    return;
  }
  const auto bytes = read_buffer_.data();
  const std::string_view text(static_cast<const char*>(bytes.data()), bytes.size());
  try {
    if (callbacks_.on_message) callbacks_.on_message(text);
  } catch (const std::exception&) {
    end();
    return;
  }
  read_buffer_.consume(read_buffer_.size());
  // Once our close frame is out, Beast's close operation does the reading (see
  // websocket_client_session.cpp for the deadlock a read of ours could cause).
  if (phase_ == Phase::kOpen || (phase_ == Phase::kClosing && !close_started_)) read_next();
}

void WebSocketSessionImpl::send(std::string text) {
  post_unless_ended([this, text = std::move(text)]() mutable {
    if (phase_ != Phase::kOpen) return;
    outbox_.push_back(std::move(text));
    write_next();
  });
}

void WebSocketSessionImpl::write_next() {
  if (writing_ || outbox_.empty() || (phase_ != Phase::kOpen && phase_ != Phase::kClosing)) return;
  writing_ = true;
  ws_.text(true);
  ws_.async_write(asio::buffer(outbox_.front()),
                  [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
                    self->on_written(error);
                  });
}

void WebSocketSessionImpl::on_written(const boost::system::error_code& error) {
  writing_ = false;
  if (phase_ == Phase::kStalled || phase_ == Phase::kEnded) return;
  if (error) {
    end();
    return;
  }
  outbox_.pop_front();
  write_next();
  start_close_if_due();
}

void WebSocketSessionImpl::ping() {
  post_unless_ended([this] {
    if (phase_ != Phase::kOpen || control_frame_pending_) return;
    control_frame_pending_ = true;
    ws_.async_ping({}, [self = shared_from_this()](const boost::system::error_code&) {
      self->control_frame_pending_ = false;
      self->start_close_if_due();
    });
  });
}

void WebSocketSessionImpl::close() {
  post_unless_ended([this] {
    if (phase_ != Phase::kOpen) return;
    phase_ = Phase::kClosing;
    close_requested_ = true;
    start_close_if_due();
  });
}

void WebSocketSessionImpl::start_close_if_due() {
  // Messages sent before close() go out first; the read loop ends the session when the
  // client answers the close frame.
  if (!close_requested_ || writing_ || !outbox_.empty() || control_frame_pending_) return;
  close_requested_ = false;
  control_frame_pending_ = true;
  close_started_ = true;
  ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](const boost::system::error_code&) {
    self->control_frame_pending_ = false;
    self->end();  // the handshake is over, or failed: either way the connection is
  });
}

void WebSocketSessionImpl::stall() {
  post_unless_ended([this] {
    if (phase_ != Phase::kOpen && phase_ != Phase::kClosing) return;
    phase_ = Phase::kStalled;
    outbox_.clear();
    // Abandons the pending read and write; the socket stays open until drop() or stop().
    beast::get_lowest_layer(ws_).cancel();
  });
}

void WebSocketSessionImpl::drop() {
  post_unless_ended([this] { end(); });
}

void WebSocketSessionImpl::end() {
  if (phase_ == Phase::kEnded) return;
  phase_ = Phase::kEnded;
  open_.store(false, std::memory_order_release);
  {
    const std::lock_guard lock(mutex_);
    ended_ = true;
  }
  boost::system::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);  // no close frame: abrupt, by design
  outbox_.clear();
  // Released here, not at destruction: the callbacks often hold this session's handle.
  WebSocketCallbacks callbacks = std::move(callbacks_);
  callbacks_ = {};
  if (callbacks.on_close) {
    try {
      callbacks.on_close();
    } catch (const std::exception&) {
      // The connection is over either way.
    }
  }
  state_->release(this);
}

}  // namespace winiswin::net::detail

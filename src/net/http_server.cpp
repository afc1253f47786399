#include "net/http_server.h"

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "net/detail/http_connection.h"
#include "net/detail/server_state.h"

namespace winiswin::net {
namespace asio = boost::asio;
using Tcp = asio::ip::tcp;

std::string_view HttpServerRequest::path() const {
  return std::string_view(target).substr(0, target.find('?'));
}

std::string_view HttpServerRequest::query() const {
  const auto mark = target.find('?');
  return mark == std::string::npos ? std::string_view() : std::string_view(target).substr(mark + 1);
}

namespace {

// Accepts connections until the acceptor is closed; owns nothing but shares the state.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(std::shared_ptr<detail::ServerState> state, std::atomic<std::uint64_t>& accepted)
      : state_(std::move(state)), acceptor_(asio::make_strand(state_->io)), accepted_(accepted) {}

  Status listen(const Tcp::endpoint& endpoint) {
    boost::system::error_code error;
    acceptor_.open(endpoint.protocol(), error);
    if (!error) acceptor_.set_option(asio::socket_base::reuse_address(true), error);
    if (!error) acceptor_.bind(endpoint, error);
    if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
      return make_error(ErrorCode::kIo, "HTTP server: cannot listen on " + detail::format_peer(endpoint) + ": " +
                                            error.message() + " (is the port in use?)");
    }
    return Ok{};
  }

  std::uint16_t port() const {
    boost::system::error_code ignored;
    return acceptor_.local_endpoint(ignored).port();
  }

  void accept_next() {
    acceptor_.async_accept(asio::make_strand(state_->io),
                           [self = shared_from_this()](const boost::system::error_code& error, Tcp::socket socket) {
                             self->on_accept(error, std::move(socket));
                           });
  }

  void close() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
      boost::system::error_code ignored;
      self->acceptor_.close(ignored);
    });
  }

 private:
  void on_accept(const boost::system::error_code& error, Tcp::socket socket) {
    if (error == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!error) {
      accepted_.fetch_add(1, std::memory_order_relaxed);
      std::make_shared<detail::HttpConnection>(state_, std::move(socket))->start();
    }
    accept_next();  // a failed accept (e.g. out of descriptors) must not stop the server
  }

  std::shared_ptr<detail::ServerState> state_;  // first: keeps the io_context alive for acceptor_
  Tcp::acceptor acceptor_;
  std::atomic<std::uint64_t>& accepted_;
};

}  // namespace

struct HttpServer::Impl {
  std::shared_ptr<detail::ServerState> state;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  std::atomic<std::uint64_t> accepted{0};
  bool started = false;
  bool stopped = false;
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler) : impl_(std::make_unique<Impl>()) {
  impl_->state = std::make_shared<detail::ServerState>(std::move(options), std::move(handler));
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::add_websocket_route(std::string path_prefix, WebSocketHandler handler) {
  if (impl_->started) throw std::logic_error("HttpServer::add_websocket_route called after start()");
  impl_->state->websocket_routes.emplace_back(std::move(path_prefix), std::move(handler));
}

Status HttpServer::start() {
  if (impl_->started) throw std::logic_error("HttpServer::start called twice");
  const HttpServerOptions& options = impl_->state->options;
  boost::system::error_code error;
  const auto address = asio::ip::make_address(options.host, error);
  if (error) {
    return make_error(ErrorCode::kInvalidArgument, "HTTP server: host '" + options.host + "' is not an IP address");
  }
  auto listener = std::make_shared<Listener>(impl_->state, impl_->accepted);
  const Status listening = listener->listen(Tcp::endpoint(address, options.port));
  if (!listening.ok()) return listening;
  impl_->started = true;
  impl_->listener = listener;
  impl_->port = listener->port();
  listener->accept_next();
  const int thread_count = options.io_threads > 0 ? options.io_threads : 1;
  for (int thread_idx = 0; thread_idx < thread_count; ++thread_idx) {
    impl_->threads.emplace_back([state = impl_->state] {
      const auto work = asio::make_work_guard(state->io);  // runs until stop()
      state->io.run();
    });
  }
  return Ok{};
}

void HttpServer::stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  impl_->listener->close();
  impl_->state->shut_down_all();
  impl_->state->wait_until_no_connections();
  // Every connection has ended; the queue holds only completions of aborted operations.
  // Stopping (rather than waiting for the queue to run dry) cannot hang on an operation that
  // Beast keeps suspended; the completions are then run here so that none keeps a
  // connection, and through it this state, alive.
  impl_->state->io.stop();
  for (std::thread& thread : impl_->threads) thread.join();
  impl_->threads.clear();
  impl_->state->io.restart();
  impl_->state->io.poll();
  impl_->listener.reset();
}

std::uint16_t HttpServer::port() const { return impl_->port; }

std::size_t HttpServer::open_connections() const { return impl_->state->live_count(); }

std::uint64_t HttpServer::connections_accepted() const { return impl_->accepted.load(std::memory_order_relaxed); }

}  // namespace winiswin::net

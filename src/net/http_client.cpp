#include "net/http_client.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <vector>

#include "net/detail/beast_messages.h"
#include "net/detail/client_connection.h"

namespace winiswin::net {

using detail::ClientConnection;
using detail::Deadline;
using detail::ExchangeError;
using detail::ExchangeFailure;

struct HttpClient::Impl {
  explicit Impl(HttpClientOptions client_options) : options(std::move(client_options)) {}

  Result<HttpResponse> send(const Endpoint& endpoint, const HttpRequest& request);
  Result<std::shared_ptr<boost::asio::ssl::context>> tls_context();
  Result<std::unique_ptr<ClientConnection>> open(const Endpoint& endpoint, Deadline deadline);
  std::unique_ptr<ClientConnection> take_idle(const std::string& key);
  void give_back(const std::string& key, std::unique_ptr<ClientConnection> connection);
  // One exchange; the connection goes back to the pool when it can be reused.
  std::variant<HttpResponse, ExchangeError> exchange(const std::string& key,
                                                     std::unique_ptr<ClientConnection> connection,
                                                     const detail::BeastRequest& request, Deadline deadline);

  const HttpClientOptions options;
  std::atomic<std::uint64_t> connections_opened{0};
  std::mutex mutex;  // guards tls_context_cache and idle
  std::shared_ptr<boost::asio::ssl::context> tls_context_cache;  // created on the first https request
  std::map<std::string, std::vector<std::unique_ptr<ClientConnection>>> idle;  // by Endpoint::to_string()
};

Result<std::shared_ptr<boost::asio::ssl::context>> HttpClient::Impl::tls_context() {
  const std::lock_guard lock(mutex);
  if (!tls_context_cache) {
    WINISWIN_TRY(tls_context_cache, detail::make_client_tls_context(options.tls));
  }
  return tls_context_cache;
}

Result<std::unique_ptr<ClientConnection>> HttpClient::Impl::open(const Endpoint& endpoint, Deadline deadline) {
  std::shared_ptr<boost::asio::ssl::context> context;
  if (is_tls(endpoint.scheme)) {
    WINISWIN_TRY(context, tls_context());
  }
  connections_opened.fetch_add(1, std::memory_order_relaxed);
  return ClientConnection::open(endpoint, context, options.tls.verify_peer, deadline);
}

std::unique_ptr<ClientConnection> HttpClient::Impl::take_idle(const std::string& key) {
  const std::lock_guard lock(mutex);
  auto found = idle.find(key);
  if (found == idle.end()) return nullptr;
  auto& connections = found->second;
  while (!connections.empty()) {
    std::unique_ptr<ClientConnection> connection = std::move(connections.back());  // most recently used
    connections.pop_back();
    if (connection->looks_alive()) return connection;
  }
  return nullptr;
}

void HttpClient::Impl::give_back(const std::string& key, std::unique_ptr<ClientConnection> connection) {
  const std::lock_guard lock(mutex);
  auto& connections = idle[key];
  if (connections.size() >= options.max_idle_connections_per_endpoint) {
    if (connections.empty()) return;
    connections.erase(connections.begin());  // the oldest is the likeliest to be closed by the server
  }
  connections.push_back(std::move(connection));
}

Result<HttpResponse> HttpClient::Impl::send(const Endpoint& endpoint, const HttpRequest& request) {
  if (endpoint.scheme != Scheme::kHttp && endpoint.scheme != Scheme::kHttps) {
    return make_error(ErrorCode::kInvalidArgument,
                      "HTTP client: endpoint " + endpoint.to_string() + " is not http or https");
  }
  const std::string context = request.method + " " + endpoint.to_string() + target_for_errors(request.target);
  const auto beast_request = detail::to_beast_request(request, endpoint, options.user_agent);
  if (!beast_request.ok()) return beast_request.error();
  const auto timeout = request.timeout.count() > 0 ? request.timeout : options.default_timeout;
  const Deadline deadline = std::chrono::steady_clock::now() + timeout;
  const std::string key = endpoint.to_string();

  if (std::unique_ptr<ClientConnection> idle_connection = take_idle(key)) {
    auto outcome = exchange(key, std::move(idle_connection), *beast_request, deadline);
    const auto* failure = std::get_if<ExchangeError>(&outcome);
    if (failure == nullptr) return std::get<HttpResponse>(std::move(outcome));
    // The only transparent retry: not a byte reached the server on the stale connection.
    if (failure->failure != ExchangeFailure::kNothingSent) return failure->error.with_context(context);
  }
  auto opened = open(endpoint, deadline);
  if (!opened.ok()) return opened.error().with_context(context + " (nothing was sent)");
  auto outcome = exchange(key, std::move(opened).value(), *beast_request, deadline);
  if (const auto* failure = std::get_if<ExchangeError>(&outcome)) return failure->error.with_context(context);
  return std::get<HttpResponse>(std::move(outcome));
}

std::variant<HttpResponse, ExchangeError> HttpClient::Impl::exchange(const std::string& key,
                                                                     std::unique_ptr<ClientConnection> connection,
                                                                     const detail::BeastRequest& request,
                                                                     Deadline deadline) {
  auto outcome = connection->exchange(request, options.max_response_body_bytes, deadline);
  if (connection->reusable()) give_back(key, std::move(connection));
  return outcome;
}

std::string target_for_errors(std::string_view target) {
  const std::string_view path = target.substr(0, target.find_first_of("?#"));
  std::string named;
  std::size_t segments = 0;
  for (std::size_t at = 0; at <= path.size();) {
    const std::size_t slash = std::min(path.find('/', at), path.size());
    const std::string_view segment = path.substr(at, slash - at);
    at = slash + 1;
    if (segment.empty()) continue;
    if (segments++ == kNamedPathSegments) return named + "/…";
    named.append("/").append(segment);
  }
  return named.empty() ? std::string(path) : named;
}

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::send(const Endpoint& endpoint, const HttpRequest& request) {
  return impl_->send(endpoint, request);
}

Result<HttpResponse> HttpClient::get(std::string_view url) {
  WINISWIN_TRY(Url parsed, parse_url(url));
  HttpRequest request;
  request.target = parsed.target;
  return impl_->send(parsed.endpoint, request);
}

std::uint64_t HttpClient::connections_opened() const {
  return impl_->connections_opened.load(std::memory_order_relaxed);
}

void HttpClient::close_idle_connections() {
  std::map<std::string, std::vector<std::unique_ptr<ClientConnection>>> closing;
  {
    const std::lock_guard lock(impl_->mutex);
    closing.swap(impl_->idle);
  }
}

}  // namespace winiswin::net

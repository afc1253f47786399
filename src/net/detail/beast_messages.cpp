#include "net/detail/beast_messages.h"

#include <algorithm>
#include <string_view>

namespace winiswin::net::detail {
namespace {

bool is_token_char(char c) {
  constexpr std::string_view kTokenSymbols = "!#$%&'*+-.^_`|~";
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         kTokenSymbols.find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) { return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char); }

Error invalid_request(const HttpRequest& request, const std::string& what) {
  return make_error(ErrorCode::kInvalidArgument,
                    "HTTP request '" + request.method + " " + request.target + "': " + what + " (nothing was sent)");
}

}  // namespace

// Visible ASCII and bytes >= 0x80 (percent-encoding is the caller's business); no space, no CR/LF.
bool is_valid_target(std::string_view target) {
  return !target.empty() && target.front() == '/' && std::all_of(target.begin(), target.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > ' ' && byte != 0x7f;
  });
}

bool is_valid_header(std::string_view name, std::string_view value) {
  return is_token(name) && std::all_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte == '\t' || (byte >= ' ' && byte != 0x7f);
  });
}

Result<BeastRequest> to_beast_request(const HttpRequest& request, const Endpoint& endpoint,
                                      const std::string& user_agent) {
  if (!is_token(request.method)) return invalid_request(request, "method is not an HTTP token");
  if (!is_valid_target(request.target)) {
    return invalid_request(request, "target must start with '/' and contain no spaces or control characters");
  }
  BeastRequest beast_request;
  beast_request.version(11);
  beast_request.method_string(request.method);
  beast_request.target(request.target);
  for (const auto& [name, value] : request.headers.fields()) {
    if (!is_valid_header(name, value)) return invalid_request(request, "header '" + name + "' is invalid");
    beast_request.insert(name, value);
  }
  if (beast_request.find(http::field::host) == beast_request.end()) {
    beast_request.set(http::field::host, endpoint.host_header());
  }
  if (beast_request.find(http::field::user_agent) == beast_request.end() && !user_agent.empty()) {
    beast_request.set(http::field::user_agent, user_agent);
  }
  beast_request.body() = request.body;
  beast_request.prepare_payload();
  return beast_request;
}

BeastResponse to_beast_response(const HttpResponse& response, bool keep_alive) {
  BeastResponse beast_response;
  beast_response.version(11);
  constexpr int kLowestStatus = 100;
  constexpr int kHighestStatus = 599;
  const bool valid_status = response.status >= kLowestStatus && response.status <= kHighestStatus;
  // A handler's invalid status is a bug in the handler; the peer still gets a well-formed answer.
  beast_response.result(valid_status ? static_cast<unsigned>(response.status) : 500U);
  for (const auto& [name, value] : response.headers.fields()) beast_response.insert(name, value);
  beast_response.body() = response.body;
  beast_response.keep_alive(keep_alive);
  beast_response.prepare_payload();
  return beast_response;
}

HttpHeaders to_headers(const http::fields& fields) {
  HttpHeaders headers;
  for (const auto& field : fields) headers.add(std::string(field.name_string()), std::string(field.value()));
  return headers;
}

}  // namespace winiswin::net::detail

// Requests from a test to a server it started on 127.0.0.1 (the ops API, a Discord endpoint,
// a test server): one place that sends them, and that turns "no answer" into a response whose
// status no check can take for success.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "net/http_client.h"
#include "net/http_message.h"

namespace winiswin::testing {

// Not an HTTP status: the request got no answer at all.
inline constexpr int kNoAnswer = 0;

// The answer, or — when there was none — kNoAnswer with the error as its body.
inline net::HttpResponse answer_or_none(Result<net::HttpResponse> response) {
  if (response) return std::move(response).value();
  return net::HttpResponse(kNoAnswer, {}, response.error().message);
}

// `method target` to 127.0.0.1:`port`, with "Authorization: Bearer …" when a token is given.
inline net::HttpResponse call_local(net::HttpClient& http, std::uint16_t port, std::string method, std::string target,
                                    std::optional<std::string_view> bearer = std::nullopt) {
  net::HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  if (bearer) request.headers.set("Authorization", "Bearer " + std::string(*bearer));
  return answer_or_none(http.send(net::Endpoint{net::Scheme::kHttp, "127.0.0.1", port}, request));
}

}  // namespace winiswin::testing

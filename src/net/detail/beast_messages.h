// Conversions between our plain HTTP values and Beast's messages.
#pragma once

#include <string>
#include <string_view>

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "core/error.h"
#include "net/http_message.h"
#include "net/url.h"

namespace winiswin::net::detail {

namespace http = boost::beast::http;
using BeastRequest = http::request<http::string_body>;
using BeastResponse = http::response<http::string_body>;

// The request as it goes on the wire; refuses a method, target or header that would corrupt
// the request line or inject header lines (CR, LF, control characters).
Result<BeastRequest> to_beast_request(const HttpRequest& request, const Endpoint& endpoint,
                                      const std::string& user_agent);

// A response for the server to write; `keep_alive` mirrors the request's.
BeastResponse to_beast_response(const HttpResponse& response, bool keep_alive);

HttpHeaders to_headers(const http::fields& fields);

// A target to put on a request line: starts with '/', no spaces or control characters.
bool is_valid_target(std::string_view target);
// A header that cannot inject lines: a token for the name, no CR/LF in the value.
bool is_valid_header(std::string_view name, std::string_view value);

}  // namespace winiswin::net::detail

// HTTP requests and responses as plain values, shared by the client and the server.
//
// Headers keep their order and spelling as sent; lookup ignores case, as HTTP field names are
// case-insensitive ("X-MBX-USED-WEIGHT-1m" and "x-mbx-used-weight-1m" are one header).
// Bodies are bytes in a std::string, never re-encoded: signatures are computed over them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace winiswin::net {

class HttpHeaders {
 public:
  using Field = std::pair<std::string, std::string>;

  // Appends a field, keeping any earlier one of the same name.
  void add(std::string name, std::string value);
  // Replaces every field of that name with one.
  void set(std::string_view name, std::string value);
  // The first value of that name, case-insensitively; nullopt when absent.
  [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const;
  [[nodiscard]] bool contains(std::string_view name) const { return find(name).has_value(); }

  [[nodiscard]] const std::vector<Field>& fields() const { return fields_; }
  [[nodiscard]] bool empty() const { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

// What the client sends: the endpoint is given separately (see HttpClient::send).
struct HttpRequest {
  std::string method = "GET";  // "GET", "POST", "PUT", "DELETE" …
  std::string target = "/";    // path and query, sent byte for byte
  HttpHeaders headers;         // Host, Content-Length and User-Agent are added when absent
  std::string body;
  // Time allowed for the whole round trip (connect, send, receive); zero: the client's default.
  std::chrono::milliseconds timeout{0};
};

// What the server answers, and what the client receives. Built with its status or not at all:
// a default of 200 let a handler that forgot to set one answer success.
struct HttpResponse {
  explicit HttpResponse(int status_code, HttpHeaders fields = {}, std::string content = {})
      : status(status_code), headers(std::move(fields)), body(std::move(content)) {}

  int status;
  HttpHeaders headers;  // Content-Length is set by the server from the body
  std::string body;
};

}  // namespace winiswin::net

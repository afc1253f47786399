#include "venue/loopback/http.h"

#include <algorithm>
#include <cctype>

namespace winiswin::loopback {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::optional<std::string_view> find_header(const std::vector<HttpHeader>& headers, std::string_view name) {
  for (const HttpHeader& header : headers) {
    if (same_name(header.name, name)) return std::string_view(header.value);
  }
  return std::nullopt;
}

std::string_view HttpRequest::path() const {
  const std::string_view whole(target);
  return whole.substr(0, whole.find('?'));
}

std::string_view HttpRequest::query() const {
  const std::string_view whole(target);
  const std::size_t mark = whole.find('?');
  return mark == std::string_view::npos ? std::string_view() : whole.substr(mark + 1);
}

void HttpResponse::set_header(std::string name, std::string value) {
  for (HttpHeader& header : headers) {
    if (same_name(header.name, name)) {
      header.value = std::move(value);
      return;
    }
  }
  headers.push_back(HttpHeader{std::move(name), std::move(value)});
}

}  // namespace winiswin::loopback

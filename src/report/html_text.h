// Text placed into the report's HTML: the characters HTML gives a meaning to, escaped.
#pragma once

#include <string>
#include <string_view>

namespace winiswin::report {

inline std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace winiswin::report

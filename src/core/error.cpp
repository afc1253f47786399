#include "core/error.h"

#include <stdexcept>

namespace winiswin::detail {

void throw_wrong_alternative(const char* what, const std::string& message) {
  throw std::logic_error(std::string(what) + message);
}

}  // namespace winiswin::detail

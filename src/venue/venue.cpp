#include "venue/venue.h"

#include <algorithm>
#include <array>

namespace winiswin::venue {

bool is_venue_failure(const Error& error) {
  switch (error.code) {
    case ErrorCode::kUnknownOutcome:
    case ErrorCode::kIo:
      return true;
    case ErrorCode::kRejected: {
      // Binance's codes for "not served": unknown, disconnected, too many requests (and
      // the client's 429/418), unexpected response, timeout, throttled, too many orders,
      // service shutting down.
      static constexpr std::array kNotServed{-1000, -1001, -1003, -1006, -1007, -1008, -1015, -1016};
      return std::find(kNotServed.begin(), kNotServed.end(), error.venue_code) != kNotServed.end();
    }
    default:
      return false;
  }
}

}  // namespace winiswin::venue

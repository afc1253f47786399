// What the circuit breaker counts as the venue failing a call, and what as an answer.
#include "venue/venue.h"

#include <gtest/gtest.h>

namespace winiswin::venue {
namespace {

Error rejected(int code) { return Error{ErrorCode::kRejected, "refused", code}; }

TEST(VenueFailure, UnknownOutcomesTransportOverloadAndRateLimitsAreFailures) {
  EXPECT_TRUE(is_venue_failure(make_error(ErrorCode::kUnknownOutcome, "HTTP 503")));
  EXPECT_TRUE(is_venue_failure(make_error(ErrorCode::kIo, "connection refused")));
  for (const int code : {-1000, -1001, -1003, -1006, -1007, -1008, -1015, -1016}) {
    EXPECT_TRUE(is_venue_failure(rejected(code))) << code;
  }
}

TEST(VenueFailure, ARuleTheVenueAppliedIsAnAnswer) {
  for (const int code : {-2019, -4164, -2021, -4120, -20124, -4116, -1021, -1022, -2015}) {
    EXPECT_FALSE(is_venue_failure(rejected(code))) << code;
  }
  EXPECT_FALSE(is_venue_failure(make_error(ErrorCode::kInvalidArgument, "no such symbol")));
  EXPECT_FALSE(is_venue_failure(make_error(ErrorCode::kNotFound, "unknown order")));
}

}  // namespace
}  // namespace winiswin::venue

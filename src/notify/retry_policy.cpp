#include "notify/retry_policy.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <simdjson.h>

namespace winiswin::notify {
namespace {

// Seconds as Discord writes them ("1", "0.347") into milliseconds, rounded up: waking a
// millisecond early would earn another 429.
std::optional<Milliseconds> seconds_text(std::string_view text) {
  double seconds = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(seconds) || seconds < 0.0) return std::nullopt;
  return Milliseconds{static_cast<std::int64_t>(std::ceil(seconds * 1000.0))};
}

std::optional<Milliseconds> header_seconds(const net::HttpResponse& response, std::string_view name) {
  const auto value = response.headers.find(name);
  return value ? seconds_text(*value) : std::nullopt;
}

std::optional<Milliseconds> body_retry_after(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root) != simdjson::SUCCESS) return std::nullopt;
  double seconds = 0.0;
  if (root["retry_after"].get_double().get(seconds) != simdjson::SUCCESS || !std::isfinite(seconds) || seconds < 0.0) return std::nullopt;
  return Milliseconds{static_cast<std::int64_t>(std::ceil(seconds * 1000.0))};
}

}  // namespace

std::optional<Milliseconds> rate_limit_wait(const net::HttpResponse& response) {
  if (auto wait = header_seconds(response, "Retry-After")) return wait;
  if (auto wait = header_seconds(response, "X-RateLimit-Reset-After")) return wait;
  return body_retry_after(response.body);
}

AttemptVerdict judge_attempt(const Result<net::HttpResponse>& answer) {
  if (!answer) {
    // kIo (nothing sent) and kUnknownOutcome (no answer) alike: worth another try. A bad
    // request (kInvalidArgument) never gets better.
    const bool transient = answer.error().code == ErrorCode::kIo || answer.error().code == ErrorCode::kUnknownOutcome;
    return {transient ? AttemptOutcome::kFailedRetry : AttemptOutcome::kRefused, std::nullopt};
  }
  const int status = answer->status;
  if (status >= 200 && status < 300) {
    const auto remaining = answer->headers.find("X-RateLimit-Remaining");
    if (remaining && *remaining == "0") return {AttemptOutcome::kDelivered, header_seconds(*answer, "X-RateLimit-Reset-After")};
    return {AttemptOutcome::kDelivered, std::nullopt};
  }
  if (status == 429) return {AttemptOutcome::kRateLimited, rate_limit_wait(*answer)};
  if (status >= 500) return {AttemptOutcome::kFailedRetry, std::nullopt};
  return {AttemptOutcome::kRefused, std::nullopt};
}

Milliseconds backoff_delay(int failures, Milliseconds first, Milliseconds cap) {
  Milliseconds delay = first;
  for (int doubling = 1; doubling < failures && delay < cap; ++doubling) delay *= 2;
  return std::min(delay, cap);
}

}  // namespace winiswin::notify

// The one error style of winiswin.
//
// Expected failures — bad input files, malformed JSON, a rejected order, a bad config
// key — are values: functions return `Result<T>`, which holds either a T or an `Error`.
// The caller must look before using the value, and the error travels up with context
// added at each level (`with_context`) until someone can report it.
// Exceptions are reserved for programming errors (a violated precondition, caught by
// tests) and for start-up failures in `main`, where the only sensible action is to stop.
//
// Why not exceptions everywhere: a data error in one file of a 200-symbol backtest must
// be reportable and skippable, not unwind the whole run; and in the live path an error is
// part of the normal protocol (Binance rejects orders routinely). Why hand-written: g++ 12
// ships <expected> only under C++23 and Debian 12 packages no tl::expected; this is the
// minimal subset we need.
#pragma once

#include <cassert>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace winiswin {

// What went wrong, for callers that branch on it; the message says the rest.
enum class ErrorCode {
  kInvalidArgument,  // a value outside its domain (negative price, unknown interval)
  kParse,            // text that is not in the expected format
  kIo,               // a file that cannot be opened, read or written
  kCorrupt,          // a stored file whose checksum, magic or version is wrong
  kNotFound,         // a symbol, key or file that does not exist
  kOutOfRange,       // arithmetic that would overflow the fixed-point range
  kConfig,           // configuration: unknown key, wrong type
  kRejected,         // a venue refused an order: see Error::venue_code
  kUnknownOutcome,   // a venue request whose effect is not known (timeout, HTTP 5xx, -1007): query before acting
};

struct Error {
  ErrorCode code;
  std::string message;  // what, where (file:line, symbol, field) and what to do
  int venue_code = 0;   // kRejected: the exchange's own code (Binance: -2019, -4164 …)

  // Prefixes where the error happened: "trades.csv:12: " + message.
  [[nodiscard]] Error with_context(const std::string& context) const {
    return Error{code, context + ": " + message, venue_code};
  }
};

namespace detail {
// Out of line, so the checks that guard every Result access stay a compare and a branch.
[[noreturn]] void throw_wrong_alternative(const char* what, const std::string& message);
}  // namespace detail

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}       // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}   // NOLINT: implicit by design

  [[nodiscard]] bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Accessing the wrong alternative is a programming error.
  [[nodiscard]] T& value() & { return checked_value(); }
  [[nodiscard]] const T& value() const& { return const_cast<Result*>(this)->checked_value(); }
  [[nodiscard]] T&& value() && { return std::move(checked_value()); }
  T* operator->() { return &checked_value(); }
  const T* operator->() const { return &const_cast<Result*>(this)->checked_value(); }
  T& operator*() & { return checked_value(); }
  const T& operator*() const& { return const_cast<Result*>(this)->checked_value(); }

  [[nodiscard]] const Error& error() const {
    if (ok()) [[unlikely]] {
      detail::throw_wrong_alternative("Result::error() called on a value", "");
    }
    return *std::get_if<1>(&state_);
  }

 private:
  T& checked_value() {
    if (!ok()) [[unlikely]] {
      detail::throw_wrong_alternative("Result::value() called on an error: ", std::get_if<1>(&state_)->message);
    }
    return *std::get_if<0>(&state_);
  }
  std::variant<T, Error> state_;
};

// For operations that return nothing on success.
struct Ok {};
using Status = Result<Ok>;

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message), 0}; }
inline Error make_rejection(int venue_code, std::string message) {
  return Error{ErrorCode::kRejected, std::move(message), venue_code};
}

}  // namespace winiswin

// Propagates an error to the caller: WINISWIN_TRY(auto rows, read_rows(path));
#define WINISWIN_CONCAT_INNER(a, b) a##b
#define WINISWIN_CONCAT(a, b) WINISWIN_CONCAT_INNER(a, b)
#define WINISWIN_TRY_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                       \
  if (!tmp.ok()) return tmp.error();       \
  decl = std::move(tmp).value()
#define WINISWIN_TRY(decl, expr) WINISWIN_TRY_IMPL(WINISWIN_CONCAT(try_result_, __LINE__), decl, expr)

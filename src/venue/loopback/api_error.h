// Binance's error answers: an HTTP status and {"code": <negative int>, "msg": "<text>"}
// (spec/limits-and-errors.md). Inside the loopback venue an answer-worthy failure is an
// ordinary winiswin Error of kind kRejected whose venue_code is Binance's code — the same
// shape the simulator rejects orders with, so its refusals pass straight through.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "venue/loopback/http.h"

namespace winiswin::loopback {

// The HTTP status Binance answers a code with: 401 for key problems (-2014, -2015), 404 for
// -1099 (no such route), 400 for every other request error.
int http_status_for(int code);

// Binance's own message for codes whose text is fixed; empty for codes whose message carries
// values (then the error's own message is sent).
std::string_view canonical_message(int code);

// {"code":…,"msg":…} with `http_status`, Content-Type set.
HttpResponse error_response(int http_status, int code, std::string_view message);
// An Error: kRejected → its venue_code (message canonical where Binance's is fixed); any
// other kind is our own failure → 500 with -1000.
HttpResponse error_response(const Error& error);

// The request errors every endpoint shares (messages verbatim from Binance's table).
Error missing_parameter(std::string_view name);                             // -1102
Error malformed_parameter(std::string_view name, std::string_view legal);   // -1100
Error invalid_parameter(std::string_view name);                             // -1130
Error parameter_not_required(std::string_view name);                        // -1106
Error invalid_symbol();                                                     // -1121

}  // namespace winiswin::loopback

// The loopback venue's JSON writer is net's (net/json_writer.h), shared with the ops API.
#pragma once

#include "net/json_writer.h"

namespace winiswin::loopback {
using net::json_string;
using net::JsonWriter;
}  // namespace winiswin::loopback

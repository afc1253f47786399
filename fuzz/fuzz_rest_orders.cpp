// The order, algo order, error-body and acknowledgement parsers on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "venue/binance/rest_orders.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  using namespace winiswin::binance;
  if (auto error = parse_api_error(json)) (void)error->to_error();
  (void)parse_success_ack(json);
  if (auto order = parse_order(json)) (void)ack_of(*order);
  (void)parse_orders(json);
  if (auto algo = parse_algo_order(json)) (void)ack_of(*algo);
  (void)parse_algo_orders(json);
  return 0;
}

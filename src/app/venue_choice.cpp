#include "app/venue_choice.h"

namespace winiswin {

Result<binance::BinanceUrls> venue_urls(const VenueChoice& venue) {
  if (static_cast<int>(!venue.url.empty()) + static_cast<int>(venue.testnet) + static_cast<int>(venue.demo) > 1) {
    return make_error(ErrorCode::kInvalidArgument, "choose one of --venue-url, --testnet and --demo");
  }
  if (!venue.url.empty()) return binance::urls_at(venue.url);
  if (venue.testnet) return binance::testnet_urls();
  if (venue.demo) return binance::demo_urls();
  return binance::mainnet_urls();
}

}  // namespace winiswin

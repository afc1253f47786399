// --venue-url / --testnet / --demo (or nothing: mainnet) as the Binance URLs to use.
#pragma once

#include "app/commands.h"
#include "venue/binance/rest_client.h"

namespace winiswin {

Result<binance::BinanceUrls> venue_urls(const VenueChoice& venue);

}  // namespace winiswin

// The dashboard's files, served by the ops server at GET / (web/dashboard, embedded at build
// time with the charting library the backtest report uses: the page needs no network beyond
// this server). The page itself holds no data and no secret: it is served without the token,
// and asks for it (or reads it from the URL's #token=…) to call the API and the stream.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace winiswin::ops {

struct DashboardAsset {
  std::string_view content_type;
  const std::string* body = nullptr;
};

// "/" (the page), "/dashboard/dashboard.js", "/dashboard/errors.js", "/dashboard/dashboard.css",
// "/dashboard/lightweight-charts.js"; nullopt for any other path.
std::optional<DashboardAsset> dashboard_asset(std::string_view path);

}  // namespace winiswin::ops

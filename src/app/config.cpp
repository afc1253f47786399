#include "app/config.h"

#include <array>
#include <charconv>
#include <functional>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "data/file_bytes.h"

namespace winiswin {
namespace {

constexpr std::array<std::string_view, 7> kLogLevels = {"trace", "debug", "info", "warn", "error", "critical", "off"};

Error config_error(const std::string& source, const toml::source_region& where, const std::string& what) {
  return make_error(ErrorCode::kConfig, fmt::format("{}:{}: {}", source, where.begin.line, what));
}

// Applies one table's keys to setters; anything not listed is an error.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string prefix, const std::string& source)
      : table_(table), prefix_(std::move(prefix)), source_(source) {}

  template <typename T>
  void bind(std::string_view key, T& target) {
    bound_.insert(std::string(key));
    const toml::node* node = table_.get(key);
    if (!node || error_) return;
    if constexpr (std::is_same_v<T, double>) {
      // Integers are fine where a real number is expected ("beta_max = 2").
      if (auto value = node->value<double>(); value && (node->is_floating_point() || node->is_integer())) {
        target = *value;
        return;
      }
      fail(*node, key, "a number");
    } else if constexpr (std::is_integral_v<T>) {
      if (auto value = node->value_exact<std::int64_t>()) {
        target = static_cast<T>(*value);
        return;
      }
      fail(*node, key, "an integer");
    } else {
      if (auto value = node->value_exact<std::string>()) {
        target = *value;
        return;
      }
      fail(*node, key, "a string");
    }
  }

  // Reports the first unknown key; call after every bind().
  Status finish(const std::set<std::string>& subtables = {}) {
    if (error_) return *error_;
    for (const auto& [key, node] : table_) {
      const std::string name(key.str());
      if (bound_.count(name) || subtables.count(name)) continue;
      return config_error(source_, node.source(), fmt::format("unknown key '{}{}'", prefix_, name));
    }
    return Ok{};
  }

 private:
  void fail(const toml::node& node, std::string_view key, const char* expected) {
    error_ = config_error(source_, node.source(), fmt::format("key '{}{}' must be {}", prefix_, key, expected));
  }
  const toml::table& table_;
  std::string prefix_;
  const std::string& source_;
  std::set<std::string> bound_;
  std::optional<Error> error_;
};

const toml::table* subtable(const toml::table& root, std::string_view key) { return root[key].as_table(); }

}  // namespace

Result<Timestamp> parse_utc_date(std::string_view text) {
  int year = 0;
  unsigned month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      std::from_chars(text.data(), text.data() + 4, year).ec != std::errc() ||
      std::from_chars(text.data() + 5, text.data() + 7, month).ec != std::errc() ||
      std::from_chars(text.data() + 8, text.data() + 10, day).ec != std::errc()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("'{}' is not a date like 2026-01-01", text));
  }
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!date.ok()) return make_error(ErrorCode::kInvalidArgument, fmt::format("'{}' is not a valid date", text));
  return Timestamp{std::chrono::sys_days{date}};
}

Result<AppConfig> parse_config(std::string_view toml_text, const std::string& source) {
  // Debian's toml++ is built with exceptions on: a syntax error arrives as parse_error.
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& error) {
    return make_error(ErrorCode::kConfig, fmt::format("{}:{}:{}: {}", source, error.source().begin.line,
                                                      error.source().begin.column, error.description()));
  }
  AppConfig config;
  TableReader root_reader(root, "", source);
  if (auto status = root_reader.finish({"log", "synthetic"}); !status) return status.error();

  if (const toml::table* log = subtable(root, "log")) {
    TableReader reader(*log, "log.", source);
    reader.bind("level", config.log_level);
    if (auto status = reader.finish(); !status) return status.error();
    if (std::find(kLogLevels.begin(), kLogLevels.end(), config.log_level) == kLogLevels.end()) {
      return make_error(ErrorCode::kConfig, fmt::format("{}: key 'log.level' must be one of trace, debug, info, warn, "
                                                        "error, critical, off (got '{}')", source, config.log_level));
    }
  } else if (root.contains("log")) {
    return make_error(ErrorCode::kConfig, fmt::format("{}: key 'log' must be a table", source));
  }

  if (const toml::table* synthetic = subtable(root, "synthetic")) {
    SyntheticMarketConfig& market = config.synthetic;
    TableReader reader(*synthetic, "synthetic.", source);
    std::string start = format_utc(market.start).substr(0, 10);
    reader.bind("symbols", market.symbols);
    reader.bind("days", market.days);
    reader.bind("seed", market.seed);
    reader.bind("start", start);
    reader.bind("market_sigma_1m", market.market_sigma_1m);
    reader.bind("beta_min", market.beta_min);
    reader.bind("beta_max", market.beta_max);
    reader.bind("idiosyncratic_ratio_min", market.idiosyncratic_ratio_min);
    reader.bind("idiosyncratic_ratio_max", market.idiosyncratic_ratio_max);
    reader.bind("student_t_dof", market.student_t_dof);
    reader.bind("garch_alpha", market.garch_alpha);
    reader.bind("garch_beta", market.garch_beta);
    reader.bind("slow_vol_half_life_minutes", market.slow_vol_half_life_minutes);
    reader.bind("slow_vol_sigma", market.slow_vol_sigma);
    reader.bind("trend_mean_minutes", market.trend_mean_minutes);
    reader.bind("range_mean_minutes", market.range_mean_minutes);
    reader.bind("trend_drift_sigmas", market.trend_drift_sigmas);
    reader.bind("range_reversion_per_minute", market.range_reversion_per_minute);
    reader.bind("jump_probability", market.jump_probability);
    reader.bind("jump_sigma", market.jump_sigma);
    reader.bind("market_jump_probability", market.market_jump_probability);
    reader.bind("market_jump_sigma", market.market_jump_sigma);
    if (auto status = reader.finish(); !status) return status.error();
    auto start_time = parse_utc_date(start);
    if (!start_time) return start_time.error().with_context(source + ": key 'synthetic.start'");
    market.start = *start_time;
    if (market.symbols < 1 || market.symbols > 5000) {
      return make_error(ErrorCode::kConfig, fmt::format("{}: key 'synthetic.symbols' must be 1..5000", source));
    }
    if (market.days < 1 || market.days > 3650) {
      return make_error(ErrorCode::kConfig, fmt::format("{}: key 'synthetic.days' must be 1..3650", source));
    }
    if (market.student_t_dof <= 2.0 || market.garch_alpha < 0 || market.garch_beta < 0 ||
        market.garch_alpha + market.garch_beta >= 1.0 || market.beta_min > market.beta_max) {
      return make_error(ErrorCode::kConfig, fmt::format("{}: [synthetic] needs student_t_dof > 2, garch_alpha + "
                                                        "garch_beta < 1 and beta_min ≤ beta_max", source));
    }
  } else if (root.contains("synthetic")) {
    return make_error(ErrorCode::kConfig, fmt::format("{}: key 'synthetic' must be a table", source));
  }
  return config;
}

Result<AppConfig> load_config(const std::filesystem::path& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) return bytes.error();
  return parse_config(*bytes, path.string());
}

}  // namespace winiswin

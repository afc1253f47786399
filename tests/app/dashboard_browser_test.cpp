// The dashboard in a real browser (Debian's headless Chromium, driven over DevTools) against
// a paper run on the loopback venue: the page renders the run's status pushed over its
// WebSocket, shows an open position with its stop and target and the equity chart, updates
// when a trade happens (a position closed by the operator), pauses from its own button — and no
// script error is reported on the way.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include <fmt/format.h>
#include <simdjson.h>

#include "journal/sqlite_journal.h"
#include "net/http_client.h"
#include "support/child_process.h"
#include "support/headless_chromium.h"
#include "support/loopback_venue_process.h"
#include "support/shared_data.h"
#include "support/local_http.h"

namespace winiswin {
namespace {

using namespace std::chrono_literals;

constexpr const char* kToken = "dashboard-browser-token";

class DashboardBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() / fmt::format("winiswin_dashboard_browser_{}", ::getpid());
    std::filesystem::create_directories(folder_);
    // Room for every symbol: positions open within the first decisions.
    std::ofstream(folder_ / "config.toml") << "[risk.limits]\nmax_open_positions = 8\n";
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  net::HttpResponse send(const std::string& target, const std::string& method = "GET") {
    return testing::call_local(http_, port_, method, target, kToken);
  }
  // The page's <body data-…> as JSON, read in the page.
  std::optional<simdjson::dom::element> page_state(testing::HeadlessChromium& browser) {
    const auto text = browser.evaluate("JSON.stringify(Object.assign({}, document.body.dataset))");
    if (!text) return std::nullopt;
    simdjson::dom::element outer;
    std::string_view inner;
    if (parser_.parse(*text).get(outer) != simdjson::SUCCESS || outer.get(inner) != simdjson::SUCCESS) return std::nullopt;
    inner_ = std::string(inner);
    return page_parser_.parse(inner_).value();
  }
  // Waits (real time, up to `deadline`) until `ready` holds for the page's state.
  template <typename Ready>
  bool wait_for(testing::HeadlessChromium& browser, Ready ready, std::chrono::seconds deadline = 90s) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
      if (const auto state = page_state(browser); state && ready(*state)) return true;
      std::this_thread::sleep_for(250ms);
    }
    return false;
  }
  static std::int64_t number(const simdjson::dom::element& state, const char* key) {
    std::string_view text;
    return state[key].get(text) == simdjson::SUCCESS ? std::stoll(std::string(text)) : -1;
  }

  std::filesystem::path folder_;
  std::uint16_t port_ = 0;
  net::HttpClient http_;
  simdjson::dom::parser parser_, page_parser_;
  std::string inner_;
};

TEST_F(DashboardBrowserTest, ThePageShowsAPaperRunLiveAndUpdatesWhenATradeCloses) {
  if (!std::filesystem::exists(testing::kChromium)) {
    if (testing::shared_is_required()) GTEST_FAIL() << "chromium is missing (tools/setup.sh installs it)";
    GTEST_SKIP() << "chromium not installed";
  }
  const std::vector<std::string> keys{"BINANCE_API_KEY=DashKey0123456789abcdef", "BINANCE_API_SECRET=dash-secret-0123456789"};
  testing::LoopbackVenueProcess venue({"--synthetic-count", "8", "--days", "8", "--history-days", "4", "--speed", "600"}, keys);
  ASSERT_FALSE(venue.url().empty()) << "the venue did not start";
  std::vector<std::string> environment = keys;
  environment.push_back(fmt::format("WINISWIN_HTTP_TOKEN={}", kToken));
  testing::ChildProcess engine({WINISWIN_BINARY, "--log-level", "warn", "--config", (folder_ / "config.toml").string(), "run", "--mode",
                                "paper", "--venue-url", venue.url(), "--symbols", "8", "--journal", (folder_ / "paper.sqlite").string(),
                                "--http", "127.0.0.1:0"},
                               environment);
  const auto first = engine.first_line(60s);
  ASSERT_TRUE(first.has_value() && first->starts_with("http: listening on http://127.0.0.1:")) << first.value_or("(nothing)");
  port_ = static_cast<std::uint16_t>(std::stoi(first->substr(first->rfind(':') + 1)));

  testing::HeadlessChromium browser(fmt::format("http://127.0.0.1:{}/#token={}", port_, kToken));
  ASSERT_TRUE(browser.started()) << browser.why_not();
  // Rendered from the stream, with an open position and the journal's equity drawn.
  ASSERT_TRUE(wait_for(browser, [](const simdjson::dom::element& state) {
    return number(state, "updates") >= 1 && number(state, "positions") >= 1 && number(state, "equityPoints") >= 1;
  })) << "the page never showed a position and the equity: " << inner_;
  EXPECT_EQ(std::string_view(page_state(browser).value()["connected"].get_string().value()), "true");
  // A row of the page shows the stop and the target the API gives for that trade (the page
  // lags the API by a push: the row is read first, then looked up; a trade that closed between
  // the two is tried again with the next row).
  simdjson::dom::parser api;
  bool row_checked = false;
  for (int attempt = 0; attempt < 40 && !row_checked; ++attempt) {
    const auto row = browser.evaluate(
        "(() => { const r = document.querySelector('#positions tbody tr'); if (!r) return ''; "
        "return [r.dataset.symbol, r.dataset.decided, r.cells[5].textContent, r.cells[6].textContent].join('|'); })()");
    ASSERT_TRUE(row.has_value());
    const std::string text = row->size() >= 2 ? row->substr(1, row->size() - 2) : "";  // a JSON string
    std::vector<std::string> cells;
    for (std::size_t start = 0, bar = 0; bar != std::string::npos; start = bar + 1) {
      bar = text.find('|', start);
      cells.push_back(text.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    }
    if (cells.size() == 4) {
      const simdjson::dom::element open = api.parse(send("/api/positions").body).value();
      for (const simdjson::dom::element position : open.get_array()) {
        if (std::string_view(position["symbol"].get_string().value()) != cells[0] ||
            std::to_string(position["decided"].get_int64().value()) != cells[1]) {
          continue;
        }
        const double stop = position["stop"].get_double().value(), target = position["target"].get_double().value();
        EXPECT_NEAR(std::stod(cells[2]), stop, 1e-7 * stop) << "the stop shown: " << text;
        EXPECT_NEAR(std::stod(cells[3]), target, 1e-7 * target) << "the target shown: " << text;
        row_checked = true;
      }
    }
    if (!row_checked) std::this_thread::sleep_for(250ms);
  }
  EXPECT_TRUE(row_checked) << "no position row of the page matched the API";

  // A trade happens: the position closed by the operator (filled entries only: wait for one);
  // the page follows without a reload.
  // The trade is its symbol and its decision's time: the symbol may be entered again at once.
  std::string closing;
  std::int64_t closing_decided = 0;
  for (int attempt = 0; attempt < 120 && closing.empty(); ++attempt) {
    const simdjson::dom::element open = api.parse(send("/api/positions").body).value();
    for (const simdjson::dom::element position : open.get_array()) {
      if (!position["filled"].get_bool().value()) continue;
      closing = std::string(position["symbol"].get_string().value());
      closing_decided = position["decided"].get_int64().value();
    }
    if (closing.empty()) std::this_thread::sleep_for(250ms);
  }
  ASSERT_FALSE(closing.empty()) << "no filled position to close";
  const std::int64_t updates_before = number(page_state(browser).value(), "updates");
  const net::HttpResponse closed = send(fmt::format("/api/control/close?symbol={}", closing), "POST");
  ASSERT_EQ(closed.status, 200) << closed.body;
  const std::string row_of_closing =
      fmt::format("document.querySelector('#positions tr[data-symbol=\"{}\"][data-decided=\"{}\"]') === null", closing, closing_decided);
  bool gone = false;
  for (int attempt = 0; attempt < 240 && !gone; ++attempt) {
    gone = browser.evaluate(row_of_closing).value_or("false") == "true";
    if (!gone) std::this_thread::sleep_for(250ms);
  }
  EXPECT_TRUE(gone) << closing << " still shown after its close";
  EXPECT_GT(number(page_state(browser).value(), "updates"), updates_before);
  const auto control_row = browser.evaluate("document.querySelector('#controls tbody tr') ? document.querySelector('#controls tbody tr').textContent : ''");
  ASSERT_TRUE(control_row.has_value());
  EXPECT_NE(control_row->find("close " + closing), std::string::npos) << "the control action listed: " << *control_row;

  // The page's own pause button (its token from the URL): paused, shown on the next push.
  ASSERT_TRUE(browser.evaluate("document.getElementById('pause').click(), true").has_value());
  EXPECT_TRUE(wait_for(browser, [](const simdjson::dom::element& state) {
    std::string_view paused;
    return state["paused"].get(paused) == simdjson::SUCCESS && paused == "true";
  }, 30s)) << inner_;
  const auto said = browser.evaluate("document.getElementById('control-result').textContent");
  ASSERT_TRUE(said.has_value());
  EXPECT_NE(said->find("pause: paused"), std::string::npos) << *said;

  EXPECT_EQ(number(page_state(browser).value(), "errors"), 0) << inner_;
  const std::vector<std::string> errors = browser.errors();
  EXPECT_TRUE(errors.empty()) << errors.size() << " script errors, the first: " << (errors.empty() ? "" : errors.front());
  EXPECT_EQ(engine.stop(SIGTERM), 0);

  // The operator's close is stamped with the paper trader's clock, the market's: on this
  // sped-up replay the wall clock is far from it, and the journal's order times never go back.
  const auto journal = journal::SqliteJournal::open_read_only(folder_ / "paper.sqlite").value();
  const std::vector<journal::OrderRecord> orders = journal->orders().value();
  bool operator_exit = false;
  for (std::size_t row = 1; row < orders.size(); ++row) {
    EXPECT_GE(orders[row].time, orders[row - 1].time) << "order row " << row << " (" << orders[row].symbol << ") goes back to "
                                                      << format_utc(orders[row].time) << " from " << format_utc(orders[row - 1].time);
    operator_exit = operator_exit || (orders[row].symbol == closing && orders[row].type == "MARKET" && orders[row].reduce_only);
  }
  EXPECT_TRUE(operator_exit) << "the operator's exit order of " << closing << " is journalled";
}

// The error collection the test above relies on: a page that throws and logs an error is seen.
TEST(HeadlessChromium, ReportsAScriptErrorAndAConsoleError) {
  if (!std::filesystem::exists(testing::kChromium)) {
    if (testing::shared_is_required()) GTEST_FAIL() << "chromium is missing (tools/setup.sh installs it)";
    GTEST_SKIP() << "chromium not installed";
  }
  testing::HeadlessChromium browser("data:text/html,<body><script>setTimeout(function(){console.error('planted');"
                                    "throw new Error('planted throw')},500)</script></body>");
  ASSERT_TRUE(browser.started()) << browser.why_not();
  std::vector<std::string> errors;
  for (int wait = 0; wait < 100 && errors.size() < 2; ++wait) {
    std::this_thread::sleep_for(100ms);
    errors = browser.errors();
  }
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("planted"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("planted throw"), std::string::npos) << errors[1];
}

}  // namespace
}  // namespace winiswin

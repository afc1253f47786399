#include "journal/csv_recorder.h"

#include <cerrno>
#include <cstring>
#include <iterator>

#include <fmt/format.h>

namespace winiswin::journal {
namespace {

constexpr std::size_t kBuffer = 1 << 20;  // per file: rows reach the disk in large writes

// A CSV text field: quoted, inner quotes doubled (reasons hold commas).
std::string csv_field(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace

std::string trade_csv_header(TradeColumns columns) {
  std::string out = "symbol,side,virtual,rank,confidence,decided,planned_entry,entry_time,entry_price,exit_time,exit_price,stop,target,"
                    "quantity,leverage,margin,liquidation_price,pnl,fees,r_multiple,exit_reason";
  for (const std::string_view name : strategy::kFeatureNames) out += fmt::format(",{}", name);
  if (columns == TradeColumns::kWithModel) out += ",ml_probability,ml_score";
  return out + '\n';
}

std::string trade_csv_row(const TradeRecord& t, TradeColumns columns) {
  // −0 prints as 0: the same number, and how the journal's REAL columns give it back.
  const auto number = [](double value) { return value + 0.0; };
  std::string out;
  fmt::format_to(std::back_inserter(out), "{},{},{},{},{:.6f},{},{},{},{},{},{},{},{},{},{},{},{},{:.8f},{:.8f},{:.6f},{}", t.symbol,
                 t.side == Side::kBuy ? "LONG" : "SHORT", t.is_virtual ? 1 : 0, t.rank, number(t.confidence), format_utc(t.decided),
                 t.planned_entry.to_string(), format_utc(t.entry_time), number(t.entry_price), format_utc(t.exit_time),
                 number(t.exit_price), t.stop.to_string(), t.target.to_string(), number(t.quantity), t.leverage, t.margin.to_string(),
                 t.liquidation_price ? t.liquidation_price->to_string() : std::string(), number(t.pnl), number(t.fees),
                 number(t.r_multiple), name_of(t.exit_reason));
  for (const double feature : t.features) fmt::format_to(std::back_inserter(out), ",{}", feature);
  if (columns == TradeColumns::kWithModel) {
    // The shortest form that reads back as the same double: predictions can be checked exactly.
    const auto optional = [](const std::optional<double>& value) { return value ? fmt::format("{}", *value) : std::string(); };
    fmt::format_to(std::back_inserter(out), ",{},{}", optional(t.ml_probability), optional(t.ml_score));
  }
  return out + '\n';
}


Result<std::unique_ptr<CsvRecorder>> CsvRecorder::open(const std::filesystem::path& folder, TradeColumns columns) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) return make_error(ErrorCode::kIo, fmt::format("{}: cannot create: {}", folder.string(), error.message()));
  std::unique_ptr<CsvRecorder> recorder(new CsvRecorder());
  recorder->columns_ = columns;
  const std::pair<File*, std::pair<const char*, std::string>> files[] = {
      {&recorder->trades_, {"trades.csv", trade_csv_header(columns)}},
      {&recorder->virtuals_, {"virtual.csv", trade_csv_header(columns)}},
      {&recorder->equity_, {"equity.csv", "time,time_ms,equity,state\n"}},
      {&recorder->transitions_, {"transitions.csv", "time,from,to,reason\n"}},
      {&recorder->refusals_, {"refusals.csv", "decided,symbol,rank,limit,reason\n"}},
      {&recorder->orders_, {"orders.csv", "time,symbol,client_id,type,side,quantity,trigger_price,reduce_only,close_position,step,"
                                          "venue_code,message\n"}},
      {&recorder->fills_, {"fills.csv", "time,symbol,client_id,side,price,quantity,fee,realized_pnl,liquidation\n"}}};
  for (const auto& [file, named] : files) {
    file->path = folder / named.first;
    file->handle = std::fopen(file->path.c_str(), "wb");
    if (!file->handle) return make_error(ErrorCode::kIo, fmt::format("{}: cannot open: {}", file->path.string(), std::strerror(errno)));
    std::setvbuf(file->handle, nullptr, _IOFBF, kBuffer);
    if (auto status = write(*file, named.second); !status) return status.error();
  }
  return recorder;
}

CsvRecorder::~CsvRecorder() {
  for (File* file : {&trades_, &virtuals_, &equity_, &transitions_, &refusals_, &orders_, &fills_}) {
    if (file->handle) std::fclose(file->handle);  // finish() reports errors; here only what it did not close
  }
}

Status CsvRecorder::write(File& file, std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), file.handle) != text.size()) {
    return make_error(ErrorCode::kIo, fmt::format("{}: write failed: {}", file.path.string(), std::strerror(errno)));
  }
  return Ok{};
}

Status CsvRecorder::trade(const TradeRecord& row) { return write(trades_, trade_csv_row(row, columns_)); }
Status CsvRecorder::virtual_position(const TradeRecord& row) { return write(virtuals_, trade_csv_row(row, columns_)); }

Status CsvRecorder::equity(const EquityPoint& row) {
  return write(equity_, fmt::format("{},{},{:.8f},{}\n", format_utc(row.time), to_ms(row.time), row.equity, risk::name_of(row.state)));
}

Status CsvRecorder::refusal(const RefusalRecord& row) {
  return write(refusals_, fmt::format("{},{},{},{},{}\n", format_utc(row.decided), row.symbol, row.rank, csv_field(row.limit),
                                      csv_field(row.reason)));
}

Status CsvRecorder::order(const OrderRecord& row) {
  return write(orders_, fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", format_utc(row.time), row.symbol, row.client_id, row.type,
                                    name_of(row.side), row.quantity.to_string(), row.trigger_price.to_string(),
                                    row.reduce_only ? 1 : 0, row.close_position ? 1 : 0, name_of(row.step), row.venue_code,
                                    csv_field(row.message)));
}

Status CsvRecorder::fill(const FillRecord& row) {
  return write(fills_, fmt::format("{},{},{},{},{},{},{},{},{}\n", format_utc(row.time), row.symbol, row.client_id, name_of(row.side),
                                   row.price.to_string(), row.quantity.to_string(), row.fee.to_string(),
                                   row.realized_pnl.to_string(), row.liquidation ? 1 : 0));
}

Status CsvRecorder::transition(const risk::StateTransition& row) {
  return write(transitions_, fmt::format("{},{},{},{}\n", format_utc(row.time), risk::name_of(row.from), risk::name_of(row.to),
                                         csv_field(row.reason)));
}

Status CsvRecorder::finish() {
  for (File* file : {&trades_, &virtuals_, &equity_, &transitions_, &refusals_, &orders_, &fills_}) {
    if (!file->handle) continue;
    const bool failed = std::fclose(file->handle) != 0;
    file->handle = nullptr;
    if (failed) return make_error(ErrorCode::kIo, fmt::format("{}: cannot finish writing: {}", file->path.string(), std::strerror(errno)));
  }
  return Ok{};
}

}  // namespace winiswin::journal

#include "journal/detail/sqlite_statement.h"

#include <fmt/format.h>

namespace winiswin::journal::detail {

Error sqlite_error(sqlite3* db, std::string_view doing) {
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  return make_error(ErrorCode::kIo, fmt::format("{}: {}: {}", file && *file ? file : "journal", doing,
                                                db ? sqlite3_errmsg(db) : "cannot allocate the database"));
}

Result<Statement> Statement::prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &statement, nullptr) != SQLITE_OK) {
    return sqlite_error(db, fmt::format("preparing \"{}\"", sql.substr(0, 60)));
  }
  return Statement(statement);
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement::Statement(Statement&& other) noexcept : statement_(std::exchange(other.statement_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(statement_);
    statement_ = std::exchange(other.statement_, nullptr);
  }
  return *this;
}

// Bind errors (an index out of range, out of memory) surface at the next step: SQLite keeps
// the statement's error state and sqlite3_step reports it.
Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(statement_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(statement_, index);
  return *this;
}

Statement& Statement::bind_blob(int index, std::span<const std::byte> bytes) {
  sqlite3_bind_blob(statement_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

Status Statement::run() {
  const int code = sqlite3_step(statement_);
  sqlite3* db = sqlite3_db_handle(statement_);
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  if (code != SQLITE_DONE) return sqlite_error(db, "writing a row");
  return Ok{};
}

Result<bool> Statement::next() {
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  sqlite3* db = sqlite3_db_handle(statement_);
  sqlite3_reset(statement_);
  if (code != SQLITE_DONE) return sqlite_error(db, "reading rows");
  return false;
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(statement_, column); }
double Statement::real(int column) const { return sqlite3_column_double(statement_, column); }

std::string Statement::text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement_, column))) : std::string();
}

bool Statement::is_null(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

std::span<const std::byte> Statement::blob(int column) const {
  const void* data = sqlite3_column_blob(statement_, column);
  return {static_cast<const std::byte*>(data), static_cast<std::size_t>(sqlite3_column_bytes(statement_, column))};
}

Status execute(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string what = message ? message : "unknown error";
    sqlite3_free(message);
    return make_error(ErrorCode::kIo, fmt::format("{}: {}", sqlite3_db_filename(db, "main"), what));
  }
  return Ok{};
}

}  // namespace winiswin::journal::detail

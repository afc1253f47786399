// A prepared SQLite statement with RAII and errors as values (journal-internal: only the
// journal's .cpp files include this, and with it sqlite3.h).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"

namespace winiswin::journal::detail {

// The database's last error, with what was being done and the file.
Error sqlite_error(sqlite3* db, std::string_view doing);

class Statement {
 public:
  Statement() = default;
  static Result<Statement> prepare(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are numbered from 1, as SQLite numbers them.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_null(int index);
  Statement& bind_blob(int index, std::span<const std::byte> bytes);

  // Runs a statement that returns no rows; resets it for the next use.
  Status run();
  // Steps to the next row: true with a row, false when done (then resets), or an error.
  Result<bool> next();

  // Columns of the current row, numbered from 0.
  [[nodiscard]] std::int64_t integer(int column) const;
  [[nodiscard]] double real(int column) const;
  [[nodiscard]] std::string text(int column) const;
  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] std::span<const std::byte> blob(int column) const;

 private:
  explicit Statement(sqlite3_stmt* statement) : statement_(statement) {}
  sqlite3_stmt* statement_ = nullptr;
};

// Runs SQL that returns no rows (schema, pragmas, BEGIN/COMMIT).
Status execute(sqlite3* db, const char* sql);

}  // namespace winiswin::journal::detail

// A plain POSIX TCP exchange for tests that must send bytes no HTTP client would: write
// `request`, read until the server closes the connection (or the patience runs out).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace winiswin::net::testing {

inline std::string raw_exchange(std::uint16_t port, const std::string& request) {
  const int descriptor = ::socket(AF_INET, SOCK_STREAM, 0);
  if (descriptor < 0) return "socket() failed";
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string received;
  if (::connect(descriptor, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0 &&
      ::send(descriptor, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    constexpr int kPatienceMs = 10'000;
    char buffer[4096];
    pollfd readable{descriptor, POLLIN, 0};
    while (::poll(&readable, 1, kPatienceMs) > 0) {
      const ssize_t count = ::recv(descriptor, buffer, sizeof(buffer), 0);
      if (count <= 0) break;
      received.append(buffer, static_cast<std::size_t>(count));
    }
  }
  ::close(descriptor);
  return received;
}

}  // namespace winiswin::net::testing

// How a client trusts TLS servers (https, wss).
//
// By default the server's certificate chain is verified against the system's trust store and
// its name against the host we connected to; the host is also sent as SNI, which Binance's
// CDN needs to pick the certificate. Tests that run a TLS server on loopback add their own
// self-signed certificate as an extra trust anchor instead of turning verification off.
#pragma once

#include <string>

namespace winiswin::net {

struct TlsOptions {
  bool verify_peer = true;     // false only for throwaway experiments; never for Binance
  std::string extra_ca_pem;    // PEM certificates trusted in addition to the system store
};

}  // namespace winiswin::net

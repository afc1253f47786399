#include "net/websocket_session.h"

#include "net/detail/websocket_session_impl.h"

namespace winiswin::net {

WebSocketSession::WebSocketSession(std::shared_ptr<detail::WebSocketSessionImpl> impl) : impl_(std::move(impl)) {}
WebSocketSession::~WebSocketSession() = default;

void WebSocketSession::send(std::string text) { impl_->send(std::move(text)); }
void WebSocketSession::ping() { impl_->ping(); }
void WebSocketSession::close() { impl_->close(); }
void WebSocketSession::stall() { impl_->stall(); }
void WebSocketSession::drop() { impl_->drop(); }
bool WebSocketSession::is_open() const { return impl_->is_open(); }
std::uint64_t WebSocketSession::pongs_received() const { return impl_->pongs_received(); }
const std::string& WebSocketSession::target() const { return impl_->target(); }
const std::string& WebSocketSession::peer() const { return impl_->peer(); }

}  // namespace winiswin::net

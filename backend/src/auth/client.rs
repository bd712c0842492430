//! What the request says about the client: its address, the scheme it used and the host it
//! asked for. `Forwarded` and `X-Forwarded-*` are anyone's to send, so they count only when
//! the settings trust the proxy in front (`trust_proxy_headers`); otherwise the answer is
//! the TCP peer, this server's own scheme and the `Host` header.

use actix_web::HttpRequest;
use actix_web::http::header;

use super::AuthConfig;

/// The client's IP, for login throttling.
pub fn client_ip(req: &HttpRequest, config: &AuthConfig) -> String {
    if config.trust_proxy_headers
        && let Some(ip) = req.connection_info().realip_remote_addr()
    {
        return ip.to_string();
    }
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Whether the client reached us over TLS (the session cookie is `Secure` then).
pub fn is_tls(req: &HttpRequest, config: &AuthConfig) -> bool {
    origin(req, config).0 == "https"
}

/// `(scheme, host[:port])` the client used, as an `Origin` from it would name them.
pub fn origin(req: &HttpRequest, config: &AuthConfig) -> (String, String) {
    if config.trust_proxy_headers {
        let info = req.connection_info();
        return (info.scheme().to_ascii_lowercase(), info.host().to_string());
    }
    let scheme = match req.uri().scheme_str() {
        Some(s) => s.to_ascii_lowercase(),
        None if req.app_config().secure() => "https".to_string(),
        None => "http".to_string(),
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .unwrap_or_else(|| req.app_config().host().to_string());
    (scheme, host)
}

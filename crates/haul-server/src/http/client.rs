//! The client's address: the TCP peer, or, when the peer is the one trusted
//! reverse proxy (`--behind-proxy`), the last address it appended to
//! `X-Forwarded-For`. Nobody else can choose the address lockouts count.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

pub fn client_addr(peer: IpAddr, forwarded_for: Option<&str>, proxy: Option<IpAddr>) -> IpAddr {
    if proxy == Some(peer)
        && let Some(last) = forwarded_for
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
    {
        return last;
    }
    peer
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        Ok(Self(client_addr(
            peer,
            forwarded,
            state.options.behind_proxy,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_trusted_proxy_names_the_client() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let other: IpAddr = "10.0.0.9".parse().unwrap();
        let header = Some("203.0.113.5, 198.51.100.7");
        assert_eq!(
            client_addr(proxy, header, Some(proxy)),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_addr(other, header, Some(proxy)), other);
        assert_eq!(client_addr(proxy, header, None), proxy);
        assert_eq!(client_addr(proxy, Some("garbage"), Some(proxy)), proxy);
    }
}

//! The outgoing HTTP client: pooled keep-alive connections, rustls with the `ring`
//! provider (the one NATS and the database driver already use), and `localhost`
//! reaching a service on either loopback address.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Once;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

static CRYPTO_PROVIDER: Once = Once::new();

/// Installs `ring` as the process's rustls provider (once).
pub fn install_crypto_provider() {
    CRYPTO_PROVIDER.call_once(|| {
        // Err means another part of the process installed one first: keep it.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A client builder with our defaults; finish with `.build()`.
pub fn builder() -> reqwest::ClientBuilder {
    install_crypto_provider();
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(3))
        .timeout(Duration::from_secs(30))
        .pool_idle_timeout(Duration::from_secs(90))
        .tcp_nodelay(true)
        .user_agent(concat!("dompet-sawit/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(LoopbackResolver)
}

/// Resolves `localhost` and `*.localhost` (RFC 6761) to both loopback addresses,
/// IPv4 first, whatever `/etc/hosts` lists, so a service bound to only one of them
/// is reached (the connector tries the next address when one refuses). Other
/// names go to the system resolver.
#[derive(Debug, Clone, Copy)]
pub struct LoopbackResolver;

impl LoopbackResolver {
    fn is_localhost(host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        host == "localhost" || host.ends_with(".localhost")
    }
}

impl Resolve for LoopbackResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = if Self::is_localhost(&host) {
                vec![
                    SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
                    SocketAddr::from((Ipv6Addr::LOCALHOST, 0)),
                ]
            } else {
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect()
            };
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// A client with our defaults.
pub fn client() -> reqwest::Client {
    builder()
        .build()
        .expect("the default HTTP client configuration is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn resolve(host: &str) -> Vec<SocketAddr> {
        LoopbackResolver
            .resolve(host.parse().expect("a host name"))
            .await
            .expect("resolves")
            .collect()
    }

    #[tokio::test]
    async fn localhost_is_both_loopback_addresses_ipv4_first() {
        let both = vec![
            SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            SocketAddr::from((Ipv6Addr::LOCALHOST, 0)),
        ];
        assert_eq!(resolve("localhost").await, both);
        assert_eq!(resolve("LocalHost.").await, both);
        assert_eq!(resolve("auth.localhost").await, both);
        assert_eq!(
            resolve("127.0.0.1").await,
            vec![SocketAddr::from((Ipv4Addr::LOCALHOST, 0))]
        );
    }
}

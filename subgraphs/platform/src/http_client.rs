//! The outgoing HTTP client: pooled keep-alive connections, rustls with the `ring`
//! provider (the one NATS and the database driver already use).

use std::sync::Once;
use std::time::Duration;

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
}

/// A client with our defaults.
pub fn client() -> reqwest::Client {
    builder()
        .build()
        .expect("the default HTTP client configuration is valid")
}

//! The auth subgraph's settings: the shared ones plus signing keys, token lifetimes,
//! the admin seed, service clients and the login/OTP/biometric rules.

use std::path::PathBuf;

use clap::{Args, Parser};
use platform::config::{CommonConfig, ConfigError};
use secrecy::{ExposeSecret, SecretString};

pub const DEFAULT_PORT: u16 = 8001;
pub const DEV_ADMIN_EMAIL: &str = "admin@dompetsawit.local";
/// The documented development admin password; production refuses it.
pub const DEV_ADMIN_PASSWORD: &str = "admin-dev-password";

/// The auth subgraph.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "auth",
    version,
    about = "Dompet Sawit auth subgraph: users, tokens (RS256), OTP, biometric login, service credentials, JWKS"
)]
pub struct Config {
    /// Port to listen on.
    #[arg(long, env = "PORT", default_value_t = DEFAULT_PORT)]
    pub port: u16,

    #[command(flatten)]
    pub common: CommonConfig,

    #[command(flatten)]
    pub auth: AuthSettings,
}

/// Settings of auth alone.
#[derive(Debug, Clone, Args)]
pub struct AuthSettings {
    /// PEM private key (RSA) that signs every token. Generated on first run in
    /// development; must exist in production.
    #[arg(long, env = "JWT_PRIVATE_KEY_PATH", default_value = "keys/private.pem")]
    pub private_key_path: PathBuf,

    /// Retired public keys still published in the JWKS during a key rotation
    /// (comma-separated PEM paths), so tokens they signed verify until they expire.
    #[arg(long, env = "JWT_PREVIOUS_PUBLIC_KEYS", value_delimiter = ',')]
    pub previous_public_keys: Vec<PathBuf>,

    /// Lifetime of access tokens, in seconds.
    #[arg(long, env = "ACCESS_TOKEN_TTL_SECS", default_value_t = 900)]
    pub access_token_ttl_secs: u64,

    /// Lifetime of refresh tokens, in seconds.
    #[arg(long, env = "REFRESH_TOKEN_TTL_SECS", default_value_t = 30 * 24 * 3600)]
    pub refresh_token_ttl_secs: u64,

    /// Lifetime of service tokens, in seconds.
    #[arg(long, env = "SERVICE_TOKEN_TTL_SECS", default_value_t = 300)]
    pub service_token_ttl_secs: u64,

    /// Email of the admin account seeded at start.
    #[arg(long, env = "ADMIN_EMAIL", default_value = DEV_ADMIN_EMAIL)]
    pub admin_email: String,

    /// Password of the seeded admin. Development default: `admin-dev-password`;
    /// production requires a strong one.
    #[arg(long, env = "ADMIN_PASSWORD")]
    pub admin_password: Option<SecretString>,

    /// Service clients as JSON: `[{"id":"transaction","secret":"…","scopes":["wallet:write"]}]`.
    /// Development default: every known subgraph with `dev-secret-<id>` and its
    /// default scopes. Required in production.
    #[arg(long, env = "SERVICE_CLIENTS")]
    pub service_clients: Option<SecretString>,

    /// Wrong passwords in a row that lock an account.
    #[arg(long, env = "LOGIN_MAX_FAILURES", default_value_t = 5)]
    pub login_max_failures: u32,

    /// How long a locked account stays locked, in minutes.
    #[arg(long, env = "LOCKOUT_MINUTES", default_value_t = 30)]
    pub lockout_minutes: u32,

    /// Lifetime of an OTP code, in seconds.
    #[arg(long, env = "OTP_TTL_SECS", default_value_t = 300)]
    pub otp_ttl_secs: u64,

    /// Wrong entries an OTP code tolerates before it is void.
    #[arg(long, env = "OTP_MAX_ATTEMPTS", default_value_t = 5)]
    pub otp_max_attempts: u32,

    /// Least time between two OTP codes for one channel, in seconds.
    #[arg(long, env = "OTP_RESEND_SECS", default_value_t = 60)]
    pub otp_resend_secs: u64,

    /// Most OTP codes per user and channel in an hour.
    #[arg(long, env = "OTP_MAX_PER_HOUR", default_value_t = 5)]
    pub otp_max_per_hour: u32,

    /// Lifetime of a biometric login challenge, in seconds.
    #[arg(long, env = "BIOMETRIC_CHALLENGE_TTL_SECS", default_value_t = 120)]
    pub biometric_challenge_ttl_secs: u64,

    /// Argon2id memory cost in KiB (OWASP: 19456).
    #[arg(long, env = "ARGON2_MEMORY_KIB", default_value_t = 19456)]
    pub argon2_memory_kib: u32,

    /// Argon2id iterations (OWASP: 2).
    #[arg(long, env = "ARGON2_ITERATIONS", default_value_t = 2)]
    pub argon2_iterations: u32,
}

impl AuthSettings {
    /// Development defaults, without reading the environment.
    pub fn local() -> Self {
        Self {
            private_key_path: PathBuf::from("keys/private.pem"),
            previous_public_keys: Vec::new(),
            access_token_ttl_secs: 900,
            refresh_token_ttl_secs: 30 * 24 * 3600,
            service_token_ttl_secs: 300,
            admin_email: DEV_ADMIN_EMAIL.into(),
            admin_password: None,
            service_clients: None,
            login_max_failures: 5,
            lockout_minutes: 30,
            otp_ttl_secs: 300,
            otp_max_attempts: 5,
            otp_resend_secs: 60,
            otp_max_per_hour: 5,
            biometric_challenge_ttl_secs: 120,
            argon2_memory_kib: 19456,
            argon2_iterations: 2,
        }
    }

    /// The admin password: the configured one, or the development default.
    pub fn admin_password(&self) -> SecretString {
        self.admin_password
            .clone()
            .unwrap_or_else(|| SecretString::from(DEV_ADMIN_PASSWORD))
    }
}

impl Config {
    /// Development defaults, without reading the environment (tests, launcher).
    pub fn local() -> Self {
        Self {
            port: DEFAULT_PORT,
            common: CommonConfig::local(),
            auth: AuthSettings::local(),
        }
    }

    /// Refuses settings that cannot run safely. Production refuses a missing or weak
    /// admin password, missing service clients and a missing private key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let auth = &self.auth;
        if auth.login_max_failures == 0 || auth.otp_max_attempts == 0 {
            return Err(ConfigError(
                "LOGIN_MAX_FAILURES and OTP_MAX_ATTEMPTS must be at least 1".into(),
            ));
        }
        if auth.access_token_ttl_secs == 0 || auth.service_token_ttl_secs == 0 {
            return Err(ConfigError("token lifetimes must be positive".into()));
        }
        if !self.common.is_production() {
            return Ok(());
        }
        match &auth.admin_password {
            None => {
                return Err(ConfigError(
                    "ADMIN_PASSWORD is required in production".into(),
                ));
            }
            Some(password) => check_admin_password(password.expose_secret(), &auth.admin_email)?,
        }
        if auth.service_clients.is_none() {
            return Err(ConfigError(
                "SERVICE_CLIENTS is required in production".into(),
            ));
        }
        if !auth.private_key_path.exists() {
            return Err(ConfigError(format!(
                "the signing key {} does not exist; production never generates keys (see keys/README.md)",
                auth.private_key_path.display()
            )));
        }
        Ok(())
    }
}

/// A production admin password: at least 12 characters, with letters and digits, not
/// the development default, and not containing the email's name.
fn check_admin_password(password: &str, email: &str) -> Result<(), ConfigError> {
    let weak = |why: &str| Err(ConfigError(format!("ADMIN_PASSWORD is too weak: {why}")));
    if password == DEV_ADMIN_PASSWORD {
        return weak("it is the published development password");
    }
    if password.chars().count() < 12 {
        return weak("use at least 12 characters");
    }
    let has_letter = password.chars().any(char::is_alphabetic);
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if !has_letter || !has_digit {
        return weak("mix letters and digits");
    }
    let name = email.split('@').next().unwrap_or_default().to_lowercase();
    if name.len() >= 3 && password.to_lowercase().contains(&name) {
        return weak("it contains the admin email's name");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::config::Mode;

    fn production() -> Config {
        let mut config = Config::local();
        config.common.mode = Mode::Production;
        config.auth.service_clients = Some(SecretString::from("[]"));
        config.auth.private_key_path = std::env::current_exe().expect("test binary path");
        config
    }

    #[test]
    fn production_refuses_a_missing_admin_password() {
        let config = production();
        assert!(
            config
                .validate()
                .unwrap_err()
                .0
                .contains("ADMIN_PASSWORD is required")
        );
    }

    #[test]
    fn production_refuses_weak_admin_passwords() {
        for weak in [
            DEV_ADMIN_PASSWORD,
            "short1",
            "onlyletterslong",
            "123456789012345",
            "admin-2026-secret",
        ] {
            let mut config = production();
            config.auth.admin_email = "admin@bank.id".into();
            config.auth.admin_password = Some(SecretString::from(weak));
            let err = config.validate().expect_err(weak);
            assert!(err.0.contains("too weak"), "{weak}: {}", err.0);
        }
    }

    #[test]
    fn production_accepts_a_strong_admin_password() {
        let mut config = production();
        config.auth.admin_password = Some(SecretString::from("Kelapa-Sawit-2026-Riau"));
        config.validate().expect("strong password accepted");
    }

    #[test]
    fn production_requires_service_clients_and_an_existing_key() {
        let mut config = production();
        config.auth.admin_password = Some(SecretString::from("Kelapa-Sawit-2026-Riau"));
        config.auth.service_clients = None;
        assert!(config.validate().unwrap_err().0.contains("SERVICE_CLIENTS"));
        let mut config = production();
        config.auth.admin_password = Some(SecretString::from("Kelapa-Sawit-2026-Riau"));
        config.auth.private_key_path = PathBuf::from("/nonexistent/private.pem");
        assert!(
            config
                .validate()
                .unwrap_err()
                .0
                .contains("never generates keys")
        );
    }

    #[test]
    fn local_defaults_are_the_documented_flag_defaults() {
        let parsed: Config = platform::config::flag_defaults();
        assert_eq!(format!("{parsed:?}"), format!("{:?}", Config::local()));
    }

    #[test]
    fn development_runs_on_defaults() {
        Config::local()
            .validate()
            .expect("development defaults are valid");
    }
}

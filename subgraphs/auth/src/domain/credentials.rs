//! Password hashing with Argon2id, off the async runtime.

use std::sync::Arc;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use super::values::Password;
use crate::error::AuthError;

/// Hashes and verifies passwords (PHC strings, Argon2id v0x13).
#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    /// A hash of a random password, verified against when the email is unknown so
    /// that an unknown email takes as long as a wrong password.
    dummy: Arc<String>,
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordHasher")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl PasswordHasher {
    pub fn new(memory_kib: u32, iterations: u32) -> Result<Self, AuthError> {
        let params = Params::new(memory_kib, iterations, 1, None)
            .map_err(|e| AuthError::Internal(format!("argon2 parameters: {e}")))?;
        let dummy = hash_with(&params, &uuid::Uuid::new_v4().to_string())?;
        Ok(Self {
            params,
            dummy: Arc::new(dummy),
        })
    }

    pub async fn hash(&self, password: &Password) -> Result<String, AuthError> {
        let params = self.params.clone();
        let password = password.expose().to_owned();
        tokio::task::spawn_blocking(move || hash_with(&params, &password))
            .await
            .map_err(|e| AuthError::Internal(format!("hashing task: {e}")))?
    }

    /// Whether `password` matches the PHC string `hash`.
    pub async fn verify(&self, password: &str, hash: &str) -> bool {
        let password = password.to_owned();
        let hash = hash.to_owned();
        tokio::task::spawn_blocking(move || verify(&password, &hash))
            .await
            .unwrap_or(false)
    }

    /// Spends the time of a verification without anything to verify.
    pub async fn verify_nothing(&self, password: &str) {
        let _ = self.verify(password, &self.dummy.clone()).await;
    }
}

fn hash_with(params: &Params, password: &str) -> Result<String, AuthError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Internal(format!("argon2: {e}")))
}

fn verify(password: &str, hash: &str) -> bool {
    // The parameters come from the PHC string itself.
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let hasher = PasswordHasher::new(8 * 1024, 1).expect("params");
        let password = Password::parse("password123").expect("valid");
        let hash = hasher.hash(&password).await.expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert!(hasher.verify("password123", &hash).await);
        assert!(!hasher.verify("password124", &hash).await);
        assert!(!hasher.verify("password123", "not a hash").await);
    }
}

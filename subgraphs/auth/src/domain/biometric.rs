//! Biometric login (seed 000): a shortcut, never a password change. After a password
//! login the app registers a device public key (ECDSA P-256 or Ed25519) whose private
//! half the phone's biometrics unlock. To log in, the app asks for a challenge for its
//! device, signs the challenge text with that key, and trades the signature for
//! tokens. A challenge is good for one attempt only, so a signature cannot be
//! replayed, and a forged one is refused.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use p256::pkcs8::{DecodePublicKey, EncodePublicKey};
use platform::db::begin_write;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::sessions::Session;
use super::tokens::opaque_secret;
use super::{AuthService, chrono_duration};
use crate::db::entities::{biometric_challenge, biometric_device, user};
use crate::error::AuthError;

/// `amr` value of a biometric login: proof of a hardware-secured key (RFC 8176).
pub const AMR_DEVICE_KEY: &str = "hwk";

/// The signature algorithm of a device key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// ECDSA on P-256 with SHA-256.
    Es256,
    Ed25519,
}

impl KeyAlgorithm {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Es256 => "ES256",
            Self::Ed25519 => "ED25519",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "ES256" => Some(Self::Es256),
            "ED25519" => Some(Self::Ed25519),
            _ => None,
        }
    }
}

impl AuthService {
    /// Registers a device key for a user who signed in with their password.
    pub async fn register_device(
        &self,
        user_id: &str,
        amr: &[String],
        algorithm: KeyAlgorithm,
        public_key: &str,
        name: Option<&str>,
    ) -> Result<biometric_device::Model, AuthError> {
        if !amr.iter().any(|m| m == super::login::AMR_PASSWORD) {
            return Err(AuthError::PasswordLoginRequired);
        }
        let spki = canonical_public_key(algorithm, public_key)?;
        let txn = begin_write(&self.db).await?;
        // The user's row lock makes the device cap hold under parallel requests.
        self.lock_user(&txn, user_id).await?;
        let active = biometric_device::Entity::find()
            .filter(biometric_device::Column::UserId.eq(user_id))
            .filter(biometric_device::Column::RevokedAt.is_null())
            .count(&txn)
            .await?;
        if active >= self.policy.max_devices_per_user {
            return Err(AuthError::TooManyDevices(self.policy.max_devices_per_user));
        }
        let device = biometric_device::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            user_id: Set(user_id.to_owned()),
            algorithm: Set(algorithm.as_str().to_owned()),
            public_key: Set(STANDARD.encode(spki)),
            name: Set(name
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(|n| n.chars().take(100).collect())),
            created_at: Set(self.now()),
            last_used_at: Set(None),
            revoked_at: Set(None),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(device)
    }

    /// A user's active devices, newest first.
    pub async fn devices(&self, user_id: &str) -> Result<Vec<biometric_device::Model>, AuthError> {
        Ok(biometric_device::Entity::find()
            .filter(biometric_device::Column::UserId.eq(user_id))
            .filter(biometric_device::Column::RevokedAt.is_null())
            .order_by_desc(biometric_device::Column::CreatedAt)
            .all(&self.db)
            .await?)
    }

    /// Revokes one of the user's devices.
    pub async fn revoke_device(&self, user_id: &str, device_id: &str) -> Result<(), AuthError> {
        let device = self.active_device(device_id).await?;
        if device.user_id != user_id {
            return Err(AuthError::DeviceNotFound);
        }
        let mut revoked = device.into_active_model();
        revoked.revoked_at = Set(Some(self.now()));
        revoked.update(&self.db).await?;
        Ok(())
    }

    async fn active_device(&self, device_id: &str) -> Result<biometric_device::Model, AuthError> {
        biometric_device::Entity::find_by_id(device_id.to_owned())
            .filter(biometric_device::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(AuthError::DeviceNotFound)
    }

    /// A fresh challenge for a device to sign.
    pub async fn biometric_challenge(
        &self,
        device_id: &str,
    ) -> Result<biometric_challenge::Model, AuthError> {
        let device = self.active_device(device_id).await?;
        let now = self.now();
        Ok(biometric_challenge::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            device_id: Set(device.id),
            user_id: Set(device.user_id),
            challenge: Set(opaque_secret()),
            created_at: Set(now),
            expires_at: Set(now + chrono_duration(self.policy.challenge_ttl)),
            used_at: Set(None),
        }
        .insert(&self.db)
        .await?)
    }

    /// Trades a signed challenge for tokens. The challenge is spent whatever the
    /// outcome, so each one allows a single attempt.
    pub async fn biometric_login(
        &self,
        challenge_id: &str,
        signature: &str,
        user_agent: Option<&str>,
    ) -> Result<Session, AuthError> {
        let txn = begin_write(&self.db).await?;
        let challenge = biometric_challenge::Entity::find_by_id(challenge_id.to_owned())
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or(AuthError::ChallengeInvalid)?;
        let now = self.now();
        if challenge.used_at.is_some() {
            return Err(AuthError::ChallengeUsed);
        }
        if challenge.expires_at <= now {
            return Err(AuthError::ChallengeInvalid);
        }
        let mut spent = challenge.clone().into_active_model();
        spent.used_at = Set(Some(now));
        spent.update(&txn).await?;

        let device = biometric_device::Entity::find_by_id(challenge.device_id.clone())
            .filter(biometric_device::Column::RevokedAt.is_null())
            .one(&txn)
            .await?;
        let verified = device
            .as_ref()
            .is_some_and(|d| verify_signature(d, challenge.challenge.as_bytes(), signature));
        let Some(device) = device.filter(|_| verified) else {
            txn.commit().await?;
            tracing::warn!(challenge.id = challenge_id, "biometric signature refused");
            return Err(AuthError::SignatureInvalid);
        };
        let user = user::Entity::find_by_id(device.user_id.clone())
            .one(&txn)
            .await?
            .ok_or(AuthError::SignatureInvalid)?;
        if let Err(locked) = self.ensure_not_locked(&user) {
            txn.commit().await?;
            return Err(locked);
        }
        let mut used = device.into_active_model();
        used.last_used_at = Set(Some(now));
        used.update(&txn).await?;
        let session = self
            .open_session(&txn, &user, &[AMR_DEVICE_KEY], user_agent)
            .await?;
        txn.commit().await?;
        Ok(session)
    }
}

/// Bytes from base64 in any of the usual alphabets, with or without padding.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    [STANDARD, URL_SAFE, STANDARD_NO_PAD, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
}

/// The device key as SubjectPublicKeyInfo DER. Accepted: PEM, or base64 of SPKI DER;
/// for ES256 also a SEC1 point, for Ed25519 also the raw 32 bytes.
pub fn canonical_public_key(algorithm: KeyAlgorithm, text: &str) -> Result<Vec<u8>, AuthError> {
    let bad = || {
        AuthError::BadDeviceKey(format!(
            "The public key is not a valid {} key (send PEM or base64 SubjectPublicKeyInfo).",
            algorithm.as_str()
        ))
    };
    let text = text.trim();
    let spki = match algorithm {
        KeyAlgorithm::Es256 => {
            let key = if text.starts_with("-----BEGIN") {
                p256::PublicKey::from_public_key_pem(text).map_err(|_| bad())?
            } else {
                let bytes = decode_base64(text).ok_or_else(bad)?;
                p256::PublicKey::from_public_key_der(&bytes)
                    .or_else(|_| p256::PublicKey::from_sec1_bytes(&bytes))
                    .map_err(|_| bad())?
            };
            key.to_public_key_der().map_err(|_| bad())?
        }
        KeyAlgorithm::Ed25519 => {
            let key = if text.starts_with("-----BEGIN") {
                ed25519_dalek::VerifyingKey::from_public_key_pem(text).map_err(|_| bad())?
            } else {
                let bytes = decode_base64(text).ok_or_else(bad)?;
                match <[u8; 32]>::try_from(bytes.as_slice()) {
                    Ok(raw) => ed25519_dalek::VerifyingKey::from_bytes(&raw).map_err(|_| bad())?,
                    Err(_) => ed25519_dalek::VerifyingKey::from_public_key_der(&bytes)
                        .map_err(|_| bad())?,
                }
            };
            key.to_public_key_der().map_err(|_| bad())?
        }
    };
    Ok(spki.as_bytes().to_vec())
}

/// Whether `signature` (base64: DER or raw r‖s for ES256, 64 bytes for Ed25519)
/// signs `message` with the device's key.
fn verify_signature(device: &biometric_device::Model, message: &[u8], signature: &str) -> bool {
    let (Some(spki), Some(signature)) =
        (decode_base64(&device.public_key), decode_base64(signature))
    else {
        return false;
    };
    match KeyAlgorithm::parse(&device.algorithm) {
        Some(KeyAlgorithm::Es256) => verify_es256(&spki, message, &signature),
        Some(KeyAlgorithm::Ed25519) => verify_ed25519(&spki, message, &signature),
        None => false,
    }
}

fn verify_es256(spki: &[u8], message: &[u8], signature: &[u8]) -> bool {
    use p256::ecdsa::signature::Verifier;
    let Ok(key) = p256::ecdsa::VerifyingKey::from_public_key_der(spki) else {
        return false;
    };
    let Ok(signature) = p256::ecdsa::Signature::from_der(signature)
        .or_else(|_| p256::ecdsa::Signature::from_slice(signature))
    else {
        return false;
    };
    // Phones may produce high-S signatures; both forms prove the same key.
    let low_s = signature.normalize_s().unwrap_or(signature);
    key.verify(message, &low_s).is_ok()
}

fn verify_ed25519(spki: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let Ok(key) = ed25519_dalek::VerifyingKey::from_public_key_der(spki) else {
        return false;
    };
    let Ok(signature) = ed25519_dalek::Signature::from_slice(signature) else {
        return false;
    };
    key.verify_strict(message, &signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn es256_keys_are_accepted_as_spki_sec1_and_pem() {
        let signing = p256::ecdsa::SigningKey::random(&mut rand::rngs::OsRng);
        let public = p256::PublicKey::from(signing.verifying_key());
        let spki = public.to_public_key_der().expect("der");
        let from_spki =
            canonical_public_key(KeyAlgorithm::Es256, &STANDARD.encode(spki.as_bytes()))
                .expect("spki");
        let sec1 = public.to_sec1_bytes();
        let from_sec1 = canonical_public_key(KeyAlgorithm::Es256, &URL_SAFE_NO_PAD.encode(&sec1))
            .expect("sec1");
        let pem = public
            .to_public_key_pem(p256::pkcs8::LineEnding::LF)
            .expect("pem");
        let from_pem = canonical_public_key(KeyAlgorithm::Es256, &pem).expect("pem");
        assert_eq!(from_spki, from_sec1);
        assert_eq!(from_spki, from_pem);
        assert!(canonical_public_key(KeyAlgorithm::Es256, "bm90IGEga2V5").is_err());
    }

    #[test]
    fn ed25519_keys_are_accepted_raw_and_as_spki() {
        let signing = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        let raw = signing.verifying_key().to_bytes();
        let from_raw =
            canonical_public_key(KeyAlgorithm::Ed25519, &STANDARD.encode(raw)).expect("raw");
        let spki = signing.verifying_key().to_public_key_der().expect("der");
        let from_spki =
            canonical_public_key(KeyAlgorithm::Ed25519, &STANDARD.encode(spki.as_bytes()))
                .expect("spki");
        assert_eq!(from_raw, from_spki);
    }

    #[test]
    fn es256_signatures_verify_in_der_and_raw_form_only_for_their_message() {
        use p256::ecdsa::signature::Signer;
        let signing = p256::ecdsa::SigningKey::random(&mut rand::rngs::OsRng);
        let spki = p256::PublicKey::from(signing.verifying_key())
            .to_public_key_der()
            .expect("der");
        let signature: p256::ecdsa::Signature = signing.sign(b"challenge");
        assert!(verify_es256(
            spki.as_bytes(),
            b"challenge",
            signature.to_der().as_bytes()
        ));
        assert!(verify_es256(
            spki.as_bytes(),
            b"challenge",
            &signature.to_bytes()
        ));
        assert!(!verify_es256(
            spki.as_bytes(),
            b"other",
            &signature.to_bytes()
        ));
        // The high-S twin of a valid signature proves the same key.
        let (r, s) = signature.split_scalars();
        let high_s = p256::ecdsa::Signature::from_scalars(r, -*s).expect("high-S signature");
        assert!(verify_es256(
            spki.as_bytes(),
            b"challenge",
            &high_s.to_bytes()
        ));
    }
}

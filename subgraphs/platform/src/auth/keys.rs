//! RS256 key material: PEM loading, development key generation, key ids (RFC 7638
//! thumbprints) and the JWKS document shape (RFC 7517).

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{DecodingKey, EncodingKey};
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Size of generated development keys.
pub const DEV_KEY_BITS: usize = 2048;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read key file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write key file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{what} is not an RSA key in PEM form (PKCS#8 or PKCS#1)")]
    NotRsaPem { what: String },
    #[error("cannot generate an RSA key: {0}")]
    Generate(String),
}

/// One JSON Web Key (RSA public key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    pub kty: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    #[serde(default)]
    pub n: String,
    #[serde(default)]
    pub e: String,
}

/// A JWKS document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
}

/// A public key ready to verify with, and its JWK.
#[derive(Clone)]
pub struct VerificationKey {
    pub kid: String,
    pub jwk: Jwk,
    pub decoding: DecodingKey,
}

impl std::fmt::Debug for VerificationKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerificationKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// The signing key of auth, with the id that goes in every token header.
#[derive(Clone)]
pub struct SigningKey {
    pub kid: String,
    pub encoding: EncodingKey,
    pub public: VerificationKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl VerificationKey {
    /// From an RSA public key.
    pub fn from_public(key: &RsaPublicKey) -> Self {
        let n = URL_SAFE_NO_PAD.encode(key.n().to_bytes_be());
        let e = URL_SAFE_NO_PAD.encode(key.e().to_bytes_be());
        let kid = thumbprint(&n, &e);
        let decoding = DecodingKey::from_rsa_components(&n, &e)
            .expect("components taken from a parsed RSA key are valid base64url");
        Self {
            jwk: Jwk {
                kty: "RSA".into(),
                kid: Some(kid.clone()),
                use_: Some("sig".into()),
                alg: Some("RS256".into()),
                n,
                e,
            },
            kid,
            decoding,
        }
    }

    /// From a JWK; `None` when it is not an RSA signing key usable with RS256.
    pub fn from_jwk(jwk: &Jwk) -> Option<Self> {
        if jwk.kty != "RSA"
            || jwk.alg.as_deref().is_some_and(|a| a != "RS256")
            || jwk.use_.as_deref().is_some_and(|u| u != "sig")
        {
            return None;
        }
        let decoding = DecodingKey::from_rsa_components(&jwk.n, &jwk.e).ok()?;
        let kid = jwk
            .kid
            .clone()
            .unwrap_or_else(|| thumbprint(&jwk.n, &jwk.e));
        Some(Self {
            kid,
            jwk: jwk.clone(),
            decoding,
        })
    }

    /// From a PEM public key (SPKI `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`).
    pub fn from_pem(pem: &str, what: &str) -> Result<Self, KeyError> {
        let key = RsaPublicKey::from_public_key_pem(pem)
            .or_else(|_| RsaPublicKey::from_pkcs1_pem(pem))
            .map_err(|_| KeyError::NotRsaPem { what: what.into() })?;
        Ok(Self::from_public(&key))
    }

    pub fn load(path: &Path) -> Result<Self, KeyError> {
        let pem = read(path)?;
        Self::from_pem(&pem, &path.display().to_string())
    }
}

impl SigningKey {
    /// From a PEM private key (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`).
    pub fn from_pem(pem: &str, what: &str) -> Result<Self, KeyError> {
        let private = parse_private(pem, what)?;
        let encoding = EncodingKey::from_rsa_pem(pem.as_bytes())
            .map_err(|_| KeyError::NotRsaPem { what: what.into() })?;
        let public = VerificationKey::from_public(&private.to_public_key());
        Ok(Self {
            kid: public.kid.clone(),
            encoding,
            public,
        })
    }

    pub fn load(path: &Path) -> Result<Self, KeyError> {
        let pem = read(path)?;
        Self::from_pem(&pem, &path.display().to_string())
    }

    /// Signs `claims` as an RS256 JWT whose header names this key (`kid`).
    pub fn sign(&self, claims: &super::Claims) -> Result<String, jsonwebtoken::errors::Error> {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding)
    }
}

/// A freshly generated key pair in PEM form.
#[derive(Debug)]
pub struct PemPair {
    pub private_pem: String,
    pub public_pem: String,
}

/// Generates an RSA key pair.
pub fn generate_pem_pair(bits: usize) -> Result<PemPair, KeyError> {
    let mut rng = rand::rngs::OsRng;
    let private =
        RsaPrivateKey::new(&mut rng, bits).map_err(|e| KeyError::Generate(e.to_string()))?;
    let private_pem = private
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| KeyError::Generate(e.to_string()))?
        .to_string();
    Ok(PemPair {
        private_pem,
        public_pem: public_pem(&private.to_public_key())?,
    })
}

/// Makes a development key pair at `private_path`/`public_path` unless the private key
/// already exists (then only a missing public half is derived from it). Returns
/// whether it generated a new pair. The private key is written readable by its owner
/// only.
pub fn ensure_dev_key_pair(private_path: &Path, public_path: &Path) -> Result<bool, KeyError> {
    if private_path.exists() {
        if !public_path.exists() {
            let private = parse_private(&read(private_path)?, &private_path.display().to_string())?;
            write(public_path, &public_pem(&private.to_public_key())?, false)?;
        }
        return Ok(false);
    }
    let pair = generate_pem_pair(DEV_KEY_BITS)?;
    write(private_path, &pair.private_pem, true)?;
    write(public_path, &pair.public_pem, false)?;
    Ok(true)
}

fn parse_private(pem: &str, what: &str) -> Result<RsaPrivateKey, KeyError> {
    RsaPrivateKey::from_pkcs8_pem(pem)
        .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
        .map_err(|_| KeyError::NotRsaPem { what: what.into() })
}

fn public_pem(key: &RsaPublicKey) -> Result<String, KeyError> {
    key.to_public_key_pem(LineEnding::LF)
        .map_err(|e| KeyError::Generate(e.to_string()))
}

/// RFC 7638 thumbprint of an RSA key: base64url(SHA-256 of the canonical JWK).
pub fn thumbprint(n: &str, e: &str) -> String {
    let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

fn read(path: &Path) -> Result<String, KeyError> {
    std::fs::read_to_string(path).map_err(|source| KeyError::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn write(path: &Path, contents: &str, private: bool) -> Result<(), KeyError> {
    let err = |source| KeyError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    std::fs::write(path, contents).map_err(err)?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(err)?;
    }
    #[cfg(not(unix))]
    let _ = private;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_matches_rfc7638_example() {
        // The example key of RFC 7638 section 3.1.
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        let e = "AQAB";
        assert_eq!(
            thumbprint(n, e),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn dev_key_pair_is_generated_once_and_loads() {
        let dir = tempfile::tempdir().expect("tempdir");
        let private = dir.path().join("private.pem");
        let public = dir.path().join("public.pem");
        assert!(ensure_dev_key_pair(&private, &public).expect("generate"));
        assert!(!ensure_dev_key_pair(&private, &public).expect("second call"));
        let signing = SigningKey::load(&private).expect("private loads");
        let verifying = VerificationKey::load(&public).expect("public loads");
        assert_eq!(signing.kid, verifying.kid);

        std::fs::remove_file(&public).expect("remove public");
        ensure_dev_key_pair(&private, &public).expect("public restored");
        assert_eq!(
            VerificationKey::load(&public).expect("reload").kid,
            signing.kid
        );
    }
}

//! Idempotency keys: what a client (or service) sends so that a retried request
//! has its first effect only.

/// An idempotency key: 1–128 visible ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

/// Why a key was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be 1–{} visible ASCII characters", IdempotencyKey::MAX_LEN)]
pub struct InvalidKey;

impl IdempotencyKey {
    pub const MAX_LEN: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, InvalidKey> {
        let valid = !raw.is_empty()
            && raw.len() <= Self::MAX_LEN
            && raw.bytes().all(|b| b.is_ascii_graphic());
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidKey)
        }
    }

    /// A fresh key, for callers that sent none.
    pub fn generate() -> Self {
        Self(format!("auto-{}", uuid::Uuid::now_v7()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_ascii_of_bounded_length() {
        assert!(IdempotencyKey::parse("order-123:pay").is_ok());
        assert_eq!(IdempotencyKey::parse(""), Err(InvalidKey));
        assert_eq!(IdempotencyKey::parse("with space"), Err(InvalidKey));
        assert_eq!(IdempotencyKey::parse("kunci-é"), Err(InvalidKey));
        assert!(IdempotencyKey::parse(&"k".repeat(128)).is_ok());
        assert_eq!(IdempotencyKey::parse(&"k".repeat(129)), Err(InvalidKey));
        assert_ne!(IdempotencyKey::generate(), IdempotencyKey::generate());
    }
}

//! Cursor pagination, newest first. A cursor is the position of a row — its time
//! and id — so pages stay stable while new rows arrive; clients get it as opaque
//! text and pass it back as `after`.

use std::ops::RangeInclusive;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};

use crate::error::ApiError;

/// Where a page starts: after the row at (`at`, `id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub at: DateTime<Utc>,
    pub id: String,
}

/// Text that is not a cursor this API gave.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`after` is not a cursor this API gave.")]
pub struct InvalidCursor;

impl Cursor {
    pub fn new(at: DateTime<Utc>, id: impl Into<String>) -> Self {
        Self { at, id: id.into() }
    }

    /// The opaque text form.
    pub fn encode(&self) -> String {
        let raw = format!("{}|{}", self.at.timestamp_micros(), self.id);
        URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(text: &str) -> Result<Self, InvalidCursor> {
        let raw = URL_SAFE_NO_PAD.decode(text).map_err(|_| InvalidCursor)?;
        let raw = String::from_utf8(raw).map_err(|_| InvalidCursor)?;
        let (micros, id) = raw.split_once('|').ok_or(InvalidCursor)?;
        let micros: i64 = micros.parse().map_err(|_| InvalidCursor)?;
        let at = DateTime::from_timestamp_micros(micros).ok_or(InvalidCursor)?;
        Ok(Self::new(at, id))
    }

    /// The rows after this cursor in (`time`, `id`) descending order:
    /// `time < at OR (time = at AND id < id)`.
    pub fn after<T, I>(&self, time: T, id: I) -> sea_orm::Condition
    where
        T: sea_orm::ColumnTrait,
        I: sea_orm::ColumnTrait,
    {
        sea_orm::Condition::any().add(time.lt(self.at)).add(
            sea_orm::Condition::all()
                .add(time.eq(self.at))
                .add(id.lt(self.id.as_str())),
        )
    }
}

/// The `after` argument of a paged query as a cursor: none when absent;
/// `BAD_USER_INPUT` on field `after` when it is not a cursor this API gave.
pub fn after(text: Option<&str>) -> Result<Option<Cursor>, ApiError> {
    text.map(Cursor::decode)
        .transpose()
        .map_err(|e| ApiError::bad_field("after", e.to_string()))
}

/// A client's page size or limit, kept within `allowed` (a negative one is the
/// smallest allowed).
pub fn page_size(requested: i32, allowed: RangeInclusive<u64>) -> u64 {
    u64::try_from(requested)
        .unwrap_or(*allowed.start())
        .clamp(*allowed.start(), *allowed.end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_garbage_is_refused() {
        let cursor = Cursor::new(
            DateTime::from_timestamp_micros(1_790_000_000_123_456).expect("valid"),
            "0194-abc",
        );
        assert_eq!(Cursor::decode(&cursor.encode()), Ok(cursor));
        for garbage in ["", "%%%", "bm9waXBl", &URL_SAFE_NO_PAD.encode("x|y")] {
            assert_eq!(Cursor::decode(garbage), Err(InvalidCursor), "{garbage}");
        }
    }

    #[test]
    fn a_page_size_stays_within_what_is_allowed() {
        assert_eq!(page_size(20, 0..=100), 20);
        assert_eq!(page_size(500, 0..=100), 100);
        assert_eq!(page_size(-3, 0..=100), 0);
        assert_eq!(page_size(0, 1..=100), 1);
        assert_eq!(page_size(-3, 1..=100), 1);
    }

    #[test]
    fn after_is_a_cursor_or_bad_user_input_on_after() {
        assert!(matches!(after(None), Ok(None)));
        let cursor = Cursor::new(
            DateTime::from_timestamp_micros(1_790_000_000_123_456).expect("valid"),
            "0194-abc",
        );
        assert!(matches!(after(Some(&cursor.encode())), Ok(Some(c)) if c == cursor));
        match after(Some("garbage")) {
            Err(ApiError::Client { code, details, .. }) => {
                assert_eq!(code, crate::error::ErrorCode::BadUserInput);
                assert_eq!(details, [("field", serde_json::json!("after"))]);
            }
            other => panic!("{other:?}"),
        }
    }
}

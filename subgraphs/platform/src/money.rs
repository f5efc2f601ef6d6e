//! Money: whole rupiah as a 64-bit integer, never a float.
//!
//! The public contract takes amounts as GraphQL `Float` (seed 001). [`Rupiah::parse`]
//! is the one gate every such amount passes: it accepts only finite, positive,
//! whole values up to a limit, and names the argument in the error.

use std::fmt;

use crate::error::ApiError;

/// The largest amount any single operation accepts: Rp 1 trillion. Far above every
/// business limit, and low enough that sums of many amounts cannot overflow `i64`
/// and every amount is exact as a GraphQL `Float` (below 2^53).
pub const ABSOLUTE_MAX: i64 = 1_000_000_000_000;

/// An amount of whole rupiah (≥ 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Rupiah(i64);

/// Why an amount was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("must be a finite number")]
    NotFinite,
    #[error("must be more than zero")]
    NotPositive,
    #[error("must be whole rupiah (no fractions)")]
    Fractional,
    #[error("must be at most {0}")]
    TooLarge(Rupiah),
}

impl Rupiah {
    pub const ZERO: Rupiah = Rupiah(0);

    /// A positive amount of whole rupiah, at most `max` (and never above
    /// [`ABSOLUTE_MAX`]).
    pub fn parse(value: f64, max: Rupiah) -> Result<Self, AmountError> {
        if !value.is_finite() {
            return Err(AmountError::NotFinite);
        }
        if value <= 0.0 {
            return Err(AmountError::NotPositive);
        }
        if value.fract() != 0.0 {
            return Err(AmountError::Fractional);
        }
        let max = max.min(Rupiah(ABSOLUTE_MAX));
        // Compared as floats first: a huge value must not wrap when cast.
        if value > max.0 as f64 {
            return Err(AmountError::TooLarge(max));
        }
        Ok(Self(value as i64))
    }

    /// [`Rupiah::parse`] for the argument `field`, as a `BAD_USER_INPUT` error that
    /// names it.
    pub fn parse_field(value: f64, max: Rupiah, field: &str) -> Result<Self, ApiError> {
        Self::parse(value, max)
            .map_err(|err| ApiError::bad_field(field, format!("`{field}` {err}.")))
    }

    /// An amount already known to be valid (from the database, from a constant).
    /// Negative values are clamped to zero.
    pub const fn new(value: i64) -> Self {
        if value < 0 { Self(0) } else { Self(value) }
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    /// For GraphQL `Float` output; exact, as amounts stay below 2^53.
    pub fn as_f64(self) -> f64 {
        self.0 as f64
    }

    pub fn checked_add(self, other: Rupiah) -> Option<Rupiah> {
        self.0.checked_add(other.0).map(Rupiah)
    }

    pub fn checked_sub(self, other: Rupiah) -> Option<Rupiah> {
        self.0.checked_sub(other.0).filter(|v| *v >= 0).map(Rupiah)
    }
}

/// `Rp 1.500.000`, the Indonesian way.
impl fmt::Display for Rupiah {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(digit);
        }
        write!(f, "Rp {grouped}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: Rupiah = Rupiah::new(50_000_000);

    #[test]
    fn whole_positive_amounts_within_the_limit_are_accepted() {
        assert_eq!(Rupiah::parse(1.0, MAX), Ok(Rupiah::new(1)));
        assert_eq!(Rupiah::parse(20_000.0, MAX), Ok(Rupiah::new(20_000)));
        assert_eq!(Rupiah::parse(50_000_000.0, MAX), Ok(MAX));
    }

    #[test]
    fn everything_else_is_refused_with_the_reason() {
        assert_eq!(Rupiah::parse(f64::NAN, MAX), Err(AmountError::NotFinite));
        assert_eq!(
            Rupiah::parse(f64::INFINITY, MAX),
            Err(AmountError::NotFinite)
        );
        assert_eq!(
            Rupiah::parse(f64::NEG_INFINITY, MAX),
            Err(AmountError::NotFinite)
        );
        assert_eq!(Rupiah::parse(0.0, MAX), Err(AmountError::NotPositive));
        assert_eq!(Rupiah::parse(-0.0, MAX), Err(AmountError::NotPositive));
        assert_eq!(Rupiah::parse(-5.0, MAX), Err(AmountError::NotPositive));
        assert_eq!(Rupiah::parse(10.5, MAX), Err(AmountError::Fractional));
        assert_eq!(Rupiah::parse(0.1, MAX), Err(AmountError::Fractional));
        assert_eq!(
            Rupiah::parse(50_000_001.0, MAX),
            Err(AmountError::TooLarge(MAX))
        );
        assert_eq!(
            Rupiah::parse(1e300, Rupiah::new(i64::MAX)),
            Err(AmountError::TooLarge(Rupiah::new(ABSOLUTE_MAX)))
        );
    }

    #[test]
    fn the_error_names_the_argument() {
        let err = Rupiah::parse_field(1.5, MAX, "amount").expect_err("fractional");
        assert_eq!(err.code(), crate::ErrorCode::BadUserInput);
        assert_eq!(
            err.to_string(),
            "`amount` must be whole rupiah (no fractions)."
        );
    }

    #[test]
    fn amounts_display_with_indonesian_grouping() {
        assert_eq!(Rupiah::new(0).to_string(), "Rp 0");
        assert_eq!(Rupiah::new(999).to_string(), "Rp 999");
        assert_eq!(Rupiah::new(1_000).to_string(), "Rp 1.000");
        assert_eq!(Rupiah::new(1_500_000).to_string(), "Rp 1.500.000");
        assert_eq!(Rupiah::new(50_000_000).to_string(), "Rp 50.000.000");
    }

    #[test]
    fn subtraction_never_goes_below_zero() {
        assert_eq!(
            Rupiah::new(5).checked_sub(Rupiah::new(3)),
            Some(Rupiah::new(2))
        );
        assert_eq!(Rupiah::new(3).checked_sub(Rupiah::new(5)), None);
    }
}

//! The wallet's domain values, parsed once at the edge.

use platform::Rupiah;

use crate::error::WalletError;

/// A wallet's display name: 1–50 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletName(String);

impl WalletName {
    pub const MAX_CHARS: usize = 50;

    pub fn parse(raw: &str) -> Result<Self, WalletError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(WalletError::bad_input(
                "walletName",
                "`walletName` must not be empty.",
            ));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(WalletError::bad_input(
                "walletName",
                format!(
                    "`walletName` must be at most {} characters.",
                    Self::MAX_CHARS
                ),
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(WalletError::bad_input(
                "walletName",
                "`walletName` must not contain control characters.",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a ledger entry is for (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    TopUp,
    Payment,
    Transfer,
    Refund,
    Withdrawal,
    Commission,
    Fee,
    LoanDisbursement,
    LoanRepayment,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Self::TopUp,
        Self::Payment,
        Self::Transfer,
        Self::Refund,
        Self::Withdrawal,
        Self::Commission,
        Self::Fee,
        Self::LoanDisbursement,
        Self::LoanRepayment,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::TopUp => "TOP_UP",
            Self::Payment => "PAYMENT",
            Self::Transfer => "TRANSFER",
            Self::Refund => "REFUND",
            Self::Withdrawal => "WITHDRAWAL",
            Self::Commission => "COMMISSION",
            Self::Fee => "FEE",
            Self::LoanDisbursement => "LOAN_DISBURSEMENT",
            Self::LoanRepayment => "LOAN_REPAYMENT",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }
}

/// A wallet owner's KYC level, which sets their e-money limits. Everyone is
/// `Unverified` until the identity service reports a verified KYC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KycLevel {
    Unverified,
    Verified,
}

impl KycLevel {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Unverified => "UNVERIFIED",
            Self::Verified => "VERIFIED",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "UNVERIFIED" => Some(Self::Unverified),
            "VERIFIED" => Some(Self::Verified),
            _ => None,
        }
    }
}

/// A wallet's status.
pub mod status {
    pub const ACTIVE: &str = "ACTIVE";
    pub const DELETED: &str = "DELETED";
}

/// A wallet's kind: a person's e-money wallet (with e-money limits), or a merchant's
/// settlement wallet (designated by the transaction service when an admin registers
/// a merchant).
pub mod kind {
    pub const PERSONAL: &str = "PERSONAL";
    pub const MERCHANT: &str = "MERCHANT";
}

/// A ledger entry's direction.
pub mod direction {
    pub const CREDIT: &str = "CREDIT";
    pub const DEBIT: &str = "DEBIT";
}

/// A movement's state.
pub mod movement_state {
    /// Posted: the ledger entries exist.
    pub const APPLIED: &str = "APPLIED";
    /// The key was voided before anything was posted; it can never be posted.
    pub const VOIDED: &str = "VOIDED";
}

/// The e-money limits of one KYC level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// Most an owner may hold over all personal wallets.
    pub max_balance: Rupiah,
    /// Most an owner's personal wallets may receive in a calendar month.
    pub monthly_incoming: Rupiah,
}

/// The e-money limits of every KYC level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub unverified: Caps,
    pub verified: Caps,
}

impl Limits {
    pub fn caps(&self, level: KycLevel) -> Caps {
        match level {
            KycLevel::Unverified => self.unverified,
            KycLevel::Verified => self.verified,
        }
    }
}

/// The calendar month of `at` in Western Indonesian Time (UTC+7), `YYYY-MM`: the
/// period of the monthly e-money limit.
pub fn wib_month(at: chrono::DateTime<chrono::Utc>) -> String {
    (at + chrono::Duration::hours(7))
        .format("%Y-%m")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn wallet_names_are_trimmed_and_bounded() {
        assert_eq!(
            WalletName::parse("  Tabungan Utama ")
                .expect("valid")
                .as_str(),
            "Tabungan Utama"
        );
        assert!(WalletName::parse("   ").is_err());
        assert!(WalletName::parse(&"x".repeat(51)).is_err());
        assert!(WalletName::parse("a\u{0}b").is_err());
        assert!(WalletName::parse(&"é".repeat(50)).is_ok());
    }

    #[test]
    fn categories_round_trip() {
        for category in Category::ALL {
            assert_eq!(Category::parse(category.as_str()), Some(category));
        }
        assert_eq!(Category::parse("GIFT"), None);
    }

    #[test]
    fn the_month_turns_at_midnight_in_jakarta() {
        let before = chrono::Utc
            .with_ymd_and_hms(2026, 11, 30, 16, 59, 59)
            .single()
            .expect("valid time");
        let after = chrono::Utc
            .with_ymd_and_hms(2026, 11, 30, 17, 0, 0)
            .single()
            .expect("valid time");
        assert_eq!(wib_month(before), "2026-11");
        assert_eq!(wib_month(after), "2026-12");
    }
}

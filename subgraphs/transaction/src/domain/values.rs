//! The transaction's domain values: types, statuses, saga steps, VA numbers, and a
//! request parsed once at the edge.

use platform::Rupiah;
use platform::idempotency::IdempotencyKey;
use sha2::{Digest, Sha256};

use crate::error::TransactionError;

/// What a transaction does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Money from an external source into the payer's own wallet.
    Deposit,
    /// The payer pays a VA: a merchant invoice or a marketplace order.
    Payment,
    /// The payer sends money to another wallet.
    Transfer,
}

impl Kind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Deposit => "DEPOSIT",
            Self::Payment => "PAYMENT",
            Self::Transfer => "TRANSFER",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Deposit, Self::Payment, Self::Transfer]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }

    /// The wallet ledger category of the movement.
    pub const fn ledger_category(self) -> &'static str {
        match self {
            Self::Deposit => "TOP_UP",
            Self::Payment => "PAYMENT",
            Self::Transfer => "TRANSFER",
        }
    }
}

/// A transaction's status.
pub mod status {
    pub const PENDING: &str = "PENDING";
    pub const SUCCESS: &str = "SUCCESS";
    pub const FAILED: &str = "FAILED";
    pub const REJECTED: &str = "REJECTED";
}

/// The saga's steps, persisted as each is done.
pub mod step {
    /// Validated and recorded; the VA (if any) is claimed.
    pub const STARTED: &str = "STARTED";
    /// Fraud cleared it.
    pub const FRAUD_CHECKED: &str = "FRAUD_CHECKED";
    /// The money moved and the outcome is recorded and announced.
    pub const COMPLETED: &str = "COMPLETED";
    /// It failed; nothing moved (the wallet key is voided), the VA is released.
    pub const COMPENSATED: &str = "COMPENSATED";
}

/// Where a VA comes from.
pub mod va_kind {
    /// Issued here to a registered merchant (`DS-8800…`).
    pub const INVOICE: &str = "INVOICE";
    /// Issued by the configured marketplace.
    pub const MARKETPLACE: &str = "MARKETPLACE";
}

/// The prefix of every VA this system issues.
pub const VA_PREFIX: &str = "DS-8800";

/// A VA number: 1–64 visible ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaNumber(String);

impl VaNumber {
    pub fn parse(raw: &str) -> Result<Self, TransactionError> {
        let va = raw.trim();
        if va.is_empty() || va.len() > 64 || !va.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(TransactionError::bad_input(
                "vaNumber",
                "`vaNumber` must be 1–64 visible ASCII characters.",
            ));
        }
        Ok(Self(va.to_owned()))
    }

    /// A fresh VA of ours: `DS-8800` and twelve random digits.
    pub fn generate() -> Self {
        use rand::Rng;
        let digits: u64 = rand::thread_rng().gen_range(0..1_000_000_000_000);
        Self(format!("{VA_PREFIX}{digits:012}"))
    }

    /// Whether this system issued it (an invoice), rather than the marketplace.
    pub fn is_ours(&self) -> bool {
        self.0.starts_with(VA_PREFIX)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A `createTransaction` request, parsed.
#[derive(Debug, Clone)]
pub struct NewTransaction {
    pub wallet_id: String,
    pub amount: Rupiah,
    pub kind: Kind,
    pub va_number: Option<VaNumber>,
    pub to_wallet_id: Option<String>,
    pub idempotency_key: Option<IdempotencyKey>,
}

/// The request as the client sent it.
#[derive(Debug, Clone, Default)]
pub struct RawTransaction {
    pub wallet_id: String,
    pub amount: f64,
    pub kind: String,
    pub va_number: Option<String>,
    pub to_wallet_id: Option<String>,
    pub idempotency_key: Option<String>,
    /// The `Idempotency-Key` header.
    pub header_key: Option<String>,
}

impl NewTransaction {
    /// Checks the request's shape; `max` is the largest amount allowed.
    pub fn parse(raw: RawTransaction, max: Rupiah) -> Result<Self, TransactionError> {
        let wallet_id = non_empty("walletId", raw.wallet_id)?;
        let amount = parse_amount(raw.amount, max)?;
        let kind = Kind::parse(&raw.kind).ok_or_else(|| {
            TransactionError::bad_input("type", "`type` must be DEPOSIT, PAYMENT or TRANSFER.")
        })?;
        let va_number = raw
            .va_number
            .filter(|v| !v.trim().is_empty())
            .map(|v| VaNumber::parse(&v))
            .transpose()?;
        let to_wallet_id = raw
            .to_wallet_id
            .filter(|w| !w.trim().is_empty())
            .map(|w| w.trim().to_owned());
        match (kind, &va_number, &to_wallet_id) {
            (Kind::Payment, None, _) => {
                return Err(TransactionError::bad_input(
                    "vaNumber",
                    "A PAYMENT needs the `vaNumber` it pays.",
                ));
            }
            (Kind::Deposit | Kind::Transfer, Some(_), _) => {
                return Err(TransactionError::bad_input(
                    "vaNumber",
                    "`vaNumber` is only for a PAYMENT.",
                ));
            }
            (Kind::Transfer, _, None) => {
                return Err(TransactionError::bad_input(
                    "toWalletId",
                    "A TRANSFER needs the recipient's `toWalletId`.",
                ));
            }
            (Kind::Transfer, _, Some(to)) if *to == wallet_id => {
                return Err(TransactionError::bad_input(
                    "toWalletId",
                    "A TRANSFER needs a recipient wallet other than `walletId`.",
                ));
            }
            (Kind::Deposit | Kind::Payment, _, Some(_)) => {
                return Err(TransactionError::bad_input(
                    "toWalletId",
                    "`toWalletId` is only for a TRANSFER.",
                ));
            }
            _ => {}
        }
        let idempotency_key = idempotency_key(raw.idempotency_key, raw.header_key)?;
        Ok(Self {
            wallet_id,
            amount,
            kind,
            va_number,
            to_wallet_id,
            idempotency_key,
        })
    }

    /// A fingerprint of what is asked, to tell a retry from a different request
    /// with the same idempotency key.
    pub fn fingerprint(&self) -> String {
        let text = format!(
            "{}|{}|{}|{}|{}",
            self.kind.as_str(),
            self.wallet_id,
            self.amount.get(),
            self.va_number.as_ref().map_or("", VaNumber::as_str),
            self.to_wallet_id.as_deref().unwrap_or("")
        );
        format!("{:x}", Sha256::digest(text.as_bytes()))
    }
}

/// A positive amount of whole rupiah, at most `max`.
pub fn parse_amount(value: f64, max: Rupiah) -> Result<Rupiah, TransactionError> {
    Rupiah::parse(value, max)
        .map_err(|e| TransactionError::bad_input("amount", format!("`amount` {e}.")))
}

fn non_empty(field: &'static str, value: String) -> Result<String, TransactionError> {
    let value = value.trim();
    if value.is_empty() {
        Err(TransactionError::bad_input(
            field,
            format!("`{field}` must not be empty."),
        ))
    } else {
        Ok(value.to_owned())
    }
}

/// The key from the input or the `Idempotency-Key` header; both must agree.
fn idempotency_key(
    input: Option<String>,
    header: Option<String>,
) -> Result<Option<IdempotencyKey>, TransactionError> {
    let parse = |raw: &str| {
        IdempotencyKey::parse(raw).map_err(|e| {
            TransactionError::bad_input("idempotencyKey", format!("The idempotency key {e}."))
        })
    };
    match (input.as_deref(), header.as_deref()) {
        (Some(a), Some(b)) if a != b => Err(TransactionError::bad_input(
            "idempotencyKey",
            "`idempotencyKey` and the `Idempotency-Key` header differ; send one, or the same.",
        )),
        (Some(key), _) | (None, Some(key)) => parse(key).map(Some),
        (None, None) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(kind: &str) -> RawTransaction {
        RawTransaction {
            wallet_id: "w1".into(),
            amount: 20_000.0,
            kind: kind.into(),
            ..Default::default()
        }
    }

    const MAX: Rupiah = Rupiah::new(100_000_000);

    fn field_of(result: Result<NewTransaction, TransactionError>) -> &'static str {
        match result {
            Err(TransactionError::BadInput { field, .. }) => field,
            other => panic!("expected bad input, got {other:?}"),
        }
    }

    #[test]
    fn a_deposit_needs_neither_va_nor_recipient() {
        let parsed = NewTransaction::parse(raw("DEPOSIT"), MAX).expect("valid");
        assert_eq!(parsed.kind, Kind::Deposit);
        let mut with_va = raw("DEPOSIT");
        with_va.va_number = Some("DS-8800000000000001".into());
        assert_eq!(field_of(NewTransaction::parse(with_va, MAX)), "vaNumber");
    }

    #[test]
    fn a_payment_needs_a_va_and_a_transfer_a_distinct_recipient() {
        assert_eq!(
            field_of(NewTransaction::parse(raw("PAYMENT"), MAX)),
            "vaNumber"
        );
        assert_eq!(
            field_of(NewTransaction::parse(raw("TRANSFER"), MAX)),
            "toWalletId"
        );
        let mut to_self = raw("TRANSFER");
        to_self.to_wallet_id = Some("w1".into());
        assert_eq!(field_of(NewTransaction::parse(to_self, MAX)), "toWalletId");
        let mut transfer = raw("TRANSFER");
        transfer.to_wallet_id = Some("w2".into());
        assert!(NewTransaction::parse(transfer, MAX).is_ok());
    }

    #[test]
    fn amounts_and_types_are_checked() {
        let mut fractional = raw("DEPOSIT");
        fractional.amount = 10.5;
        assert_eq!(field_of(NewTransaction::parse(fractional, MAX)), "amount");
        let mut huge = raw("DEPOSIT");
        huge.amount = 100_000_001.0;
        assert_eq!(field_of(NewTransaction::parse(huge, MAX)), "amount");
        assert_eq!(field_of(NewTransaction::parse(raw("REFUND"), MAX)), "type");
    }

    #[test]
    fn the_key_comes_from_the_input_or_the_header_and_both_must_agree() {
        let mut both = raw("DEPOSIT");
        both.idempotency_key = Some("a".into());
        both.header_key = Some("b".into());
        assert_eq!(field_of(NewTransaction::parse(both, MAX)), "idempotencyKey");
        let mut header = raw("DEPOSIT");
        header.header_key = Some("k-1".into());
        let parsed = NewTransaction::parse(header, MAX).expect("valid");
        assert_eq!(
            parsed.idempotency_key.map(|k| k.as_str().to_owned()),
            Some("k-1".into())
        );
    }

    #[test]
    fn the_fingerprint_changes_with_what_is_asked() {
        let a = NewTransaction::parse(raw("DEPOSIT"), MAX).expect("valid");
        let mut other = raw("DEPOSIT");
        other.amount = 20_001.0;
        let b = NewTransaction::parse(other, MAX).expect("valid");
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint(), a.clone().fingerprint());
    }

    #[test]
    fn our_vas_start_with_ds_8800() {
        let va = VaNumber::generate();
        assert!(va.is_ours());
        assert_eq!(va.as_str().len(), VA_PREFIX.len() + 12);
        assert!(!VaNumber::parse("VA1767718314368").expect("valid").is_ours());
    }
}

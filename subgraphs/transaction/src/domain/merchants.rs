//! Registered merchants and their invoices. An admin registers a merchant with a
//! settlement wallet (which stops being a personal e-money wallet) and a callback
//! URL; the merchant gets an API key (shown once) for `X-Merchant-Key` and a
//! webhook secret. With the key, it issues `DS-8800…` invoice VAs that customers pay
//! with `createTransaction`, into the settlement wallet.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use platform::db::is_unique_violation;
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::TransactionService;
use super::values::{VaNumber, parse_amount};
use crate::db::entities::{invoice, merchant};
use crate::error::TransactionError;

/// What an admin gives to register a merchant.
#[derive(Debug, Clone)]
pub struct NewMerchant {
    pub name: String,
    pub settlement_wallet_id: String,
    pub callback_url: Option<String>,
}

/// A registered merchant with its credentials, which are shown only now.
#[derive(Debug, Clone)]
pub struct Registered {
    pub merchant: merchant::Model,
    pub api_key: String,
    pub webhook_secret: String,
}

const KEY_PREFIX: &str = "dsm_";

fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn hash(key: &str) -> String {
    format!("{:x}", Sha256::digest(key.as_bytes()))
}

impl TransactionService {
    /// Registers a merchant (by admin `admin_id`).
    pub async fn register_merchant(
        &self,
        admin_id: &str,
        new: NewMerchant,
    ) -> Result<Registered, TransactionError> {
        let name = new.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(TransactionError::bad_input(
                "name",
                "`name` must be 1–100 characters.",
            ));
        }
        if let Some(url) = &new.callback_url {
            let parsed = reqwest::Url::parse(url).map_err(|_| {
                TransactionError::bad_input("callbackUrl", "`callbackUrl` must be an absolute URL.")
            })?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(TransactionError::bad_input(
                    "callbackUrl",
                    "`callbackUrl` must be an http(s) URL.",
                ));
            }
        }
        let wallet = self
            .peers
            .wallet
            .wallet(&new.settlement_wallet_id)
            .await?
            .filter(|w| w.status == "ACTIVE")
            .ok_or_else(|| {
                TransactionError::bad_input(
                    "settlementWalletId",
                    "`settlementWalletId` must be an open wallet.",
                )
            })?;
        self.peers
            .wallet
            .designate_merchant(&wallet.wallet_id)
            .await?;
        let id = uuid::Uuid::now_v7().simple().to_string();
        let api_key = format!("{KEY_PREFIX}{id}_{}", random_secret());
        let webhook_secret = random_secret();
        let merchant = merchant::ActiveModel {
            id: Set(id),
            name: Set(name.to_owned()),
            key_hash: Set(hash(&api_key)),
            webhook_secret: Set(webhook_secret.clone()),
            settlement_wallet_id: Set(wallet.wallet_id),
            settlement_user_id: Set(wallet.user_id),
            callback_url: Set(new.callback_url),
            active: Set(true),
            created_by: Set(admin_id.to_owned()),
            created_at: Set(self.now()),
        }
        .insert(&self.db)
        .await?;
        tracing::info!(merchant.id = %merchant.id, admin.id = admin_id, "merchant registered");
        Ok(Registered {
            merchant,
            api_key,
            webhook_secret,
        })
    }

    /// The active merchant an `X-Merchant-Key` belongs to.
    pub async fn merchant_by_key(
        &self,
        key: Option<&str>,
    ) -> Result<merchant::Model, TransactionError> {
        let key = key.ok_or(TransactionError::MerchantKeyInvalid)?;
        let id = key
            .strip_prefix(KEY_PREFIX)
            .and_then(|rest| rest.split_once('_'))
            .map(|(id, _)| id)
            .ok_or(TransactionError::MerchantKeyInvalid)?;
        let found = merchant::Entity::find_by_id(id.to_owned())
            .one(&self.db)
            .await?
            .filter(|m| m.active)
            .ok_or(TransactionError::MerchantKeyInvalid)?;
        if bool::from(hash(key).as_bytes().ct_eq(found.key_hash.as_bytes())) {
            Ok(found)
        } else {
            Err(TransactionError::MerchantKeyInvalid)
        }
    }

    /// Issues an invoice VA of `payee` for `amount`.
    pub async fn generate_invoice(
        &self,
        payee: &merchant::Model,
        amount: f64,
        description: Option<String>,
    ) -> Result<invoice::Model, TransactionError> {
        let amount = parse_amount(amount, self.policy.max_amount)?;
        let description = description
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty());
        if description
            .as_ref()
            .is_some_and(|d| d.chars().count() > 200)
        {
            return Err(TransactionError::bad_input(
                "description",
                "`description` must be at most 200 characters.",
            ));
        }
        let now = self.now();
        // Twelve random digits: a clash is rare, and retried.
        for _ in 0..5 {
            let issued = invoice::ActiveModel {
                va_number: Set(VaNumber::generate().as_str().to_owned()),
                merchant_id: Set(payee.id.clone()),
                amount: Set(amount.get()),
                description: Set(description.clone()),
                status: Set("UNPAID".to_owned()),
                transaction_id: Set(None),
                created_at: Set(now),
                expires_at: Set(now + self.policy.invoice_ttl),
                paid_at: Set(None),
            }
            .insert(&self.db)
            .await;
            match issued {
                Ok(issued) => return Ok(issued),
                Err(err) if is_unique_violation(&err) => continue,
                Err(err) => return Err(err.into()),
            }
        }
        Err(TransactionError::Internal(
            "no free VA number after 5 tries".into(),
        ))
    }

    /// An invoice of `payee`.
    pub async fn invoice_of(
        &self,
        payee: &merchant::Model,
        va_number: &str,
    ) -> Result<invoice::Model, TransactionError> {
        invoice::Entity::find_by_id(va_number.to_owned())
            .one(&self.db)
            .await?
            .filter(|i| i.merchant_id == payee.id)
            .ok_or(TransactionError::InvoiceNotFound)
    }

    /// Every merchant, newest first.
    pub async fn merchants(&self) -> Result<Vec<merchant::Model>, TransactionError> {
        Ok(merchant::Entity::find()
            .order_by_desc(merchant::Column::CreatedAt)
            .all(&self.db)
            .await?)
    }

    /// Whether a merchant with this id exists (for admin operations).
    pub async fn merchant(&self, id: &str) -> Result<merchant::Model, TransactionError> {
        merchant::Entity::find()
            .filter(merchant::Column::Id.eq(id))
            .one(&self.db)
            .await?
            .ok_or(TransactionError::MerchantNotFound)
    }
}

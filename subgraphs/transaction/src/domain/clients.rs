//! The services a transaction talks to: the wallet and fraud subgraphs (internal
//! operations, with this service's credential) and the marketplace (the
//! BlackDoctrine order service's GraphQL contract of seed 001).

use platform::Rupiah;
use platform::auth::service::{InternalClient, ServiceCallError, graphql_request};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;

/// A wallet as the transaction service needs to see it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletView {
    pub wallet_id: String,
    pub user_id: String,
    pub status: String,
    pub kind: String,
}

/// A movement posted (or voided) at the wallet.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MovementView {
    /// `APPLIED` or `VOIDED`.
    pub state: String,
    #[serde(default)]
    pub replayed: bool,
}

impl MovementView {
    pub fn applied(&self) -> bool {
        self.state == "APPLIED"
    }
}

/// A money movement to ask the wallet for.
#[derive(Debug, Clone)]
pub struct Movement<'a> {
    pub key: &'a str,
    pub category: &'static str,
    pub amount: Rupiah,
    pub debit: Option<(&'a str, &'a str)>,
    pub credit: Option<(&'a str, Option<&'a str>)>,
}

/// The wallet subgraph's internal operations.
#[derive(Debug, Clone)]
pub struct WalletClient {
    pub url: String,
    pub client: InternalClient,
}

impl WalletClient {
    /// Any wallet by id (scope `wallet:read`).
    pub async fn wallet(&self, wallet_id: &str) -> Result<Option<WalletView>, ServiceCallError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Data {
            internal_wallet: Option<WalletView>,
        }
        let data: Data = self
            .client
            .graphql(
                &self.url,
                "query($w: String!) { internalWallet(walletId: $w) { walletId userId status kind } }",
                json!({ "w": wallet_id }),
            )
            .await?;
        Ok(data.internal_wallet)
    }

    /// Posts `movement` once under its key (scope `wallet:write`).
    pub async fn post(&self, movement: &Movement<'_>) -> Result<MovementView, ServiceCallError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Data {
            post_movement: MovementView,
        }
        let input = json!({
            "idempotencyKey": movement.key,
            "category": movement.category,
            "amount": movement.amount.as_f64(),
            "debitWalletId": movement.debit.map(|d| d.0),
            "debitOwnerId": movement.debit.map(|d| d.1),
            "creditWalletId": movement.credit.map(|c| c.0),
            "creditOwnerId": movement.credit.and_then(|c| c.1),
            "reference": movement.key,
        });
        let data: Data = self
            .client
            .graphql(
                &self.url,
                "mutation($i: MovementInput!) { postMovement(input: $i) { state replayed } }",
                json!({ "i": input }),
            )
            .await?;
        Ok(data.post_movement)
    }

    /// The movement posted or voided under `key`, if any.
    pub async fn movement(&self, key: &str) -> Result<Option<MovementView>, ServiceCallError> {
        #[derive(Deserialize)]
        struct Data {
            movement: Option<MovementView>,
        }
        let data: Data = self
            .client
            .graphql(
                &self.url,
                "query($k: String!) { movement(idempotencyKey: $k) { state } }",
                json!({ "k": key }),
            )
            .await?;
        Ok(data.movement)
    }

    /// Settles the key for good: posted, or voided so it never will be.
    pub async fn void(&self, key: &str) -> Result<MovementView, ServiceCallError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Data {
            void_movement: MovementView,
        }
        let data: Data = self
            .client
            .graphql(
                &self.url,
                "mutation($k: String!) { voidMovement(idempotencyKey: $k) { state } }",
                json!({ "k": key }),
            )
            .await?;
        Ok(data.void_movement)
    }

    /// Makes a wallet a merchant's settlement wallet.
    pub async fn designate_merchant(
        &self,
        wallet_id: &str,
    ) -> Result<WalletView, ServiceCallError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Data {
            designate_merchant_wallet: WalletView,
        }
        let data: Data = self
            .client
            .graphql(
                &self.url,
                "mutation($w: String!) { designateMerchantWallet(walletId: $w) { walletId userId status kind } }",
                json!({ "w": wallet_id }),
            )
            .await?;
        Ok(data.designate_merchant_wallet)
    }
}

/// A fraud verdict.
#[derive(Debug, Clone, Deserialize)]
pub struct Verdict {
    pub is_fraud: bool,
    /// `SAFE`, `SUSPICIOUS` or `FRAUD`.
    pub status: String,
    pub reason: Option<String>,
}

/// The fraud subgraph's check.
#[derive(Debug, Clone)]
pub struct FraudClient {
    pub url: String,
    pub client: InternalClient,
}

impl FraudClient {
    /// Asks whether `user_id` may move `amount` in transaction `transaction_id`.
    pub async fn check(
        &self,
        user_id: &str,
        amount: Rupiah,
        transaction_id: &str,
        kind: &str,
    ) -> Result<Verdict, ServiceCallError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Data {
            check_fraud: Verdict,
        }
        let data: Data = self
            .client
            .graphql(
                &self.url,
                "mutation($u: String!, $a: Float!, $t: String!, $k: String!) {
                    checkFraud(userId: $u, amount: $a, transactionId: $t, transactionType: $k) {
                        is_fraud status reason
                    }
                }",
                json!({ "u": user_id, "a": amount.as_f64(), "t": transaction_id, "k": kind }),
            )
            .await?;
        Ok(data.check_fraud)
    }
}

/// An order of the marketplace, as `getOrderByVA` returns it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub total_harga: f64,
    #[serde(default)]
    pub payment_status: Option<String>,
}

/// The marketplace's order service (seed 001's BlackDoctrine contract:
/// `getOrderByVA(vaNumber) { totalHarga }` and `updatePaymentStatus(vaNumber, status):
/// Boolean`).
#[derive(Debug, Clone)]
pub struct MarketplaceClient {
    pub url: String,
    pub token: Option<SecretString>,
    pub http: reqwest::Client,
}

impl MarketplaceClient {
    /// The order billed to `va_number`, if the marketplace knows it.
    pub async fn order_by_va(&self, va_number: &str) -> Result<Option<Order>, ServiceCallError> {
        #[derive(Deserialize)]
        struct Data {
            #[serde(rename = "getOrderByVA")]
            get_order_by_va: Option<Order>,
        }
        let data: Data = graphql_request(
            &self.http,
            &self.url,
            self.token.as_ref().map(|t| t.expose_secret()),
            "query($va: String!) { getOrderByVA(vaNumber: $va) { totalHarga paymentStatus } }",
            &json!({ "va": va_number }),
        )
        .await?;
        Ok(data.get_order_by_va)
    }

    /// Tells the marketplace the VA is paid; `true` when it acknowledged.
    pub async fn update_payment_status(
        &self,
        va_number: &str,
        status: &str,
    ) -> Result<bool, ServiceCallError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Data {
            update_payment_status: Option<bool>,
        }
        let data: Data = graphql_request(
            &self.http,
            &self.url,
            self.token.as_ref().map(|t| t.expose_secret()),
            "mutation($va: String!, $s: String!) { updatePaymentStatus(vaNumber: $va, status: $s) }",
            &json!({ "va": va_number, "s": status }),
        )
        .await?;
        Ok(data.update_payment_status == Some(true))
    }
}

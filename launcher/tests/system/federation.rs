//! One query across subgraphs: the profile from auth, the wallets from wallet, the
//! transactions from transaction (each with its wallet from wallet again) and the
//! history from history.

use serde_json::json;

use crate::helpers::{eventually, start};

#[tokio::test]
async fn one_query_reads_profile_wallets_transactions_and_history() {
    let system = start().await;
    let token = system.customer("hinata").await;
    let wallet = system.open_wallet(&token, "Belanja").await;
    let savings = system.open_wallet(&token, "Tabungan").await;
    for (target, amount) in [(&wallet, 250_000), (&savings, 40_000)] {
        let body = system
            .create(
                &token,
                json!({ "walletId": target, "amount": amount, "type": "DEPOSIT" }),
            )
            .await;
        assert_eq!(body["data"]["createTransaction"]["status"], "SUCCESS");
    }
    let transfer = system
        .create(
            &token,
            json!({ "walletId": wallet, "amount": 50_000, "type": "TRANSFER", "toWalletId": savings }),
        )
        .await;
    assert_eq!(
        transfer["data"]["createTransaction"]["status"], "SUCCESS",
        "{transfer}"
    );

    let query = r#"{
  myProfile {
    username
    wallets { walletName balance }
    transactions { type amount status wallet { walletName balance } }
    history { type direction amount }
  }
}"#;
    let profile = eventually("the history has caught up", || async {
        let data = system.data(Some(&token), query, json!({})).await;
        let entries = data["myProfile"]["history"].as_array().map_or(0, Vec::len);
        // Two deposits, and the transfer seen from both of the user's wallets.
        (entries == 4).then_some(data)
    })
    .await;
    assert_eq!(
        profile["myProfile"],
        json!({
            "username": "hinata",
            "wallets": [
                { "walletName": "Belanja", "balance": 200_000.0 },
                { "walletName": "Tabungan", "balance": 90_000.0 },
            ],
            "transactions": [
                { "type": "TRANSFER", "amount": 50_000.0, "status": "SUCCESS",
                  "wallet": { "walletName": "Belanja", "balance": 200_000.0 } },
                { "type": "DEPOSIT", "amount": 40_000.0, "status": "SUCCESS",
                  "wallet": { "walletName": "Tabungan", "balance": 90_000.0 } },
                { "type": "DEPOSIT", "amount": 250_000.0, "status": "SUCCESS",
                  "wallet": { "walletName": "Belanja", "balance": 200_000.0 } },
            ],
            "history": [
                { "type": "TRANSFER", "direction": "CREDIT", "amount": 50_000.0 },
                { "type": "TRANSFER", "direction": "DEBIT", "amount": 50_000.0 },
                { "type": "DEPOSIT", "direction": "CREDIT", "amount": 40_000.0 },
                { "type": "DEPOSIT", "direction": "CREDIT", "amount": 250_000.0 },
            ],
        }),
        "{profile}"
    );
    system.stop().await;
}

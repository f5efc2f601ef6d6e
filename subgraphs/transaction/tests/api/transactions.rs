//! Deposits, transfers and the rules every transaction follows: ownership, amounts,
//! fraud, limits — each refusal with its code, nothing moved.

use serde_json::json;

use crate::helpers::{Options, outcome, spawn_system, spawn_system_with, user};

#[tokio::test]
async fn a_deposit_credits_the_payers_own_wallet() {
    let system = spawn_system().await;
    let naruto = user("naruto");
    let wallet = system.open_wallet(&naruto).await;
    let body = system
        .create(
            &naruto,
            json!({ "walletId": wallet, "amount": 500000, "type": "DEPOSIT" }),
        )
        .await;
    let created = &body["data"]["createTransaction"];
    assert_eq!(created["status"], "SUCCESS", "{body}");
    assert_eq!(created["type"], "DEPOSIT");
    assert_eq!(created["amount"], 500000.0);
    assert_eq!(created["userId"], "naruto");
    assert_eq!(system.balance(&wallet).await, 500_000);

    let listed = system
        .graphql(
            Some(&naruto),
            "{ myTransactions { transactionId status amount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["data"]["myTransactions"],
        json!([{ "transactionId": created["transactionId"], "status": "SUCCESS", "amount": 500000.0 }])
    );
}

#[tokio::test]
async fn a_transfer_debits_the_payer_and_credits_the_recipient_together() {
    let system = spawn_system().await;
    let (naruto, from) = system.funded_user("naruto", 300_000).await;
    let to = system.open_wallet(&user("sasuke")).await;
    let body = system
        .create(
            &naruto,
            json!({ "walletId": from, "amount": 120000, "type": "TRANSFER", "toWalletId": to }),
        )
        .await;
    assert_eq!(
        body["data"]["createTransaction"]["status"], "SUCCESS",
        "{body}"
    );
    assert_eq!(body["data"]["createTransaction"]["toWalletId"], to.as_str());
    assert_eq!(system.balance(&from).await, 180_000);
    assert_eq!(system.balance(&to).await, 120_000);
}

#[tokio::test]
async fn another_users_wallet_cannot_be_spent_or_deposited_into() {
    let system = spawn_system().await;
    let (_, victim) = system.funded_user("naruto", 300_000).await;
    let (thief, own) = system.funded_user("orochimaru", 0).await;
    for input in [
        json!({ "walletId": victim, "amount": 100000, "type": "TRANSFER", "toWalletId": own }),
        json!({ "walletId": victim, "amount": 100000, "type": "DEPOSIT" }),
    ] {
        let body = system.create(&thief, input).await;
        assert_eq!(outcome(&body), "NOT_FOUND", "{body}");
    }
    assert_eq!(system.balance(&victim).await, 300_000);
    assert_eq!(system.balance(&own).await, 0);
    let recorded = system.transactions().await;
    assert_eq!(
        recorded.len(),
        1,
        "only the victim's deposit: nothing was recorded"
    );
}

#[tokio::test]
async fn amounts_that_are_not_positive_whole_rupiah_change_nothing() {
    let system = spawn_system().await;
    let (naruto, wallet) = system.funded_user("naruto", 10_000).await;
    for amount in [json!(0), json!(-500), json!(10.5), json!(100_000_001)] {
        let body = system
            .create(
                &naruto,
                json!({ "walletId": wallet, "amount": amount, "type": "DEPOSIT" }),
            )
            .await;
        assert_eq!(outcome(&body), "BAD_USER_INPUT", "{amount}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "amount");
    }
    assert_eq!(system.balance(&wallet).await, 10_000);
    assert_eq!(system.transactions().await.len(), 1);
}

#[tokio::test]
async fn the_shape_of_a_transaction_is_checked_before_anything_happens() {
    let system = spawn_system().await;
    let (naruto, wallet) = system.funded_user("naruto", 10_000).await;
    for (input, field) in [
        (
            json!({ "walletId": wallet, "amount": 1000, "type": "PAYMENT" }),
            "vaNumber",
        ),
        (
            json!({ "walletId": wallet, "amount": 1000, "type": "TRANSFER" }),
            "toWalletId",
        ),
        (
            json!({ "walletId": wallet, "amount": 1000, "type": "TRANSFER", "toWalletId": wallet }),
            "toWalletId",
        ),
        (
            json!({ "walletId": wallet, "amount": 1000, "type": "DEPOSIT", "vaNumber": "DS-8800000000000001" }),
            "vaNumber",
        ),
    ] {
        let body = system.create(&naruto, input).await;
        assert_eq!(outcome(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field);
    }
    let anonymous = system
        .graphql(
            None,
            "mutation($w: String!) { createTransaction(input: { walletId: $w, amount: 1, type: DEPOSIT }) { status } }",
            json!({ "w": wallet }),
        )
        .await;
    assert_eq!(outcome(&anonymous), "UNAUTHENTICATED");
    assert_eq!(system.transactions().await.len(), 1);
}

#[tokio::test]
async fn a_transfer_to_a_wallet_that_does_not_exist_is_not_found() {
    let system = spawn_system().await;
    let (naruto, wallet) = system.funded_user("naruto", 10_000).await;
    let body = system
        .create(
            &naruto,
            json!({ "walletId": wallet, "amount": 1000, "type": "TRANSFER", "toWalletId": "nope" }),
        )
        .await;
    assert_eq!(outcome(&body), "NOT_FOUND");
    assert_eq!(system.balance(&wallet).await, 10_000);
}

#[tokio::test]
async fn insufficient_funds_fail_the_transaction_and_it_is_recorded_with_its_reason() {
    let system = spawn_system().await;
    let (naruto, from) = system.funded_user("naruto", 50_000).await;
    let to = system.open_wallet(&user("sasuke")).await;
    let body = system
        .create(
            &naruto,
            json!({ "walletId": from, "amount": 50001, "type": "TRANSFER", "toWalletId": to }),
        )
        .await;
    assert_eq!(outcome(&body), "INSUFFICIENT_FUNDS", "{body}");
    let id = body["errors"][0]["extensions"]["transactionId"]
        .as_str()
        .expect("an id");
    assert_eq!(body["errors"][0]["extensions"]["status"], "FAILED");
    assert_eq!(system.balance(&from).await, 50_000);
    assert_eq!(system.balance(&to).await, 0);
    let listed = system
        .graphql(
            Some(&naruto),
            "query($t: String!) { transaction(transactionId: $t) { status failureCode failureReason } }",
            json!({ "t": id }),
        )
        .await;
    let row = &listed["data"]["transaction"];
    assert_eq!(row["status"], "FAILED", "{listed}");
    assert_eq!(row["failureCode"], "INSUFFICIENT_FUNDS");
    assert!(
        row["failureReason"]
            .as_str()
            .unwrap_or_default()
            .contains("Rp 50.000")
    );
}

#[tokio::test]
async fn a_deposit_over_the_e_money_limit_fails_with_limit_exceeded() {
    let system = spawn_system().await;
    let (naruto, wallet) = system.funded_user("naruto", 1_500_000).await;
    let body = system
        .create(
            &naruto,
            json!({ "walletId": wallet, "amount": 600000, "type": "DEPOSIT" }),
        )
        .await;
    assert_eq!(outcome(&body), "LIMIT_EXCEEDED", "{body}");
    assert_eq!(system.balance(&wallet).await, 1_500_000);
}

#[tokio::test]
async fn fraud_rejects_above_fifty_million_and_the_rejection_is_recorded() {
    let system = spawn_system_with(Options {
        wallet: Box::new(|c| c.wallet.unverified_max_balance = 1_000_000_000),
        ..Options::default()
    })
    .await;
    let naruto = user("naruto");
    let wallet = system.open_wallet(&naruto).await;
    let body = system
        .create(
            &naruto,
            json!({ "walletId": wallet, "amount": 50_000_001, "type": "DEPOSIT" }),
        )
        .await;
    assert_eq!(outcome(&body), "FRAUD_REJECTED", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["status"], "REJECTED");
    assert_eq!(system.balance(&wallet).await, 0);
    // A suspicious amount goes through.
    system.deposit(&naruto, &wallet, 15_000_000).await;
    let logs = crate::helpers::post_fraud_logs(&system).await;
    let statuses: Vec<&str> = logs
        .iter()
        .map(|l| l["status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(statuses, ["SUSPICIOUS", "FRAUD"], "every check is logged");
}

#[tokio::test]
async fn a_user_sees_only_their_own_transactions() {
    let system = spawn_system().await;
    let (naruto, _) = system.funded_user("naruto", 10_000).await;
    let mine = system
        .graphql(
            Some(&naruto),
            "{ myTransactions { transactionId } }",
            json!({}),
        )
        .await;
    let id = mine["data"]["myTransactions"][0]["transactionId"].clone();
    let sasuke = user("sasuke");
    let theirs = system
        .graphql(
            Some(&sasuke),
            "{ myTransactions { transactionId } }",
            json!({}),
        )
        .await;
    assert_eq!(theirs["data"]["myTransactions"], json!([]));
    let direct = system
        .graphql(
            Some(&sasuke),
            "query($t: String!) { transaction(transactionId: $t) { status } }",
            json!({ "t": id }),
        )
        .await;
    assert_eq!(outcome(&direct), "NOT_FOUND");
}

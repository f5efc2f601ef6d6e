//! Seed 001's API guide, as written, through the router: register, sign in, open a
//! wallet, check the balance, deposit, pay a marketplace VA, read the history, and
//! the fraud logs as an admin. Then a merchant's own `DS-8800…` invoice.

use serde_json::{Value, json};

use crate::helpers::{eventually, outcome, start};

#[tokio::test]
async fn the_seed_api_guide_works_through_the_router() {
    let system = start().await;

    // 1. Autentikasi
    let registered = system
        .data(
            None,
            r#"mutation {
  registerUser(
    username: "narto", 
    fullname: "Naruto Uzumaki", 
    email: "naruto@gmail.com", 
    password: "password123"
  )
}"#,
            json!({}),
        )
        .await;
    assert!(registered["registerUser"].is_string(), "{registered}");
    let login = system
        .data(
            None,
            r#"mutation {
  loginUser(email: "naruto@gmail.com", password: "password123") {
    access_token
    user {
      username
      role
    }
  }
}"#,
            json!({}),
        )
        .await;
    assert_eq!(login["loginUser"]["user"]["username"], "narto");
    let token = login["loginUser"]["access_token"]
        .as_str()
        .expect("a token")
        .to_owned();

    // 2. Manajemen Dompet
    let created = system
        .data(
            Some(&token),
            r#"mutation {
  createWallet(walletName: "Tabungan Utama") {
    walletId
    walletName
    balance
    status
  }
}"#,
            json!({}),
        )
        .await;
    assert_eq!(
        created["createWallet"]["walletName"], "Tabungan Utama",
        "{created}"
    );
    assert_eq!(created["createWallet"]["balance"], 0.0);
    assert_eq!(created["createWallet"]["status"], "ACTIVE");
    let wallet = created["createWallet"]["walletId"]
        .as_str()
        .expect("a wallet id")
        .to_owned();
    let balance = r#"query {
  myWallets {
    walletName
    balance
    status
  }
}"#;
    let wallets = system.data(Some(&token), balance, json!({})).await;
    assert_eq!(
        wallets["myWallets"],
        json!([{ "walletName": "Tabungan Utama", "balance": 0.0, "status": "ACTIVE" }])
    );

    // 3. Transaksi: top up, then pay a marketplace order's VA.
    let deposit = system
        .data(
            Some(&token),
            &format!(
                r#"mutation {{
  createTransaction(input: {{
    walletId: "{wallet}",
    amount: 500000,
    type: DEPOSIT
  }}) {{
    transactionId
    status
    amount
    createdAt
  }}
}}"#
            ),
            json!({}),
        )
        .await;
    assert_eq!(deposit["createTransaction"]["status"], "SUCCESS");
    assert_eq!(deposit["createTransaction"]["amount"], 500_000.0);

    let (va, total) = system.marketplace.order(2).await;
    let payment = system
        .data(
            Some(&token),
            &format!(
                r#"mutation {{
  createTransaction(input: {{
    walletId: "{wallet}",
    amount: {total},
    type: PAYMENT,
    vaNumber: "{va}"
  }}) {{
    transactionId
    status
    vaNumber
  }}
}}"#
            ),
            json!({}),
        )
        .await;
    assert_eq!(
        payment["createTransaction"],
        json!({
            "transactionId": payment["createTransaction"]["transactionId"],
            "status": "SUCCESS",
            "vaNumber": va,
        })
    );
    // The marketplace is told (`updatePaymentStatus(vaNumber, "PROCESSED")`).
    eventually("the marketplace order is paid", || async {
        let order = system.marketplace.order_by_va(&va)?;
        (order.payment_status.as_deref() == Some("PAID")).then_some(order)
    })
    .await;
    let wallets = system.data(Some(&token), balance, json!({})).await;
    assert_eq!(
        wallets["myWallets"][0]["balance"],
        json!(500_000.0 - total as f64)
    );

    // 4. Riwayat, filled from the transaction events.
    let history = eventually("both transactions in the history", || async {
        let data = system
            .data(
                Some(&token),
                r#"query cekHistori{
  myHistory {
    historyId
    transactionId
    amount
    type
    status
    createdAt
  }
}"#,
                json!({}),
            )
            .await;
        let entries = data["myHistory"].as_array().cloned().unwrap_or_default();
        (entries.len() == 2).then_some(entries)
    })
    .await;
    let kinds: Vec<(&Value, &Value)> = history.iter().map(|h| (&h["type"], &h["status"])).collect();
    assert_eq!(
        kinds,
        vec![
            (&json!("PAYMENT"), &json!("SUCCESS")),
            (&json!("DEPOSIT"), &json!("SUCCESS"))
        ],
        "newest first"
    );
    assert_eq!(
        history[0]["transactionId"],
        payment["createTransaction"]["transactionId"]
    );

    // 5. Admin & Fraud: the logs are the admin's only.
    let fraud_logs = r#"query {
  getFraudLogs {
    logId
    userId
    amount
    status
    reason
  }
}"#;
    let refused = system.graphql(Some(&token), fraud_logs, json!({})).await;
    assert_eq!(outcome(&refused), "FORBIDDEN", "{refused}");
    let admin = system.admin().await;
    let logs = system.data(Some(&admin), fraud_logs, json!({})).await;
    let logs = logs["getFraudLogs"].as_array().expect("a list").clone();
    let amounts: Vec<f64> = logs
        .iter()
        .map(|l| l["amount"].as_f64().expect("an amount"))
        .collect();
    assert_eq!(amounts, vec![total as f64, 500_000.0], "every check logged");
    assert!(logs.iter().all(|l| l["status"] == "SAFE"), "{logs:?}");

    system.stop().await;
}

#[tokio::test]
async fn a_merchant_invoice_is_issued_and_paid_through_the_router() {
    let system = start().await;
    let owner = system.customer("tokoku").await;
    let settlement = system.open_wallet(&owner, "Kas Toko").await;
    let admin = system.admin().await;
    let registered = system
        .data(
            Some(&admin),
            "mutation($i: MerchantInput!) { registerMerchant(input: $i) { apiKey merchant { name } } }",
            json!({ "i": { "name": "Toko Sawit", "settlementWalletId": settlement } }),
        )
        .await;
    let key = registered["registerMerchant"]["apiKey"]
        .as_str()
        .expect("an API key")
        .to_owned();

    // The merchant's key travels through the router as `X-Merchant-Key`.
    let issue = |key: String| {
        let system = &system;
        async move {
            system
                .graphql_with(
                    None,
                    &[("x-merchant-key", &key)],
                    "mutation { generateInvoiceVA(amount: 75000, description: \"Pupuk 2 karung\") }",
                    json!({}),
                )
                .await
        }
    };
    let forged = issue(format!("{key}x")).await;
    assert_eq!(outcome(&forged), "UNAUTHENTICATED", "{forged}");
    let issued = issue(key.clone()).await;
    let va = issued["data"]["generateInvoiceVA"]
        .as_str()
        .unwrap_or_else(|| panic!("a VA: {issued}"))
        .to_owned();
    assert!(va.starts_with("DS-8800"), "{va}");

    let payer = system.customer("sakura").await;
    let wallet = system.open_wallet(&payer, "Dompet").await;
    let funded = system
        .create(
            &payer,
            json!({ "walletId": wallet, "amount": 100_000, "type": "DEPOSIT" }),
        )
        .await;
    assert_eq!(funded["data"]["createTransaction"]["status"], "SUCCESS");
    let pay = json!({ "walletId": wallet, "amount": 75_000, "type": "PAYMENT", "vaNumber": va });
    let paid = system.create(&payer, pay.clone()).await;
    assert_eq!(
        paid["data"]["createTransaction"]["status"], "SUCCESS",
        "{paid}"
    );
    let again = system
        .create(&payer, json!({ "walletId": wallet, "amount": 75_000, "type": "PAYMENT", "vaNumber": va, "idempotencyKey": "second-try" }))
        .await;
    assert_eq!(outcome(&again), "CONFLICT", "paid once: {again}");

    assert_eq!(system.balance(&payer, &wallet).await, 25_000.0);
    assert_eq!(system.balance(&owner, &settlement).await, 75_000.0);
    let invoice = system
        .graphql_with(
            None,
            &[("x-merchant-key", &key)],
            "query($va: String!) { invoice(vaNumber: $va) { status amount } }",
            json!({ "va": va }),
        )
        .await;
    assert_eq!(
        invoice["data"]["invoice"],
        json!({ "status": "PAID", "amount": 75_000.0 })
    );
    system.stop().await;
}

//! Notifications through the whole system: the OTP auth sends reaches the sink
//! once and verifies; a payment shows in the payer's notifications, also
//! through the `User` entity.

use serde_json::{Value, json};

use crate::helpers::{eventually, start};

#[tokio::test]
async fn the_otp_auth_sends_at_registration_arrives_once_in_indonesian_and_its_code_verifies() {
    let system = start().await;
    // Registering asks auth for an email verification code.
    let token = system.customer("naruto").await;
    let email = eventually("the OTP email in the sink", || async {
        let sink = system.sink();
        (!sink.is_empty()).then_some(sink)
    })
    .await;
    assert_eq!(email.len(), 1, "{email:?}");
    let email = &email[0];
    assert_eq!(email["channel"], "EMAIL");
    assert_eq!(email["destination"], "naruto@example.com");
    assert_eq!(email["subject"], "Kode verifikasi Dompet Sawit");
    let body = email["body"].as_str().expect("a body");
    assert!(body.contains("Kode verifikasi Anda: "), "{body}");
    let code: String = body
        .split("Kode verifikasi Anda: ")
        .nth(1)
        .expect("the code line")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert_eq!(code.len(), 6, "{body}");

    let verified = system
        .data(
            Some(&token),
            "mutation($c: String!) { verifyOtp(channel: EMAIL, code: $c) { email } }",
            json!({ "c": code }),
        )
        .await;
    assert_eq!(verified["verifyOtp"]["email"], "naruto@example.com");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(system.sink().len(), 1, "one message for one OTP");
    system.stop().await;
}

#[tokio::test]
async fn a_payment_shows_in_the_payers_notifications_and_their_profile() {
    let system = start().await;
    let token = system.customer("naruto").await;
    let wallet = system.open_wallet(&token, "Tabungan").await;
    let deposit = system
        .create(
            &token,
            json!({ "walletId": wallet, "amount": 100_000, "type": "DEPOSIT" }),
        )
        .await;
    assert_eq!(
        deposit["data"]["createTransaction"]["status"], "SUCCESS",
        "{deposit}"
    );
    let (va, total) = system.marketplace.order(1).await;
    let paid = system
        .create(
            &token,
            json!({ "walletId": wallet, "amount": total, "type": "PAYMENT", "vaNumber": va }),
        )
        .await;
    assert_eq!(
        paid["data"]["createTransaction"]["status"], "SUCCESS",
        "{paid}"
    );
    let transaction_id = paid["data"]["createTransaction"]["transactionId"].clone();

    let page: Value = eventually("the payment's notification", || async {
        let data = system
            .data(
                Some(&token),
                "{ myNotifications { notifications { notificationId code title body read } unreadCount } }",
                json!({}),
            )
            .await;
        let page = data["myNotifications"].clone();
        (page["unreadCount"] == 1).then_some(page)
    })
    .await;
    let first = &page["notifications"][0];
    assert_eq!(first["code"], "PAYMENT_SUCCESS");
    assert_eq!(first["title"], "Pembayaran berhasil");
    let body = first["body"].as_str().expect("a body");
    assert!(
        body.contains(transaction_id.as_str().expect("an id")),
        "{body}"
    );

    let read = system
        .data(
            Some(&token),
            "mutation($id: String!) { markNotificationRead(notificationId: $id) { read } }",
            json!({ "id": first["notificationId"] }),
        )
        .await;
    assert_eq!(read["markNotificationRead"]["read"], true);
    let profile = system
        .data(
            Some(&token),
            "{ myProfile { username notifications { code read } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        profile["myProfile"],
        json!({ "username": "naruto", "notifications": [{ "code": "PAYMENT_SUCCESS", "read": true }] }),
        "{profile}"
    );
    system.stop().await;
}

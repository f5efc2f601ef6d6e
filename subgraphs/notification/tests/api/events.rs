//! Events become messages once per (event, channel), on every bus.

use notification::domain::{REDACTED, state};
use platform::testing::{clean_up_bus, event_buses};
use serde_json::json;

use crate::helpers::{event, otp, payment, spawn_app, spawn_app_on, user};

#[tokio::test]
async fn an_otp_arrives_in_the_sink_once_with_its_code_in_indonesian_on_every_bus() {
    for bus in event_buses().await {
        let app = spawn_app_on(bus.clone()).await;
        let requested = otp("naruto", "PHONE", "+6281234567890", "042137");
        // Delivered three times (at least once): one message.
        for _ in 0..3 {
            app.publish(&requested).await;
        }
        let sink = app.wait_for_sink(1).await;
        // Give duplicates time to show if they were going to.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let sink = if sink.len() == 1 {
            app.wait_for_sink(1).await
        } else {
            sink
        };
        assert_eq!(sink.len(), 1, "on {}: {sink:?}", bus.kind());
        let sms = &sink[0];
        assert_eq!(sms["channel"], "SMS");
        assert_eq!(sms["destination"], "+6281234567890");
        assert_eq!(sms["template_code"], "OTP_VERIFICATION");
        let body = sms["body"].as_str().expect("a body");
        assert!(body.contains("kode verifikasi Anda 042137"), "{body}");
        assert!(body.contains("21/11/2026 10:05 WIB"), "{body}");
        let rows = app.messages().await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].status, state::SENT);
        assert_eq!(rows[0].attempts, 1);
        assert_eq!(rows[0].body, REDACTED, "a sent OTP is not kept readable");
        assert!(!rows[0].variables.to_string().contains("042137"));
        clean_up_bus(&bus).await;
    }
}

#[tokio::test]
async fn an_otp_by_email_has_a_subject_and_the_users_name() {
    let app = spawn_app().await;
    app.publish(&otp("naruto", "EMAIL", "naruto@konoha.id", "777111"))
        .await;
    let sink = app.wait_for_sink(1).await;
    assert_eq!(sink[0]["channel"], "EMAIL");
    assert_eq!(sink[0]["destination"], "naruto@konoha.id");
    assert_eq!(sink[0]["subject"], "Kode verifikasi Dompet Sawit");
    let body = sink[0]["body"].as_str().expect("a body");
    assert!(body.starts_with("Halo Naruto Uzumaki,"), "{body}");
    assert!(body.contains("777111"), "{body}");
}

#[tokio::test]
async fn a_payment_becomes_an_in_app_notification_once() {
    let app = spawn_app().await;
    let naruto = user("naruto");
    let paid = payment("naruto", "trx-1", 1_250_000);
    app.publish(&paid).await;
    app.publish(&paid).await;
    let page = app.wait_for_notifications(&naruto, 1).await;
    assert_eq!(
        page["notifications"].as_array().map(Vec::len),
        Some(1),
        "{page}"
    );
    let first = &page["notifications"][0];
    assert_eq!(first["code"], "PAYMENT_SUCCESS");
    assert_eq!(first["title"], "Pembayaran berhasil");
    assert_eq!(
        first["body"],
        "Pembayaran Rp 1.250.000 berhasil. ID transaksi: trx-1."
    );
    assert_eq!(first["read"], false);
    assert_eq!(page["unreadCount"], 1);
    assert!(
        app.wait_for_sink(0).await.is_empty(),
        "in-app messages go to no sink"
    );
}

#[tokio::test]
async fn an_event_of_the_wrong_shape_makes_nothing() {
    let app = spawn_app().await;
    app.publish(&event(
        "auth.otp.requested",
        "auth",
        json!({ "user_id": 5 }),
    ))
    .await;
    // A good one after it is still handled.
    app.publish(&otp("naruto", "PHONE", "+6281234567890", "123456"))
        .await;
    app.wait_for_sink(1).await;
    assert_eq!(app.messages().await.len(), 1);
}

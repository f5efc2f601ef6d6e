//! `myNotifications`, `markNotificationRead`, `User.notifications`, and the admins'
//! templates.

use platform::testing::error_code;
use serde_json::json;

use crate::helpers::{admin, payment, spawn_app, user};

#[tokio::test]
async fn a_user_pages_through_their_notifications_and_marks_one_read() {
    let app = spawn_app().await;
    let naruto = user("naruto");
    for i in 0..3 {
        app.publish(&payment("naruto", &format!("trx-{i}"), 10_000 + i))
            .await;
    }
    app.publish(&payment("sasuke", "trx-s", 5_000)).await;
    let all = app.wait_for_notifications(&naruto, 3).await;
    assert_eq!(all["unreadCount"], 3);
    assert_eq!(
        all["notifications"][0]["body"], "Pembayaran Rp 10.002 berhasil. ID transaksi: trx-2.",
        "newest first: {all}"
    );

    let query = "query($after: String) { myNotifications(first: 2, after: $after) { notifications { notificationId } hasNextPage endCursor } }";
    let first = app.graphql(Some(&naruto), query, json!({})).await;
    let page = &first["data"]["myNotifications"];
    assert_eq!(page["hasNextPage"], true, "{first}");
    let rest = app
        .graphql(Some(&naruto), query, json!({ "after": page["endCursor"] }))
        .await;
    let rest = &rest["data"]["myNotifications"];
    assert_eq!(rest["hasNextPage"], false);
    assert_eq!(
        rest["notifications"][0]["notificationId"],
        all["notifications"][2]["notificationId"]
    );

    let id = all["notifications"][1]["notificationId"].clone();
    let mark =
        "mutation($id: String!) { markNotificationRead(notificationId: $id) { read readAt } }";
    let read = app.graphql(Some(&naruto), mark, json!({ "id": id })).await;
    assert_eq!(read["data"]["markNotificationRead"]["read"], true, "{read}");
    let again = app.graphql(Some(&naruto), mark, json!({ "id": id })).await;
    assert_eq!(
        again["data"]["markNotificationRead"]["readAt"],
        read["data"]["markNotificationRead"]["readAt"],
        "the first read counts"
    );
    let now = app.wait_for_notifications(&naruto, 3).await;
    assert_eq!(now["unreadCount"], 2);

    // Someone else's, or none at all: the same answer, and nothing changes.
    let sasuke = user("sasuke");
    let theirs = app
        .graphql(
            Some(&sasuke),
            mark,
            json!({ "id": all["notifications"][0]["notificationId"] }),
        )
        .await;
    assert_eq!(error_code(&theirs), "NOT_FOUND", "{theirs}");
    assert_eq!(
        app.wait_for_notifications(&naruto, 3).await["unreadCount"],
        2
    );
    let anonymous = app.graphql(None, mark, json!({ "id": id })).await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
    let garbage = app
        .graphql(Some(&naruto), query, json!({ "after": "not-a-cursor" }))
        .await;
    assert_eq!(error_code(&garbage), "BAD_USER_INPUT");
}

#[tokio::test]
async fn the_user_entity_has_the_users_own_notifications_only() {
    let app = spawn_app().await;
    app.publish(&payment("naruto", "trx-1", 10_000)).await;
    let naruto = user("naruto");
    app.wait_for_notifications(&naruto, 1).await;
    let query = r#"query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { user_id notifications { code } } } }"#;
    let reps = json!({ "reps": [{ "__typename": "User", "user_id": "naruto" }] });
    let own = app.graphql(Some(&naruto), query, reps.clone()).await;
    assert_eq!(
        own["data"]["_entities"][0]["notifications"],
        json!([{ "code": "PAYMENT_SUCCESS" }]),
        "{own}"
    );
    let other = app.graphql(Some(&user("sasuke")), query, reps).await;
    assert_eq!(other["data"]["_entities"][0]["notifications"], json!(null));
}

#[tokio::test]
async fn only_an_admin_edits_templates_and_only_well_formed_ones() {
    let app = spawn_app().await;
    let edit = "mutation($code: String!, $channel: String!, $subject: String, $body: String!) {
        updateNotificationTemplate(code: $code, channel: $channel, subject: $subject, body: $body) { code channel body updatedBy }
    }";
    let sms = |body: &str| json!({ "code": "OTP_VERIFICATION", "channel": "SMS", "body": body });
    let user_tried = app
        .graphql(Some(&user("naruto")), edit, sms("Kode: {{code}}"))
        .await;
    assert_eq!(error_code(&user_tried), "FORBIDDEN");

    let admin = admin();
    for (vars, field) in [
        (sms("Kode: {{code"), "body"),
        (sms("   "), "body"),
        (
            json!({ "code": "OTP_VERIFICATION", "channel": "FAX", "body": "x" }),
            "channel",
        ),
        (
            json!({ "code": "OTP_VERIFICATION", "channel": "SMS", "subject": "Hai", "body": "x" }),
            "subject",
        ),
        (
            json!({ "code": "PAYMENT_SUCCESS", "channel": "IN_APP", "body": "x" }),
            "subject",
        ),
    ] {
        let refused = app.graphql(Some(&admin), edit, vars).await;
        assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{refused}");
        assert_eq!(
            refused["errors"][0]["extensions"]["field"], field,
            "{refused}"
        );
    }
    let unknown = app
        .graphql(
            Some(&admin),
            edit,
            json!({ "code": "NO_SUCH", "channel": "SMS", "body": "x" }),
        )
        .await;
    assert_eq!(error_code(&unknown), "NOT_FOUND");

    let saved = app
        .graphql(Some(&admin), edit, sms("Kode OTP: {{code}}"))
        .await;
    assert_eq!(
        saved["data"]["updateNotificationTemplate"],
        json!({ "code": "OTP_VERIFICATION", "channel": "SMS", "body": "Kode OTP: {{code}}", "updatedBy": "admin-1" }),
        "{saved}"
    );
    let listed = app
        .graphql(
            Some(&admin),
            "{ notificationTemplates { code channel } }",
            json!({}),
        )
        .await;
    assert!(
        listed["data"]["notificationTemplates"]
            .as_array()
            .is_some_and(|t| t.len() >= 18),
        "{listed}"
    );
    let not_admin = app
        .graphql(
            Some(&user("naruto")),
            "{ notificationTemplates { code } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&not_admin), "FORBIDDEN");
}

#[tokio::test]
async fn a_user_turns_a_channel_off_but_still_gets_security_messages() {
    let app = spawn_app().await;
    let naruto = user("naruto");
    let set = "mutation($c: String!, $on: Boolean!) { setNotificationPreference(channel: $c, enabled: $on) { channel enabled } }";
    for channel in ["IN_APP", "SMS", "EMAIL"] {
        let off = app
            .graphql(Some(&naruto), set, json!({ "c": channel, "on": false }))
            .await;
        assert_eq!(
            off["data"]["setNotificationPreference"],
            json!({ "channel": channel, "enabled": false }),
            "{off}"
        );
    }
    let listed = app
        .graphql(
            Some(&naruto),
            "{ myNotificationPreferences { channel enabled } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["data"]["myNotificationPreferences"],
        json!([
            { "channel": "EMAIL", "enabled": false }, { "channel": "SMS", "enabled": false },
            { "channel": "WHATSAPP", "enabled": true }, { "channel": "IN_APP", "enabled": false }
        ])
    );

    // A payment is not shown in-app; the OTP still comes by SMS.
    app.publish(&payment("naruto", "trx-1", 10_000)).await;
    app.publish(&crate::helpers::otp(
        "naruto",
        "PHONE",
        "+6281234567890",
        "042137",
    ))
    .await;
    let sink = app.wait_for_sink(1).await;
    assert_eq!(sink[0]["channel"], "SMS");
    // The two events have consumers of their own: wait for both messages.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let rows = loop {
        let rows = app.messages().await;
        if rows.len() == 2 || tokio::time::Instant::now() > deadline {
            break rows;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let skipped: Vec<&str> = rows
        .iter()
        .filter(|m| m.status == "SKIPPED")
        .map(|m| m.template_code.as_str())
        .collect();
    assert_eq!(skipped, ["PAYMENT_SUCCESS"], "{rows:?}");
    let page = app
        .graphql(
            Some(&naruto),
            "{ myNotifications { notifications { code } unreadCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        page["data"]["myNotifications"],
        json!({ "notifications": [], "unreadCount": 0 })
    );

    // On again: the next payment shows.
    app.graphql(Some(&naruto), set, json!({ "c": "IN_APP", "on": true }))
        .await;
    app.publish(&payment("naruto", "trx-2", 20_000)).await;
    let shown = app.wait_for_notifications(&naruto, 1).await;
    assert_eq!(shown["notifications"].as_array().map(Vec::len), Some(1));

    let bad = app
        .graphql(Some(&naruto), set, json!({ "c": "PIGEON", "on": false }))
        .await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT");
    let anonymous = app
        .graphql(None, set, json!({ "c": "SMS", "on": false }))
        .await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

//! Delivery: retries with backoff, DEAD after the last attempt, an admin's resend
//! (once, however many ask), and messages whose template cannot be rendered.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::future::join_all;
use notification::domain::channels::Sink;
use notification::domain::{Channels, Outgoing, SendError, Sender, state};
use platform::events::{EventBus, InProcessBus};
use platform::testing::error_code;
use serde_json::{Value, json};

use crate::helpers::{TestApp, admin, otp, payment, spawn_app, spawn_app_with, user};

/// A provider that refuses the first `failures` messages it is given, then passes
/// them on to the sink.
pub struct Flaky {
    failures: AtomicUsize,
    calls: AtomicUsize,
    sink: Sink,
}

impl Flaky {
    pub fn always_failing(sink: &std::path::Path) -> Self {
        Self {
            failures: AtomicUsize::new(usize::MAX),
            calls: AtomicUsize::new(0),
            sink: Sink::new(sink),
        }
    }
}

impl Sender for Flaky {
    fn send<'a>(
        &'a self,
        message: &'a Outgoing,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let refuse = self
                .failures
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
            if refuse {
                return Err(SendError("503 from the SMS provider".into()));
            }
            self.sink.send(message).await
        })
    }
}

/// The app with its SMS channel behind `Flaky` (failing `failures` times) and at
/// most `max_attempts` attempts per message.
async fn with_flaky_sms(failures: usize, max_attempts: u32) -> (TestApp, Arc<Flaky>) {
    let mut flaky = None;
    let app = spawn_app_with(
        EventBus::InProcess(InProcessBus::new()),
        |dir| {
            let sms = Arc::new(Flaky {
                failures: AtomicUsize::new(failures),
                calls: AtomicUsize::new(0),
                sink: Sink::new(dir),
            });
            flaky = Some(sms.clone());
            let mut channels = Channels::sink(dir);
            channels.sms = sms;
            Some(channels)
        },
        |config| config.delivery.max_attempts = max_attempts,
    )
    .await;
    (app, flaky.expect("the channels were built"))
}

pub async fn wait_for_status(
    app: &TestApp,
    status: &str,
) -> notification::db::entities::message::Model {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(row) = app
            .messages()
            .await
            .into_iter()
            .find(|m| m.status == status)
        {
            return row;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no {status} message: {:?}",
            app.messages().await
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_channel_that_fails_twice_then_succeeds_delivers_once_with_the_attempts_recorded() {
    let (app, sms) = with_flaky_sms(2, 5).await;
    app.publish(&otp("naruto", "PHONE", "+6281234567890", "042137"))
        .await;
    let sent = wait_for_status(&app, state::SENT).await;
    assert_eq!(sent.attempts, 3);
    assert_eq!(sent.last_error, None);
    assert_eq!(sms.calls.load(Ordering::SeqCst), 3);
    assert_eq!(app.wait_for_sink(1).await.len(), 1);
}

#[tokio::test]
async fn a_channel_that_always_fails_makes_the_message_dead_and_an_admin_resend_delivers_it_once() {
    let (app, sms) = with_flaky_sms(usize::MAX, 3).await;
    app.publish(&otp("naruto", "PHONE", "+6281234567890", "042137"))
        .await;
    let dead = wait_for_status(&app, state::DEAD).await;
    assert_eq!(dead.attempts, 3);
    assert_eq!(
        dead.last_error.as_deref(),
        Some("503 from the SMS provider")
    );
    assert_eq!(
        sms.calls.load(Ordering::SeqCst),
        3,
        "no attempt after the last"
    );

    let admin = admin();
    let listed = app
        .graphql(
            Some(&admin),
            "{ deadNotifications { messageId channel destination body status attempts lastError } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["data"]["deadNotifications"],
        json!([{
            "messageId": dead.id, "channel": "SMS", "destination": "+6281234567890",
            "body": null, "status": "DEAD", "attempts": 3, "lastError": "503 from the SMS provider"
        }]),
        "an OTP's text is not shown: {listed}"
    );
    let as_user = app
        .graphql(
            Some(&user("naruto")),
            "{ deadNotifications { messageId } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&as_user), "FORBIDDEN");

    // The provider recovers; five admins resend at once: one resend.
    sms.failures.store(0, Ordering::SeqCst);
    let resend =
        "mutation($id: String!) { resendNotification(messageId: $id) { status attempts } }";
    let answers: Vec<Value> =
        join_all((0..5).map(|_| app.graphql(Some(&admin), resend, json!({ "id": dead.id })))).await;
    let taken = answers
        .iter()
        .filter(|b| b["data"]["resendNotification"]["status"] == "PENDING")
        .count();
    let refused = answers
        .iter()
        .filter(|b| b["errors"][0]["extensions"]["code"] == "CONFLICT")
        .count();
    assert_eq!((taken, refused), (1, 4), "{answers:?}");
    let sent = wait_for_status(&app, state::SENT).await;
    assert_eq!(sent.id, dead.id);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(sms.calls.load(Ordering::SeqCst), 4, "sent once more, once");
    let sink = app.wait_for_sink(1).await;
    assert_eq!(sink.len(), 1);
    assert!(
        sink[0]["body"]
            .as_str()
            .is_some_and(|b| b.contains("042137"))
    );

    let again = app
        .graphql(Some(&admin), resend, json!({ "id": dead.id }))
        .await;
    assert_eq!(
        error_code(&again),
        "CONFLICT",
        "a SENT message is not resent"
    );
    let unknown = app
        .graphql(Some(&admin), resend, json!({ "id": "nope" }))
        .await;
    assert_eq!(error_code(&unknown), "NOT_FOUND");
}

#[tokio::test]
async fn a_template_needing_a_variable_the_event_lacks_is_dead_not_sent_with_a_hole() {
    let app = spawn_app().await;
    let admin = admin();
    let edit = "mutation($subject: String, $body: String!) {
        updateNotificationTemplate(code: \"PAYMENT_SUCCESS\", channel: \"IN_APP\", subject: $subject, body: $body) { body }
    }";
    let broken = app
        .graphql(
            Some(&admin),
            edit,
            json!({ "subject": "Pembayaran berhasil", "body": "Pembayaran {{amount}} ke {{merchant}} berhasil." }),
        )
        .await;
    assert!(broken["errors"].is_null(), "{broken}");
    app.publish(&payment("naruto", "trx-1", 10_000)).await;
    let dead = wait_for_status(&app, state::DEAD).await;
    assert!(
        dead.last_error
            .as_deref()
            .is_some_and(|e| e.contains("`merchant`")),
        "{dead:?}"
    );
    let naruto = user("naruto");
    let page = app
        .graphql(
            Some(&naruto),
            "{ myNotifications { notifications { body } unreadCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        page["data"]["myNotifications"],
        json!({ "notifications": [], "unreadCount": 0 }),
        "not shown without its text: {page}"
    );

    // The admin fixes the template and resends: rendered again, delivered.
    let fixed = app
        .graphql(
            Some(&admin),
            edit,
            json!({ "subject": "Pembayaran berhasil", "body": "Pembayaran {{amount}} berhasil." }),
        )
        .await;
    assert!(fixed["errors"].is_null(), "{fixed}");
    let resend = "mutation($id: String!) { resendNotification(messageId: $id) { status } }";
    let queued = app
        .graphql(Some(&admin), resend, json!({ "id": dead.id }))
        .await;
    assert_eq!(
        queued["data"]["resendNotification"]["status"], "PENDING",
        "{queued}"
    );
    wait_for_status(&app, state::SENT).await;
    let page = app.wait_for_notifications(&naruto, 1).await;
    assert_eq!(
        page["notifications"][0]["body"],
        "Pembayaran Rp 10.000 berhasil."
    );
}

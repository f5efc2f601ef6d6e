//! `schema/notification.graphql` is the contract: the served SDL must equal it.

use platform::testing::{SERVICE_SDL, assert_served_contract};
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_served_sdl_is_the_contract() {
    let app = spawn_app().await;
    let body = app.graphql(None, SERVICE_SDL, json!({})).await;
    assert_served_contract(&body, &notification::graphql::sdl(), "notification");
}

#[tokio::test]
async fn the_contract_has_the_users_notifications() {
    let sdl = notification::graphql::sdl();
    for line in [
        "myNotifications(",
        "markNotificationRead(notificationId: String!): Notification\n",
        "resendNotification(messageId: String!): OutgoingMessage\n",
        "type User @key(fields: \"user_id\")",
        "unreadCount: Int!\n",
    ] {
        assert!(sdl.contains(line), "missing `{line}` in\n{sdl}");
    }
}

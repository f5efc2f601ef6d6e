//! `schema/notification.graphql` is the contract: the served SDL must equal it.

use std::path::Path;

use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_served_sdl_is_the_contract() {
    let app = spawn_app().await;
    let body = app.graphql(None, "{ _service { sdl } }", json!({})).await;
    let served = body["data"]["_service"]["sdl"].as_str().expect("an SDL");
    assert_eq!(
        served,
        notification::graphql::sdl(),
        "served SDL is the exported one"
    );
    let contract = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/notification.graphql");
    platform::testing::assert_schema_contract(served, &contract);
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

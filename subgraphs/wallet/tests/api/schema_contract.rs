//! `schema/wallet.graphql` is the contract: the served SDL must equal it.

use platform::testing::{SERVICE_SDL, assert_served_contract};
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_served_sdl_is_the_contract() {
    let app = spawn_app().await;
    let body = app.graphql(None, SERVICE_SDL, json!({})).await;
    assert_served_contract(&body, &wallet::graphql::sdl(), "wallet");
}

#[tokio::test]
async fn the_contract_has_seed_001s_operations_and_hides_the_internal_ones() {
    let sdl = wallet::graphql::sdl();
    for line in [
        "createWallet(walletName: String!): Wallet\n",
        "deleteWallet(walletId: String!): DeleteResponse\n",
        "myWallets: [Wallet]\n",
        "type Wallet @key(fields: \"walletId\")",
        "type User @key(fields: \"user_id\")",
    ] {
        assert!(sdl.contains(line), "missing `{line}` in\n{sdl}");
    }
    for internal in [
        "topupWallet(",
        "deductWallet(",
        "postMovement(",
        "voidMovement(",
    ] {
        let declared = sdl
            .lines()
            .find(|l| l.trim_start().starts_with(internal))
            .unwrap_or_else(|| panic!("{internal} missing"));
        assert!(
            declared.ends_with("@inaccessible"),
            "{internal} must be @inaccessible: {declared}"
        );
    }
}

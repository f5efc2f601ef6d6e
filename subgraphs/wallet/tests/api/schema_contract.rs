//! `schema/wallet.graphql` is the contract: the served SDL must equal it.

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
        wallet::graphql::sdl(),
        "served SDL is the exported one"
    );
    let contract = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/wallet.graphql");
    platform::testing::assert_schema_contract(served, &contract);
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

//! `schema/transaction.graphql` is the contract: the served SDL must equal it.

use std::path::Path;

use serde_json::json;

use crate::helpers::spawn_system;

#[tokio::test]
async fn the_served_sdl_is_the_contract() {
    let system = spawn_system().await;
    let body = system
        .graphql(None, "{ _service { sdl } }", json!({}))
        .await;
    let served = body["data"]["_service"]["sdl"].as_str().expect("an SDL");
    assert_eq!(
        served,
        transaction::graphql::sdl(),
        "served SDL is the exported one"
    );
    let contract = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/transaction.graphql");
    platform::testing::assert_schema_contract(served, &contract);
}

#[test]
fn the_contract_has_seed_001s_operations() {
    let sdl = transaction::graphql::sdl();
    for line in [
        "createTransaction(input: TransactionInput!): Transaction\n",
        "): [Transaction]\n",
        "generateInvoiceVA(amount: Float!, description: String): String\n",
        r#"type Transaction @key(fields: "transactionId")"#,
        r#"type Wallet @key(fields: "walletId", resolvable: false)"#,
        r#"type User @key(fields: "user_id")"#,
        "\tDEPOSIT\n",
        "\tPAYMENT\n",
        "\tTRANSFER\n",
    ] {
        assert!(sdl.contains(line), "missing `{line}` in\n{sdl}");
    }
}

//! `schema/transaction.graphql` is the contract: the served SDL must equal it.

use platform::testing::{SERVICE_SDL, assert_served_contract};
use serde_json::json;

use crate::helpers::spawn_system;

#[tokio::test]
async fn the_served_sdl_is_the_contract() {
    let system = spawn_system().await;
    let body = system.graphql(None, SERVICE_SDL, json!({})).await;
    assert_served_contract(&body, &transaction::graphql::sdl(), "transaction");
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

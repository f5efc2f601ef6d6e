//! Audit suite `child-type-mismatch`: in one subgraph, two members of a union
//! declare a field under one response key with types of different nullability
//! (`User.id: ID!`, `Admin.id: ID`). Asked together, the subgraph would refuse
//! the operation (FieldsInSetCanMerge), so the router aliases one and renames
//! the answers back — also nested. (The subgraphs are written from the suite's
//! queries; the fixture subgraphs validate as real ones do.)

use serde_json::{Value, json};

use crate::fixture::{Fixture, subgraph};
use crate::scenarios::check;

pub fn fixture() -> Fixture {
    let user = json!({ "__typename": "User", "id": "u1", "name": "u1-name" });
    let admin = json!({ "__typename": "Admin", "id": "a1", "name": "a1-name" });
    let with_similar = |account: &Value, depth: usize| {
        fn nest(account: &Value, depth: usize, user: &Value, admin: &Value) -> Value {
            let mut account = account.clone();
            if depth > 0 {
                account["similarAccounts"] = json!([
                    nest(user, depth - 1, user, admin),
                    nest(admin, depth - 1, user, admin)
                ]);
            }
            account
        }
        nest(account, depth, &user, &admin)
    };
    Fixture::new(vec![
        subgraph(
            "a",
            r#"
            type Query { users: [User!]! accounts: [Account!]! }
            union Account = User | Admin
            type User @key(fields: "id") { id: ID! name: String! @shareable similarAccounts: [Account!]! }
            type Admin { id: ID name: String similarAccounts: [Account!]! }
            "#,
            json!({ "Query": {
                "users": [user.clone()],
                "accounts": [with_similar(&user, 3), with_similar(&admin, 3)],
            }}),
        ),
        subgraph(
            "b",
            r#"
            type User @key(fields: "id") { id: ID name: String @shareable nickname: String }
            "#,
            json!({ "entities": { "User": [{ "id": "u1", "name": "u1-name", "nickname": "u1-nick" }] } }),
        ),
    ])
}

fn accounts(depth: usize, fields: &dyn Fn(&str) -> Value) -> Value {
    let one = |id: &str| {
        let mut account = fields(id);
        if depth > 0 {
            account["similarAccounts"] = accounts(depth - 1, fields);
        }
        account
    };
    json!([one("u1"), one("a1")])
}

#[tokio::test]
async fn fields_of_conflicting_subgraph_types_are_aliased_and_renamed_back() {
    let running = fixture().start().await;
    let both = |id: &str| json!({ "id": id, "name": format!("{id}-name") });
    let name_only = |id: &str| json!({ "name": format!("{id}-name") });
    let account = "... on User { id name SUB } ... on Admin { id name SUB }";
    let nested = |depth: usize, leaf: &str| {
        let mut text = account.replace(" SUB", "");
        for _ in 0..depth {
            text = account.replace("SUB", &format!("similarAccounts {{ {text} }}"));
        }
        text.replace("id ", leaf)
    };
    let users = json!([{ "id": "u1", "name": "u1-name" }]);
    let cases = [
        (
            "audit_child_type_mismatch_1",
            format!(
                "{{ users {{ id name }} accounts {{ {} }} }}",
                nested(0, "id ")
            ),
            json!({ "users": users.clone(), "accounts": accounts(0, &both) }),
        ),
        (
            "audit_child_type_mismatch_2",
            format!(
                "query NestedInternalAlias {{ users {{ id name }} accounts {{ {} }} }}",
                nested(1, "id ")
            ),
            json!({ "users": users.clone(), "accounts": accounts(1, &both) }),
        ),
        (
            "audit_child_type_mismatch_3",
            format!(
                "query DeeplyNestedInternalAlias {{ users {{ id name }} accounts {{ {} }} }}",
                nested(2, "id ")
            ),
            json!({ "users": users, "accounts": accounts(2, &both) }),
        ),
        (
            "audit_child_type_mismatch_4",
            format!("query DeeplyNested {{ accounts {{ {} }} }}", nested(2, "")),
            json!({ "accounts": accounts(2, &name_only) }),
        ),
    ];
    for (name, query, data) in cases {
        check(&running, name, &query, json!({}), json!({ "data": data })).await;
    }
}

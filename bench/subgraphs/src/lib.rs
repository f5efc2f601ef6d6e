//! The four subgraphs of the public graphql-gateways-benchmark — accounts,
//! inventory, products, reviews — to the schema of `bench/supergraph.graphql`, over
//! the fixed data in `data.json` (taken from the response Hive Router returned for
//! the benchmark query). All four are served by one axum router under
//! `/accounts`, `/inventory`, `/products` and `/reviews`.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_graphql::{
    ComplexObject, EmptyMutation, EmptySubscription, ID, Object, Schema, SimpleObject,
};
use async_graphql_axum::GraphQL;
use axum::Router;
use axum::routing::post_service;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Data {
    users: Vec<UserRow>,
    products: Vec<ProductRow>,
    reviews: Vec<ReviewRow>,
    /// The reviews the benchmark's reviews subgraph returns for every user.
    #[serde(rename = "userReviews")]
    user_reviews: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct UserRow {
    id: String,
    username: String,
    name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProductRow {
    upc: String,
    name: String,
    price: i32,
    weight: i32,
    in_stock: bool,
}

#[derive(Debug, Clone, Deserialize)]
struct ReviewRow {
    id: String,
    body: String,
    author: String,
    product: String,
}

static DATA: LazyLock<Data> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../data.json")).expect("data.json is valid")
});

fn user_row(id: &str) -> Option<&'static UserRow> {
    DATA.users.iter().find(|u| u.id == id)
}

fn product_row(upc: &str) -> Option<&'static ProductRow> {
    DATA.products.iter().find(|p| p.upc == upc)
}

fn review_row(id: &str) -> Option<&'static ReviewRow> {
    DATA.reviews.iter().find(|r| r.id == id)
}

pub mod accounts {
    use super::*;

    #[derive(SimpleObject)]
    pub struct User {
        pub id: ID,
        pub name: Option<String>,
        /// Shareable: the reviews subgraph provides it.
        #[graphql(shareable)]
        pub username: Option<String>,
        pub birthday: Option<i32>,
    }

    fn user(row: &UserRow) -> User {
        User {
            id: ID(row.id.clone()),
            name: Some(row.name.clone()),
            username: Some(row.username.clone()),
            birthday: None,
        }
    }

    pub struct Query;

    #[Object]
    impl Query {
        async fn me(&self) -> Option<User> {
            DATA.users.first().map(user)
        }

        async fn user(&self, id: ID) -> Option<User> {
            user_row(&id).map(user)
        }

        async fn users(&self) -> Option<Vec<Option<User>>> {
            Some(DATA.users.iter().map(|u| Some(user(u))).collect())
        }

        #[graphql(entity)]
        async fn find_user_by_id(&self, id: ID) -> Option<User> {
            user_row(&id).map(user)
        }
    }

    pub fn schema() -> Schema<Query, EmptyMutation, EmptySubscription> {
        Schema::build(Query, EmptyMutation, EmptySubscription)
            .enable_federation()
            .finish()
    }
}

pub mod inventory {
    use super::*;

    #[derive(SimpleObject)]
    #[graphql(complex)]
    pub struct Product {
        pub upc: String,
        #[graphql(external)]
        pub weight: Option<i32>,
        #[graphql(external)]
        pub price: Option<i32>,
        pub in_stock: Option<bool>,
    }

    #[ComplexObject]
    impl Product {
        /// The benchmark's inventory subgraph answers null here.
        #[graphql(requires = "price weight")]
        async fn shipping_estimate(&self) -> Option<i32> {
            None
        }
    }

    pub struct Query;

    #[Object]
    impl Query {
        #[graphql(entity)]
        async fn find_product_by_upc(&self, upc: String) -> Option<Product> {
            product_row(&upc).map(|p| Product {
                upc: p.upc.clone(),
                weight: None,
                price: None,
                in_stock: Some(p.in_stock),
            })
        }
    }

    pub fn schema() -> Schema<Query, EmptyMutation, EmptySubscription> {
        Schema::build(Query, EmptyMutation, EmptySubscription)
            .enable_federation()
            .finish()
    }
}

pub mod products {
    use super::*;

    #[derive(SimpleObject)]
    pub struct Product {
        pub upc: String,
        pub name: Option<String>,
        pub price: Option<i32>,
        pub weight: Option<i32>,
    }

    fn product(row: &ProductRow) -> Product {
        Product {
            upc: row.upc.clone(),
            name: Some(row.name.clone()),
            price: Some(row.price),
            weight: Some(row.weight),
        }
    }

    pub struct Query;

    #[Object]
    impl Query {
        async fn top_products(
            &self,
            #[graphql(default = 5)] first: Option<i32>,
        ) -> Option<Vec<Option<Product>>> {
            let first = usize::try_from(first.unwrap_or(5)).unwrap_or(0);
            Some(
                DATA.products
                    .iter()
                    .take(first)
                    .map(|p| Some(product(p)))
                    .collect(),
            )
        }

        #[graphql(entity)]
        async fn find_product_by_upc(&self, upc: String) -> Option<Product> {
            product_row(&upc).map(product)
        }
    }

    pub fn schema() -> Schema<Query, EmptyMutation, EmptySubscription> {
        Schema::build(Query, EmptyMutation, EmptySubscription)
            .enable_federation()
            .finish()
    }
}

pub mod reviews {
    use super::*;

    /// Reviews by product, computed once.
    static BY_PRODUCT: LazyLock<HashMap<&'static str, Vec<&'static ReviewRow>>> =
        LazyLock::new(|| {
            let mut map: HashMap<&str, Vec<&ReviewRow>> = HashMap::new();
            for review in &DATA.reviews {
                map.entry(review.product.as_str()).or_default().push(review);
            }
            map
        });

    #[derive(SimpleObject)]
    #[graphql(complex)]
    pub struct Review {
        pub id: ID,
        pub body: Option<String>,
        #[graphql(skip)]
        row: &'static ReviewRow,
    }

    #[ComplexObject]
    impl Review {
        async fn product(&self) -> Option<Product> {
            Some(Product {
                upc: self.row.product.clone(),
            })
        }

        #[graphql(provides = "username")]
        async fn author(&self) -> Option<User> {
            user_row(&self.row.author).map(|u| User {
                id: ID(u.id.clone()),
                username: Some(u.username.clone()),
            })
        }
    }

    fn review(row: &'static ReviewRow) -> Review {
        Review {
            id: ID(row.id.clone()),
            body: Some(row.body.clone()),
            row,
        }
    }

    #[derive(SimpleObject)]
    #[graphql(complex)]
    pub struct User {
        pub id: ID,
        #[graphql(external)]
        pub username: Option<String>,
    }

    #[ComplexObject]
    impl User {
        async fn reviews(&self) -> Option<Vec<Option<Review>>> {
            Some(
                DATA.user_reviews
                    .iter()
                    .filter_map(|id| review_row(id))
                    .map(|r| Some(review(r)))
                    .collect(),
            )
        }
    }

    #[derive(SimpleObject)]
    #[graphql(complex)]
    pub struct Product {
        pub upc: String,
    }

    #[ComplexObject]
    impl Product {
        async fn reviews(&self) -> Option<Vec<Option<Review>>> {
            Some(
                BY_PRODUCT
                    .get(self.upc.as_str())
                    .map(|rows| rows.iter().map(|r| Some(review(r))).collect())
                    .unwrap_or_default(),
            )
        }
    }

    pub struct Query;

    #[Object]
    impl Query {
        #[graphql(entity)]
        async fn find_review_by_id(&self, id: ID) -> Option<Review> {
            review_row(&id).map(review)
        }

        #[graphql(entity)]
        async fn find_user_by_id(&self, id: ID) -> User {
            User { id, username: None }
        }

        #[graphql(entity)]
        async fn find_product_by_upc(&self, upc: String) -> Product {
            Product { upc }
        }
    }

    pub fn schema() -> Schema<Query, EmptyMutation, EmptySubscription> {
        Schema::build(Query, EmptyMutation, EmptySubscription)
            .enable_federation()
            .finish()
    }
}

/// All four subgraphs, under `/accounts`, `/inventory`, `/products`, `/reviews`.
pub fn router() -> Router {
    Router::new()
        .route_service("/accounts", post_service(GraphQL::new(accounts::schema())))
        .route_service(
            "/inventory",
            post_service(GraphQL::new(inventory::schema())),
        )
        .route_service("/products", post_service(GraphQL::new(products::schema())))
        .route_service("/reviews", post_service(GraphQL::new(reviews::schema())))
}

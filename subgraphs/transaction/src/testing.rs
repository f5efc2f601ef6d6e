//! A test double of the BlackDoctrine marketplace's order service, with exactly
//! the GraphQL contract seed 001 integrates with:
//!
//! ```graphql
//! type Order { id: ID! productId: String! quantity: Int! totalHarga: Float! status: String!
//!              paymentStatus: String alamatPengiriman: String metodePengiriman: String
//!              ongkir: Float nomorVA: String nomorResi: String }
//! type Query { getOrders: [Order!]! getOrderByVA(vaNumber: String!): Order }
//! type Mutation { createOrder(input: CreateOrderInput!): Order!
//!                 updatePaymentStatus(vaNumber: String!, status: String!): Boolean }
//! ```
//!
//! Orders live in memory. `updatePaymentStatus` can be told to refuse its next
//! calls (answer `false`, as the original does on trouble) to test retries.
//!
//! Built with the `testing` feature, for the tests of this crate and of the
//! launcher (the seed's flow through the router).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_graphql::{Context, EmptySubscription, ID, InputObject, Object, Schema, SimpleObject};
use async_graphql_axum::GraphQL;
use axum::Router;
use axum::routing::post_service;

/// Shipping cost the original adds to every order.
const ONGKIR: f64 = 15_000.0;
/// Unit price of every product in the double.
const PRICE: f64 = 50_000.0;

#[derive(SimpleObject, Clone, Debug)]
#[graphql(rename_fields = "camelCase")]
pub struct Order {
    pub id: ID,
    pub product_id: String,
    pub quantity: i32,
    pub total_harga: f64,
    pub status: String,
    pub payment_status: Option<String>,
    pub alamat_pengiriman: Option<String>,
    pub metode_pengiriman: Option<String>,
    pub ongkir: Option<f64>,
    #[graphql(name = "nomorVA")]
    pub nomor_va: Option<String>,
    pub nomor_resi: Option<String>,
}

#[derive(InputObject)]
#[graphql(rename_fields = "camelCase")]
struct CreateOrderInput {
    product_id: String,
    quantity: i32,
    alamat_pengiriman: String,
    metode_pengiriman: String,
}

#[derive(Default)]
struct State {
    orders: Mutex<Vec<Order>>,
    refuse_updates: AtomicUsize,
    update_calls: AtomicUsize,
}

struct Query;

#[Object]
impl Query {
    async fn get_orders(&self, ctx: &Context<'_>) -> Vec<Order> {
        state(ctx).orders.lock().expect("orders").clone()
    }

    #[graphql(name = "getOrderByVA")]
    async fn get_order_by_va(&self, ctx: &Context<'_>, va_number: String) -> Option<Order> {
        let orders = state(ctx).orders.lock().expect("orders");
        orders
            .iter()
            .find(|o| o.nomor_va.as_deref() == Some(va_number.as_str()))
            .cloned()
    }
}

struct Mutation;

#[Object]
impl Mutation {
    async fn create_order(&self, ctx: &Context<'_>, input: CreateOrderInput) -> Order {
        let mut orders = state(ctx).orders.lock().expect("orders");
        let id = orders.len() + 1;
        let order = Order {
            id: ID(id.to_string()),
            product_id: input.product_id,
            quantity: input.quantity,
            total_harga: PRICE * f64::from(input.quantity) + ONGKIR,
            status: "PENDING".into(),
            payment_status: Some("UNPAID".into()),
            alamat_pengiriman: Some(input.alamat_pengiriman),
            metode_pengiriman: Some(input.metode_pengiriman),
            ongkir: Some(ONGKIR),
            nomor_va: Some(format!("VA{}", 1_767_718_314_000u64 + id as u64)),
            nomor_resi: Some("-".into()),
        };
        orders.push(order.clone());
        order
    }

    async fn update_payment_status(
        &self,
        ctx: &Context<'_>,
        va_number: String,
        status: String,
    ) -> bool {
        let state = state(ctx);
        state.update_calls.fetch_add(1, Ordering::SeqCst);
        let refuse = state
            .refuse_updates
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if refuse {
            return false;
        }
        let mut orders = state.orders.lock().expect("orders");
        match orders
            .iter_mut()
            .find(|o| o.nomor_va.as_deref() == Some(va_number.as_str()))
        {
            Some(order) => {
                order.status = status;
                order.payment_status = Some("PAID".into());
                true
            }
            None => false,
        }
    }
}

fn state<'a>(ctx: &Context<'a>) -> &'a Arc<State> {
    ctx.data::<Arc<State>>().expect("the double's state")
}

/// The running double.
pub struct Marketplace {
    addr: SocketAddr,
    state: Arc<State>,
    schema: Schema<Query, Mutation, EmptySubscription>,
}

impl Marketplace {
    pub async fn start() -> Self {
        let state = Arc::new(State::default());
        let schema = Schema::build(Query, Mutation, EmptySubscription)
            .data(state.clone())
            .finish();
        let app = Router::new().route("/graphql", post_service(GraphQL::new(schema.clone())));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the marketplace double");
        let addr = listener.local_addr().expect("an address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self {
            addr,
            state,
            schema,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}/graphql", self.addr)
    }

    /// Creates an order of `quantity` items; returns (VA, total).
    pub async fn order(&self, quantity: i32) -> (String, i64) {
        let response = self
            .schema
            .execute(format!(
                r#"mutation {{ createOrder(input: {{ productId: "1", quantity: {quantity},
                    alamatPengiriman: "Jalan Konoha No. 02", metodePengiriman: "REGULER" }}) {{ nomorVA totalHarga }} }}"#
            ))
            .await;
        let data = response.data.into_json().expect("json");
        (
            data["createOrder"]["nomorVA"]
                .as_str()
                .expect("a VA")
                .to_owned(),
            data["createOrder"]["totalHarga"].as_f64().expect("a total") as i64,
        )
    }

    /// The order billed to `va`.
    pub fn order_by_va(&self, va: &str) -> Option<Order> {
        let orders = self.state.orders.lock().expect("orders");
        orders
            .iter()
            .find(|o| o.nomor_va.as_deref() == Some(va))
            .cloned()
    }

    /// The next `n` `updatePaymentStatus` calls answer `false`.
    pub fn refuse_next_updates(&self, n: usize) {
        self.state.refuse_updates.store(n, Ordering::SeqCst);
    }

    /// How often `updatePaymentStatus` was called.
    pub fn update_calls(&self) -> usize {
        self.state.update_calls.load(Ordering::SeqCst)
    }
}

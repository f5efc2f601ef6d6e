//! Serves the benchmark subgraphs on `BENCH_SUBGRAPHS_PORT` (default 4200).

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::var("BENCH_SUBGRAPHS_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(4200);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("benchmark subgraphs on http://{}", listener.local_addr()?);
    axum::serve(listener, bench_subgraphs::router()).await
}

//! `router`: serves a supergraph (`router --supergraph PATH --port N`).

use std::collections::HashMap;

use clap::Parser;
use router::config::{Environment, RouterArgs, RouterConfig};
use router::server::RouterApp;

/// The Dompet Sawit federation router.
#[derive(Debug, Parser)]
#[command(
    name = "router",
    version,
    about = "The Dompet Sawit federation router: serves a supergraph as one /graphql endpoint"
)]
struct Cli {
    #[command(flatten)]
    router: RouterArgs,

    #[command(flatten)]
    environment: Environment,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    platform::telemetry::init(&cli.environment.log_filter, cli.environment.log_format);
    let file = match &cli.router.config {
        Some(path) => RouterConfig::read_file(path)?,
        None => Default::default(),
    };
    let overrides: HashMap<String, String> = std::env::vars()
        .filter(|(k, _)| k.starts_with("ROUTER_SUBGRAPH_"))
        .collect();
    let config = RouterConfig::resolve(cli.router, file, &cli.environment, &overrides);
    let started = std::time::Instant::now();
    let app = RouterApp::build(config).await?;
    tracing::info!(
        addr = %app.local_addr(),
        startup_ms = started.elapsed().as_millis() as u64,
        "router listening on http://{}/graphql",
        app.local_addr()
    );
    app.run(platform::server::cancel_on_signal()).await?;
    Ok(())
}

use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = transaction::Config::parse();
    platform::telemetry::init(&config.common.log_filter, config.common.log_format);
    let app = transaction::App::build(config, transaction::Dependencies::default()).await?;
    tracing::info!(addr = %app.local_addr(), "transaction subgraph listening");
    app.run(platform::server::cancel_on_signal()).await?;
    Ok(())
}

use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = wallet::Config::parse();
    platform::telemetry::init(&config.common.log_filter, config.common.log_format);
    let app = wallet::App::build(config, wallet::Dependencies::default()).await?;
    tracing::info!(addr = %app.local_addr(), "wallet subgraph listening");
    app.run(platform::server::cancel_on_signal()).await?;
    Ok(())
}

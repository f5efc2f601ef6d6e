use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = auth::Config::parse();
    platform::telemetry::init(&config.common.log_filter, config.common.log_format);
    let app = auth::App::build(config, auth::Dependencies::default()).await?;
    tracing::info!(addr = %app.local_addr(), "auth subgraph listening");
    app.run(platform::server::cancel_on_signal()).await?;
    Ok(())
}

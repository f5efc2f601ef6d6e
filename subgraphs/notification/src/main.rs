use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = notification::Config::parse();
    platform::telemetry::init(&config.common.log_filter, config.common.log_format);
    let app = notification::App::build(config, notification::Dependencies::default()).await?;
    tracing::info!(addr = %app.local_addr(), "notification subgraph listening");
    app.run(platform::server::cancel_on_signal()).await?;
    Ok(())
}

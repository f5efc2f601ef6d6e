use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = fraud::Config::parse();
    platform::telemetry::init(&config.common.log_filter, config.common.log_format);
    let app = fraud::App::build(config, fraud::Dependencies::default()).await?;
    tracing::info!(addr = %app.local_addr(), "fraud subgraph listening");
    app.run(platform::server::cancel_on_signal()).await?;
    Ok(())
}

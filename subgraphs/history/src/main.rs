use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = history::Config::parse();
    platform::telemetry::init(&config.common.log_filter, config.common.log_format);
    let app = history::App::build(config, history::Dependencies::default()).await?;
    tracing::info!(addr = %app.local_addr(), "history subgraph listening");
    app.run(platform::server::cancel_on_signal()).await?;
    Ok(())
}

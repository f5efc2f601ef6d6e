//! `router`: serves a supergraph (`router --supergraph PATH --port N`), or composes
//! one (`router compose`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
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
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    router: RouterArgs,

    #[command(flatten)]
    environment: Environment,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compose the subgraph schemas into a supergraph SDL.
    Compose(ComposeArgs),
}

#[derive(Debug, Args)]
struct ComposeArgs {
    /// The subgraphs file (`[subgraphs.<name>] url = …, schema = …`).
    #[arg(long, default_value = "schema/subgraphs.toml")]
    subgraphs: PathBuf,

    /// Where to write the supergraph (`-` for standard output).
    #[arg(long, default_value = "schema/supergraph.graphql")]
    output: PathBuf,

    /// Only check that the output file is up to date.
    #[arg(long)]
    check: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Compose(args)) => compose(&args),
        None => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .expect("a Tokio runtime");
            match runtime.block_on(serve(cli.router, cli.environment)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("router: {err:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn compose(args: &ComposeArgs) -> ExitCode {
    let inputs = match router::compose::read_subgraphs(&args.subgraphs) {
        Ok(inputs) => inputs,
        Err(err) => {
            eprintln!("router compose: {err}");
            return ExitCode::FAILURE;
        }
    };
    let supergraph = match router::compose::compose(&inputs) {
        Ok(supergraph) => supergraph,
        Err(errors) => {
            eprintln!("router compose: the subgraphs do not compose:");
            for error in errors {
                eprintln!("  {error}");
            }
            return ExitCode::FAILURE;
        }
    };
    if args.output.as_os_str() == "-" {
        print!("{supergraph}");
        return ExitCode::SUCCESS;
    }
    if args.check {
        let current = std::fs::read_to_string(&args.output).unwrap_or_default();
        if current != supergraph {
            eprintln!("{} is stale: run `router compose`", args.output.display());
            return ExitCode::FAILURE;
        }
        return ExitCode::SUCCESS;
    }
    if let Err(err) = std::fs::write(&args.output, supergraph) {
        eprintln!(
            "router compose: cannot write {}: {err}",
            args.output.display()
        );
        return ExitCode::FAILURE;
    }
    eprintln!("wrote {}", args.output.display());
    ExitCode::SUCCESS
}

async fn serve(args: RouterArgs, environment: Environment) -> anyhow::Result<()> {
    platform::telemetry::init(&environment.log_filter, environment.log_format);
    let file = match &args.config {
        Some(path) => RouterConfig::read_file(path)?,
        None => Default::default(),
    };
    let overrides: HashMap<String, String> = std::env::vars()
        .filter(|(k, _)| k.starts_with("ROUTER_SUBGRAPH_"))
        .collect();
    let config = RouterConfig::resolve(args, file, &environment, &overrides);
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

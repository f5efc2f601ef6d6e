use std::io::Write;

use clap::Parser;
use dompet_sawit::{Args, System, banner};

/// mimalloc: the services allocate many small, short-lived buffers per request.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    platform::telemetry::init(&args.log_filter, args.log_format);
    let system = System::start(args.clone(), platform::server::cancel_on_signal()).await?;
    // A closed stdout (a pipe whose reader left) must not stop the system.
    let _ = writeln!(std::io::stdout(), "{}", banner(&system, &args));
    system.wait().await
}

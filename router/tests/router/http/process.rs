//! The `router` binary as an operator runs it: a supergraph file, subgraph URLs
//! overridden by environment or config file, `localhost` on either loopback
//! address, a clean exit on SIGTERM that lets requests in flight finish.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use router::config::RouterConfig;
use router::server::RouterApp;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use super::{probe_supergraph, serve_probe_on};

/// A probe subgraph on `addr` (e.g. `127.0.0.1:0`); its `/graphql` URL.
async fn probe_on(addr: &str, shutdown: &CancellationToken) -> String {
    let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    serve_probe_on(listener, shutdown.clone());
    format!("http://{}/graphql", addr.replace(":0", &format!(":{port}")))
}

/// A running `router` process, killed when dropped.
struct RouterProcess {
    child: Child,
    url: String,
}

impl Drop for RouterProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary with `args` and `envs`; waits for its "listening" log line.
fn start(args: &[&str], envs: &[(&str, &str)]) -> Result<RouterProcess, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_router"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the router binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let (found, listening) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(event) = serde_json::from_str::<Value>(&line)
                && let Some(addr) = event["addr"].as_str()
            {
                let _ = found.send(format!("http://{addr}/graphql"));
            }
        }
    });
    match listening.recv_timeout(Duration::from_secs(20)) {
        Ok(url) => Ok(RouterProcess { child, url }),
        Err(_) => {
            let _ = child.kill();
            let output = child.wait_with_output().expect("exits");
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}

async fn hello(url: &str) -> Value {
    platform::http_client::client()
        .post(url)
        .json(&json!({ "query": "{ hello }" }))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("json")
}

fn sigterm(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

fn wait_for_exit(child: &mut Child, within: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        assert!(started.elapsed() < within, "still running after {within:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn the_binary_serves_a_supergraph_and_exits_cleanly_on_sigterm_after_requests_in_flight() {
    let shutdown = CancellationToken::new();
    let probe = probe_on("127.0.0.1:0", &shutdown).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("supergraph.graphql");
    std::fs::write(&path, probe_supergraph(&probe)).expect("write");
    let mut router = start(
        &["--supergraph", path.to_str().expect("utf-8"), "--port", "0"],
        &[],
    )
    .expect("the router starts");

    let http = platform::http_client::client();
    let health = http
        .get(router.url.replace("/graphql", "/health"))
        .send()
        .await
        .expect("health answers");
    assert_eq!(health.status(), 200);
    assert_eq!(
        hello(&router.url).await,
        json!({ "data": { "hello": "world" } })
    );

    let in_flight = tokio::spawn(
        http.post(&router.url)
            .json(&json!({ "query": "{ slow(ms: 700) }" }))
            .send(),
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    sigterm(&router.child);
    let answer: Value = in_flight
        .await
        .expect("joins")
        .expect("the request in flight is answered")
        .json()
        .await
        .expect("json");
    assert_eq!(answer, json!({ "data": { "slow": 1 } }));
    let status = wait_for_exit(&mut router.child, Duration::from_secs(10));
    assert!(status.success(), "clean exit: {status:?}");
    shutdown.cancel();
}

#[tokio::test]
async fn subgraph_urls_come_from_the_environment_or_the_config_file() {
    let shutdown = CancellationToken::new();
    let probe = probe_on("127.0.0.1:0", &shutdown).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let supergraph = dir.path().join("supergraph.graphql");
    // The supergraph names an address where nothing listens.
    std::fs::write(&supergraph, probe_supergraph("http://127.0.0.1:9/graphql")).expect("write");
    let supergraph = supergraph.to_str().expect("utf-8");

    let by_env = start(
        &["--port", "0"],
        &[
            ("ROUTER_SUPERGRAPH", supergraph),
            ("ROUTER_SUBGRAPH_PROBE_URL", probe.as_str()),
        ],
    )
    .expect("starts");
    assert_eq!(hello(&by_env.url).await["data"]["hello"], "world");

    let config = dir.path().join("router.toml");
    std::fs::write(
        &config,
        format!(
            "supergraph = {supergraph:?}\nport = 0\ncsrf = false\n\n[subgraphs.probe]\nurl = {probe:?}\ntimeout_ms = 2000\n"
        ),
    )
    .expect("write");
    let by_file = start(&["--config", config.to_str().expect("utf-8")], &[]).expect("starts");
    assert_eq!(hello(&by_file.url).await["data"]["hello"], "world");

    let unchanged = start(&["--supergraph", supergraph, "--port", "0"], &[]).expect("starts");
    let failed = hello(&unchanged.url).await;
    assert_eq!(failed["data"], Value::Null, "{failed}");
    assert_eq!(
        failed["errors"][0]["extensions"]["code"], "SUBREQUEST_HTTP_ERROR",
        "{failed}"
    );
    assert_eq!(failed["errors"][0]["extensions"]["serviceName"], "probe");
    shutdown.cancel();
}

#[tokio::test]
async fn a_bad_start_says_what_is_wrong_and_exits_non_zero() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.graphql");
    let error = start(
        &[
            "--supergraph",
            missing.to_str().expect("utf-8"),
            "--port",
            "0",
        ],
        &[],
    )
    .err()
    .expect("refuses to start");
    assert!(error.contains("missing.graphql"), "{error}");

    let broken = dir.path().join("broken.graphql");
    std::fs::write(&broken, "type Query {").expect("write");
    let error = start(
        &[
            "--supergraph",
            broken.to_str().expect("utf-8"),
            "--port",
            "0",
        ],
        &[],
    )
    .err()
    .expect("refuses to start");
    assert!(error.contains("supergraph"), "{error}");

    let config = dir.path().join("router.toml");
    std::fs::write(&config, "prot = 8000\n").expect("write");
    let error = start(&["--config", config.to_str().expect("utf-8")], &[])
        .err()
        .expect("refuses to start");
    assert!(error.contains("prot"), "{error}");
}

/// `localhost` in a subgraph URL reaches the subgraph whichever loopback address
/// it listens on.
#[tokio::test]
async fn localhost_reaches_a_subgraph_on_ipv4_or_ipv6() {
    let shutdown = CancellationToken::new();
    for bind in ["127.0.0.1:0", "[::1]:0"] {
        let url = probe_on(bind, &shutdown).await;
        let port = url
            .rsplit(':')
            .next()
            .and_then(|p| p.strip_suffix("/graphql"))
            .expect("a port");
        let localhost = format!("http://localhost:{port}/graphql");
        let mut config = RouterConfig::local();
        config.port = 0;
        let router = RouterApp::from_supergraph(config, &probe_supergraph(&localhost), None)
            .await
            .expect("builds");
        let router_url = format!("http://{}/graphql", router.local_addr());
        tokio::spawn(router.run(shutdown.clone()));
        assert_eq!(
            hello(&router_url).await,
            json!({ "data": { "hello": "world" } }),
            "subgraph on {bind}"
        );
    }
    shutdown.cancel();
}

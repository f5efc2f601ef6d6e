//! The one-command start, as a newcomer runs it: the real binary on a fresh folder
//! generates its keys, serves every subgraph behind the router, and stops cleanly
//! on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// `("router", "127.0.0.1:8000")` from a banner line `  router   http://…/graphql`.
fn service_addr(line: &str) -> Option<(String, String)> {
    let mut words = line.split_whitespace();
    let name = words.next()?;
    let url = words
        .next()?
        .strip_prefix("http://")?
        .strip_suffix("/graphql")?;
    Some((name.to_owned(), url.to_owned()))
}

async fn post(http: &reqwest::Client, addr: &str, token: Option<&str>, query: &str) -> Value {
    let mut request = http
        .post(format!("http://{addr}/graphql"))
        .json(&json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("json")
}

struct ShowLogOnPanic<'a>(&'a std::path::Path);

impl Drop for ShowLogOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "--- launcher log ---\n{}",
                std::fs::read_to_string(self.0).unwrap_or_default()
            );
        }
    }
}

#[tokio::test]
async fn the_launcher_starts_from_nothing_and_stops_on_sigterm() {
    let workdir = tempfile::tempdir().expect("temp dir");
    let log = std::fs::File::create(workdir.path().join("launcher.log")).expect("log file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dompet-sawit"))
        .current_dir(workdir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("ROUTER_PORT", "0")
        .env("AUTH_PORT", "0")
        .env("WALLET_PORT", "0")
        .env("TRANSACTION_PORT", "0")
        .env("FRAUD_PORT", "0")
        .env("HISTORY_PORT", "0")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("the launcher starts");
    let stdout = child.stdout.take().expect("stdout");
    // Read the banner, then keep draining stdout so the launcher never writes into
    // a closed pipe.
    let (found, addresses) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut found = Some(found);
        let mut services = std::collections::HashMap::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some((name, addr)) = service_addr(&line) {
                services.insert(name, addr);
            }
            if line.starts_with("Press Ctrl-C")
                && let Some(found) = found.take()
            {
                let _ = found.send(std::mem::take(&mut services));
            }
        }
    });
    let services = addresses.await.expect("the banner ends");
    let addr = services.get("router").expect("the banner names the router");
    // On failure, show what the launcher logged.
    let log_path = workdir.path().join("launcher.log");
    let _show_log = ShowLogOnPanic(&log_path);

    assert!(
        workdir.path().join("keys/private.pem").exists(),
        "dev keys generated"
    );
    let subgraphs = ["auth", "wallet", "transaction", "fraud", "history"];
    for name in subgraphs {
        assert!(
            workdir.path().join(format!("data/{name}.db")).exists(),
            "{name}'s SQLite file under ./data"
        );
    }

    let http = platform::http_client::client();
    for service in subgraphs
        .iter()
        .map(|name| services.get(*name).expect("the banner names each subgraph"))
        .chain([addr])
    {
        let health = http
            .get(format!("http://{service}/health"))
            .send()
            .await
            .expect("health");
        assert_eq!(health.status(), 200);
    }
    // Everything below goes through the router.
    let registered = post(
        &http,
        addr,
        None,
        r#"mutation { registerUser(username: "narto", fullname: "Naruto Uzumaki", email: "naruto@gmail.com", password: "password123") }"#,
    )
    .await;
    assert!(
        registered["data"]["registerUser"].is_string(),
        "{registered}"
    );
    let login = post(
        &http,
        addr,
        None,
        r#"mutation { loginUser(email: "naruto@gmail.com", password: "password123") { access_token } }"#,
    )
    .await;
    let token = login["data"]["loginUser"]["access_token"]
        .as_str()
        .expect("token");
    let created = post(
        &http,
        addr,
        Some(token),
        r#"mutation { createWallet(walletName: "Tabungan Utama") { walletId } }"#,
    )
    .await;
    assert!(
        created["data"]["createWallet"]["walletId"].is_string(),
        "{created}"
    );
    let profile = post(
        &http,
        addr,
        Some(token),
        "{ myProfile { username role wallets { walletName balance } } }",
    )
    .await;
    assert_eq!(
        profile["data"]["myProfile"],
        json!({ "username": "narto", "role": "Nasabah",
                "wallets": [{ "walletName": "Tabungan Utama", "balance": 0.0 }] })
    );
    // The router verifies tokens with the key the launcher generated.
    let forged = http
        .post(format!("http://{addr}/graphql"))
        .bearer_auth(format!("{token}x"))
        .json(&json!({ "query": "{ myProfile { username } }" }))
        .send()
        .await
        .expect("answers");
    assert_eq!(forged.status(), 401);

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no exit 10 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "clean exit after SIGTERM: {exit:?}");
}

//! The one-command start, as a newcomer runs it: the real binary on a fresh folder
//! generates its keys, serves auth, and stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn auth_addr(line: &str) -> Option<String> {
    let rest = line.trim().strip_prefix("auth")?.trim();
    let url = rest.strip_prefix("http://")?;
    Some(url.trim_end_matches("/graphql").to_owned())
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
        .env("AUTH_PORT", "0")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("the launcher starts");
    let stdout = child.stdout.take().expect("stdout");
    // Read the banner, then keep draining stdout so the launcher never writes into
    // a closed pipe.
    let (found, address) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut found = Some(found);
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(addr) = auth_addr(&line)
                && let Some(found) = found.take()
            {
                let _ = found.send(addr);
            }
        }
    });
    let addr = address.await.expect("the banner names auth's address");
    // On failure, show what the launcher logged.
    let log_path = workdir.path().join("launcher.log");
    let _show_log = ShowLogOnPanic(&log_path);

    assert!(
        workdir.path().join("keys/private.pem").exists(),
        "dev keys generated"
    );
    assert!(
        workdir.path().join("data/auth.db").exists(),
        "SQLite file under ./data"
    );

    let http = platform::http_client::client();
    let health = http
        .get(format!("http://{addr}/health"))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), 200);
    let registered = post(
        &http,
        &addr,
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
        &addr,
        None,
        r#"mutation { loginUser(email: "naruto@gmail.com", password: "password123") { access_token } }"#,
    )
    .await;
    let token = login["data"]["loginUser"]["access_token"]
        .as_str()
        .expect("token");
    let profile = post(&http, &addr, Some(token), "{ myProfile { username role } }").await;
    assert_eq!(
        profile["data"]["myProfile"],
        json!({ "username": "narto", "role": "Nasabah" })
    );

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

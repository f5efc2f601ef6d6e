//! The `auth` binary on its own: `--help` lists every setting, and production mode
//! refuses to start on unsafe settings.

use std::process::Command;

fn auth() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_auth"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    command
}

#[test]
fn help_lists_every_setting_with_its_environment_variable() {
    let output = auth().arg("--help").output().expect("auth runs");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for variable in [
        "PORT",
        "APP_ENV",
        "HOST",
        "DATA_DIR",
        "DATABASE_URL",
        "RUST_LOG",
        "LOG_FORMAT",
        "JWT_ISSUER",
        "JWT_AUDIENCE",
        "JWT_SERVICE_AUDIENCE",
        "JWT_PUBLIC_KEY_PATH",
        "JWKS_URL",
        "JWT_LEEWAY_SECS",
        "AUTH_URL",
        "SERVICE_CLIENT_ID",
        "SERVICE_CLIENT_SECRET",
        "EVENT_BUS_URL",
        "EVENT_STREAM",
        "OUTBOX_POLL_MS",
        "JWT_PRIVATE_KEY_PATH",
        "JWT_PREVIOUS_PUBLIC_KEYS",
        "ACCESS_TOKEN_TTL_SECS",
        "ADMIN_EMAIL",
        "ADMIN_PASSWORD",
        "SERVICE_CLIENTS",
        "LOGIN_MAX_FAILURES",
        "LOCKOUT_MINUTES",
        "OTP_TTL_SECS",
    ] {
        assert!(
            help.contains(&format!("[env: {variable}=")),
            "--help lacks {variable}:\n{help}"
        );
    }
}

#[test]
fn production_mode_refuses_a_missing_or_weak_admin_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (password, expected) in [
        (None, "ADMIN_PASSWORD is required in production"),
        (Some("admin-dev-password"), "too weak"),
        (Some("short1"), "too weak"),
    ] {
        let mut command = auth();
        command
            .current_dir(dir.path())
            .env("APP_ENV", "production")
            .env("PORT", "0")
            .env("SERVICE_CLIENTS", "[]");
        if let Some(password) = password {
            command.env("ADMIN_PASSWORD", password);
        }
        let output = command.output().expect("auth runs");
        assert!(!output.status.success(), "{password:?} accepted");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{password:?}: {stderr}");
    }
    assert!(
        !dir.path().join("keys/private.pem").exists(),
        "production never generates keys"
    );
}

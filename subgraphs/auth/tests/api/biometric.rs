//! Biometric login: register a device key after a password login, sign a challenge,
//! get tokens; forged signatures and replayed challenges are refused.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use p256::ecdsa::signature::Signer;
use p256::pkcs8::EncodePublicKey;
use serde_json::{Value, json};

use crate::helpers::{SignedIn, TestApp, error_code, spawn_app};

const REGISTER: &str = "mutation($k: String!, $a: BiometricAlgorithm!) {
    registerBiometricDevice(publicKey: $k, algorithm: $a, deviceName: \"Pixel 9\") { device_id algorithm device_name }
}";
const CHALLENGE: &str = "mutation($d: String!) { biometricChallenge(deviceId: $d) { challenge_id challenge expires_at } }";
const LOGIN: &str = "mutation($c: String!, $s: String!) {
    biometricLogin(challengeId: $c, signature: $s) { access_token refresh_token user { user_id } }
}";

/// A phone's key pair, in one of the two algorithms.
enum DeviceKey {
    Es256(p256::ecdsa::SigningKey),
    Ed25519(ed25519_dalek::SigningKey),
}

impl DeviceKey {
    fn es256() -> Self {
        Self::Es256(p256::ecdsa::SigningKey::random(&mut rand::rngs::OsRng))
    }

    fn ed25519() -> Self {
        Self::Ed25519(ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng))
    }

    fn algorithm(&self) -> &'static str {
        match self {
            Self::Es256(_) => "ES256",
            Self::Ed25519(_) => "ED25519",
        }
    }

    /// Base64 SubjectPublicKeyInfo DER.
    fn public_key(&self) -> String {
        let der = match self {
            Self::Es256(key) => p256::PublicKey::from(key.verifying_key()).to_public_key_der(),
            Self::Ed25519(key) => key.verifying_key().to_public_key_der(),
        };
        STANDARD.encode(der.expect("der").as_bytes())
    }

    fn sign(&self, message: &str) -> String {
        match self {
            Self::Es256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(message.as_bytes());
                STANDARD.encode(signature.to_der().as_bytes())
            }
            Self::Ed25519(key) => STANDARD.encode(key.sign(message.as_bytes()).to_bytes()),
        }
    }
}

async fn register_device(app: &TestApp, user: &SignedIn, key: &DeviceKey) -> String {
    let body = app
        .graphql(
            Some(&user.access_token),
            REGISTER,
            json!({ "k": key.public_key(), "a": key.algorithm() }),
        )
        .await;
    assert_eq!(
        body["data"]["registerBiometricDevice"]["algorithm"],
        key.algorithm(),
        "{body}"
    );
    body["data"]["registerBiometricDevice"]["device_id"]
        .as_str()
        .expect("device id")
        .to_owned()
}

async fn new_challenge(app: &TestApp, device_id: &str) -> (String, String) {
    let body = app
        .graphql(None, CHALLENGE, json!({ "d": device_id }))
        .await;
    let challenge = &body["data"]["biometricChallenge"];
    (
        challenge["challenge_id"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"))
            .to_owned(),
        challenge["challenge"]
            .as_str()
            .expect("challenge")
            .to_owned(),
    )
}

async fn biometric_login(app: &TestApp, challenge_id: &str, signature: &str) -> Value {
    app.graphql(None, LOGIN, json!({ "c": challenge_id, "s": signature }))
        .await
}

fn amr_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("b64");
    serde_json::from_slice::<Value>(&bytes).expect("json")["amr"].clone()
}

#[tokio::test]
async fn a_signed_challenge_logs_in_without_the_password() {
    let app = spawn_app().await;
    for (name, key) in [
        ("es_user", DeviceKey::es256()),
        ("ed_user", DeviceKey::ed25519()),
    ] {
        let user = app.signed_in(name).await;
        let device_id = register_device(&app, &user, &key).await;
        let (challenge_id, challenge) = new_challenge(&app, &device_id).await;
        let body = biometric_login(&app, &challenge_id, &key.sign(&challenge)).await;
        let login = &body["data"]["biometricLogin"];
        assert_eq!(
            login["user"]["user_id"],
            user.user_id,
            "{} {body}",
            key.algorithm()
        );
        let token = login["access_token"].as_str().expect("token");
        assert_eq!(amr_of(token), json!(["hwk"]));
        assert_eq!(
            app.profile(token).await["data"]["myProfile"]["user_id"],
            user.user_id
        );
    }
    // The password still works: biometrics is a shortcut, not a password change.
    assert!(
        app.login("es_user@example.com", crate::helpers::PASSWORD)
            .await["data"]["loginUser"]
            .is_object()
    );
}

#[tokio::test]
async fn a_forged_signature_is_refused_and_spends_the_challenge() {
    let app = spawn_app().await;
    let user = app.signed_in("victim").await;
    let key = DeviceKey::es256();
    let device_id = register_device(&app, &user, &key).await;
    let (challenge_id, challenge) = new_challenge(&app, &device_id).await;

    let attacker = DeviceKey::es256();
    let forged = biometric_login(&app, &challenge_id, &attacker.sign(&challenge)).await;
    assert_eq!(error_code(&forged), "UNAUTHENTICATED", "{forged}");
    let garbage = biometric_login(&app, &challenge_id, "AAAA").await;
    assert_eq!(error_code(&garbage), "UNAUTHENTICATED");

    // One attempt per challenge: the genuine signature no longer helps.
    let genuine = biometric_login(&app, &challenge_id, &key.sign(&challenge)).await;
    assert_eq!(error_code(&genuine), "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_replayed_challenge_is_refused() {
    let app = spawn_app().await;
    let user = app.signed_in("victim").await;
    let key = DeviceKey::ed25519();
    let device_id = register_device(&app, &user, &key).await;
    let (challenge_id, challenge) = new_challenge(&app, &device_id).await;
    let signature = key.sign(&challenge);
    assert!(
        biometric_login(&app, &challenge_id, &signature).await["data"]["biometricLogin"]
            .is_object()
    );
    let replay = biometric_login(&app, &challenge_id, &signature).await;
    assert_eq!(error_code(&replay), "UNAUTHENTICATED", "{replay}");
    assert!(
        replay["errors"][0]["message"]
            .as_str()
            .expect("message")
            .contains("already used")
    );

    // A signature over one challenge does not open another.
    let (other_id, _) = new_challenge(&app, &device_id).await;
    assert_eq!(
        error_code(&biometric_login(&app, &other_id, &signature).await),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn an_expired_challenge_is_refused() {
    let app = spawn_app().await;
    let user = app.signed_in("slow").await;
    let key = DeviceKey::es256();
    let device_id = register_device(&app, &user, &key).await;
    let (challenge_id, challenge) = new_challenge(&app, &device_id).await;
    app.clock.advance(chrono::Duration::minutes(3));
    assert_eq!(
        error_code(&biometric_login(&app, &challenge_id, &key.sign(&challenge)).await),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn only_a_password_session_may_register_a_device() {
    let app = spawn_app().await;
    let user = app.signed_in("careful").await;
    let key = DeviceKey::es256();
    let device_id = register_device(&app, &user, &key).await;
    let (challenge_id, challenge) = new_challenge(&app, &device_id).await;
    let body = biometric_login(&app, &challenge_id, &key.sign(&challenge)).await;
    let biometric_token = body["data"]["biometricLogin"]["access_token"]
        .as_str()
        .expect("token")
        .to_owned();

    let second = DeviceKey::es256();
    let from_biometric = app
        .graphql(
            Some(&biometric_token),
            REGISTER,
            json!({ "k": second.public_key(), "a": "ES256" }),
        )
        .await;
    assert_eq!(error_code(&from_biometric), "FORBIDDEN", "{from_biometric}");
    let anonymous = app
        .graphql(
            None,
            REGISTER,
            json!({ "k": second.public_key(), "a": "ES256" }),
        )
        .await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
    let bad_key = app
        .graphql(
            Some(&user.access_token),
            REGISTER,
            json!({ "k": "bm90LWEta2V5", "a": "ES256" }),
        )
        .await;
    assert_eq!(error_code(&bad_key), "BAD_USER_INPUT");
}

#[tokio::test]
async fn a_revoked_device_cannot_log_in() {
    let app = spawn_app().await;
    let user = app.signed_in("loser").await;
    let key = DeviceKey::ed25519();
    let device_id = register_device(&app, &user, &key).await;
    let (challenge_id, challenge) = new_challenge(&app, &device_id).await;
    let revoked = app
        .graphql(
            Some(&user.access_token),
            "mutation($d: String!) { revokeBiometricDevice(deviceId: $d) }",
            json!({ "d": device_id }),
        )
        .await;
    assert_eq!(revoked["data"]["revokeBiometricDevice"], true);
    assert_eq!(
        error_code(&biometric_login(&app, &challenge_id, &key.sign(&challenge)).await),
        "UNAUTHENTICATED"
    );
    let body = app
        .graphql(None, CHALLENGE, json!({ "d": device_id }))
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let devices = app
        .graphql(
            Some(&user.access_token),
            "{ myBiometricDevices { device_id } }",
            json!({}),
        )
        .await;
    assert_eq!(devices["data"]["myBiometricDevices"], json!([]));
}

#[tokio::test]
async fn parallel_registrations_cannot_exceed_ten_devices() {
    let app = spawn_app().await;
    let user = app.signed_in("collector").await;
    let keys: Vec<DeviceKey> = (0..14).map(|_| DeviceKey::ed25519()).collect();
    let requests = keys.iter().map(|key| {
        app.graphql(
            Some(&user.access_token),
            REGISTER,
            json!({ "k": key.public_key(), "a": key.algorithm() }),
        )
    });
    let bodies = futures::future::join_all(requests).await;
    let registered = bodies
        .iter()
        .filter(|b| b["data"]["registerBiometricDevice"].is_object())
        .count();
    assert_eq!(registered, 10, "{bodies:?}");
    for body in bodies
        .iter()
        .filter(|b| !b["data"]["registerBiometricDevice"].is_object())
    {
        assert_eq!(error_code(body), "CONFLICT", "{body}");
    }
}

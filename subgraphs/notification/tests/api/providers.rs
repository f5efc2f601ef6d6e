//! The real channel adapters against providers started by the tests: an SMTP
//! server written here (it can refuse the first messages with a transient error),
//! and the HTTP provider double of `helpers` as an SMS gateway and as the WhatsApp
//! Cloud API.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notification::config::{ChannelsConfig, EmailTransport, SmsTransport, WhatsAppTransport};
use notification::domain::channels::SmtpSecurity;
use notification::domain::{Channels, Outgoing, state};
use platform::events::{EventBus, InProcessBus};
use secrecy::SecretString;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::helpers::{Provider, TestApp, otp, spawn_app_with};

/// A minimal SMTP server: takes every message, except that it answers the first
/// `refuse` `MAIL FROM`s with `451` (try again later).
struct SmtpServer {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<String>>>,
}

impl SmtpServer {
    async fn start(refuse: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let refuse = Arc::new(AtomicUsize::new(refuse));
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (store, refuse) = (store.clone(), refuse.clone());
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 test.local ESMTP\r\n").await;
                    while let Ok(Some(line)) = lines.next_line().await {
                        let verb = line
                            .split_whitespace()
                            .next()
                            .unwrap_or("")
                            .to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" | "HELO" => b"250 test.local\r\n",
                            "MAIL" => {
                                if refuse
                                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                                        n.checked_sub(1)
                                    })
                                    .is_ok()
                                {
                                    b"451 4.3.0 Try again later\r\n"
                                } else {
                                    b"250 OK\r\n"
                                }
                            }
                            "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                            "DATA" => {
                                let _ = write
                                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                                    .await;
                                let mut data = String::new();
                                while let Ok(Some(line)) = lines.next_line().await {
                                    if line == "." {
                                        break;
                                    }
                                    data.push_str(&line);
                                    data.push('\n');
                                }
                                store.lock().expect("store").push(data);
                                b"250 OK queued\r\n"
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 Bye\r\n").await;
                                return;
                            }
                            _ => b"502 Command not implemented\r\n",
                        };
                        if write.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Self { addr, received }
    }

    fn received(&self) -> Vec<String> {
        self.received.lock().expect("store").clone()
    }
}

async fn wait_until_sent(app: &TestApp) -> notification::db::entities::message::Model {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(sent) = app
            .messages()
            .await
            .into_iter()
            .find(|m| m.status == state::SENT)
        {
            return sent;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{:?}",
            app.messages().await
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn an_otp_email_goes_through_a_real_smtp_server_after_two_refusals() {
    let server = SmtpServer::start(2).await;
    let app = spawn_app_with(
        EventBus::InProcess(InProcessBus::new()),
        |_| None,
        |config| {
            config.channels.email_transport = EmailTransport::Smtp;
            config.channels.smtp_host = Some("127.0.0.1".into());
            config.channels.smtp_port = server.addr.port();
            config.channels.smtp_security = SmtpSecurity::None;
            config.channels.smtp_from = "Dompet Sawit <no-reply@dompetsawit.test>".into();
        },
    )
    .await;
    app.publish(&otp("naruto", "EMAIL", "naruto@konoha.id", "042137"))
        .await;
    let sent = wait_until_sent(&app).await;
    assert_eq!(sent.attempts, 3, "two refusals, then taken");
    let received = server.received();
    assert_eq!(received.len(), 1, "{received:?}");
    let email = &received[0];
    assert!(
        email.contains("From: \"Dompet Sawit\" <no-reply@dompetsawit.test>"),
        "{email}"
    );
    assert!(email.contains("To: naruto@konoha.id"), "{email}");
    assert!(
        email.contains("Subject: Kode verifikasi Dompet Sawit"),
        "{email}"
    );
    assert!(
        email.contains(&format!("Message-ID: <{}@dompetsawit.test>", sent.id)),
        "{email}"
    );
    assert!(email.contains("Kode verifikasi Anda: 042137"), "{email}");
    assert!(
        app.wait_for_sink(0).await.is_empty(),
        "nothing went to the sink"
    );
}

#[tokio::test]
async fn an_otp_sms_goes_to_the_http_gateway_once_after_two_503s() {
    let gateway = Provider::start("/send", 2).await;
    let app = spawn_app_with(
        EventBus::InProcess(InProcessBus::new()),
        |_| None,
        |config| {
            config.channels.sms_transport = SmsTransport::Http;
            config.channels.sms_http_url = Some(format!("http://{}/send", gateway.addr));
            config.channels.sms_http_token = Some(SecretString::from("sms-token"));
            config.channels.sms_sender_id = Some("DOMPETSAWIT".into());
        },
    )
    .await;
    let requested = otp("naruto", "PHONE", "+6281234567890", "042137");
    app.publish(&requested).await;
    app.publish(&requested).await;
    let sent = wait_until_sent(&app).await;
    assert_eq!(sent.attempts, 3);
    assert_eq!(gateway.requests().len(), 3);
    let taken = gateway.taken();
    assert_eq!(taken.len(), 1);
    let (headers, body) = (&taken[0].headers, &taken[0].body);
    assert_eq!(headers["authorization"], "Bearer sms-token");
    assert_eq!(headers["idempotency-key"], sent.id.as_str());
    assert_eq!(body["to"], "+6281234567890");
    assert_eq!(body["from"], "DOMPETSAWIT");
    assert_eq!(body["reference"], sent.id.as_str());
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("042137")),
        "{body}"
    );
}

#[tokio::test]
async fn a_whatsapp_message_has_the_cloud_api_shape() {
    let cloud = Provider::start("/v21.0/1234567890/messages", 0).await;
    let mut config = ChannelsConfig::local();
    config.whatsapp_transport = WhatsAppTransport::Cloud;
    config.whatsapp_api_url = format!("http://{}/v21.0/", cloud.addr);
    config.whatsapp_phone_number_id = Some("1234567890".into());
    config.whatsapp_token = Some(SecretString::from("wa-token"));
    let sink = tempfile::tempdir().expect("a sink folder");
    let channels = Channels::from_config(&config, sink.path().to_owned()).expect("channels");
    let message = Outgoing {
        id: "msg-1".into(),
        channel: "WHATSAPP",
        destination: "+6281234567890".into(),
        subject: None,
        body: "Dompet Sawit: kode verifikasi Anda *042137*.".into(),
        template_code: "OTP_VERIFICATION".into(),
        event_id: "e-1".into(),
    };
    channels.whatsapp.send(&message).await.expect("taken");
    let taken = cloud.taken();
    assert_eq!(taken.len(), 1);
    let (headers, body) = (&taken[0].headers, &taken[0].body);
    assert_eq!(headers["authorization"], "Bearer wa-token");
    assert_eq!(
        body,
        &json!({
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "6281234567890", "type": "text",
            "text": { "preview_url": false, "body": "Dompet Sawit: kode verifikasi Anda *042137*." },
            "biz_opaque_callback_data": "msg-1"
        })
    );
}

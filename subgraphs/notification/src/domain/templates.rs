//! Templates: a message's text by code and channel, with `{{variable}}`
//! placeholders filled from the event. A placeholder the event does not fill is an
//! error when rendering — a message is never sent with a hole in it — and a
//! template with a broken placeholder cannot be saved.
//!
//! The defaults (Indonesian) are written to the database when the service starts,
//! each only where that code and channel has no text yet, so an admin's edits stay.

use std::fmt;

use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};
use serde_json::{Map, Value};

use crate::db::entities::template;

/// Where a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Email,
    Sms,
    WhatsApp,
    InApp,
}

impl Channel {
    pub const ALL: [Self; 4] = [Self::Email, Self::Sms, Self::WhatsApp, Self::InApp];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Email => "EMAIL",
            Self::Sms => "SMS",
            Self::WhatsApp => "WHATSAPP",
            Self::InApp => "IN_APP",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a template cannot be rendered or saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("the template needs `{0}`, which the event does not give")]
    Missing(String),
    #[error("broken placeholder at byte {at}: {problem}")]
    Syntax { at: usize, problem: &'static str },
}

/// A message's text, rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: Option<String>,
    pub body: String,
}

/// The placeholders of `text`, in order (repeats included).
pub fn placeholders(text: &str) -> Result<Vec<&str>, TemplateError> {
    let mut found = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(start) = rest.find("{{") {
        let at = offset + start;
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TemplateError::Syntax {
            at,
            problem: "`{{` without `}}`",
        })?;
        let name = after[..end].trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(TemplateError::Syntax {
                at,
                problem: "a placeholder is a name of lowercase letters, digits and `_`",
            });
        }
        found.push(name);
        let consumed = start + 2 + end + 2;
        rest = &rest[consumed..];
        offset += consumed;
    }
    Ok(found)
}

/// `text` with each placeholder replaced by its variable: strings as they are,
/// numbers and booleans as written; a missing or null variable is an error.
pub fn render_text(text: &str, vars: &Map<String, Value>) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    for name in placeholders(text)? {
        let start = rest.find("{{").expect("placeholders() found it");
        out.push_str(&rest[..start]);
        let end = start + rest[start..].find("}}").expect("placeholders() found it") + 2;
        match vars.get(name) {
            Some(Value::String(s)) => out.push_str(s),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => out.push_str(&v.to_string()),
            _ => return Err(TemplateError::Missing(name.to_owned())),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Renders a stored template.
pub fn render(
    template: &template::Model,
    vars: &Map<String, Value>,
) -> Result<Rendered, TemplateError> {
    Ok(Rendered {
        subject: template
            .subject
            .as_deref()
            .map(|s| render_text(s, vars))
            .transpose()?,
        body: render_text(&template.body, vars)?,
    })
}

/// A default template.
#[derive(Debug, Clone, Copy)]
pub struct DefaultTemplate {
    pub code: &'static str,
    pub channel: Channel,
    pub subject: Option<&'static str>,
    pub body: &'static str,
}

const fn text(
    code: &'static str,
    channel: Channel,
    subject: Option<&'static str>,
    body: &'static str,
) -> DefaultTemplate {
    DefaultTemplate {
        code,
        channel,
        subject,
        body,
    }
}

use Channel::{Email, InApp, Sms, WhatsApp};

/// The Indonesian defaults, by code (SPEC §7).
pub const DEFAULTS: &[DefaultTemplate] = &[
    text(
        "OTP_VERIFICATION",
        Email,
        Some("Kode verifikasi Dompet Sawit"),
        "Halo {{fullname}},\n\nKode verifikasi Anda: {{code}}\nKode ini berlaku sampai {{expires_at}}. Jangan berikan kode ini kepada siapa pun, termasuk yang mengaku dari Dompet Sawit.\n\nSalam,\nDompet Sawit",
    ),
    text(
        "OTP_VERIFICATION",
        Sms,
        None,
        "Dompet Sawit: kode verifikasi Anda {{code}}, berlaku sampai {{expires_at}}. JANGAN berikan kode ini kepada siapa pun.",
    ),
    text(
        "OTP_VERIFICATION",
        WhatsApp,
        None,
        "Dompet Sawit: kode verifikasi Anda *{{code}}*, berlaku sampai {{expires_at}}. JANGAN berikan kode ini kepada siapa pun.",
    ),
    text(
        "PAYMENT_INSTRUCTION",
        InApp,
        Some("Selesaikan pembayaran Anda"),
        "Bayar {{amount}} ke Virtual Account {{va_number}} sebelum {{expires_at}}.",
    ),
    text(
        "PAYMENT_INSTRUCTION",
        Email,
        Some("Instruksi pembayaran {{va_number}}"),
        "Halo {{fullname}},\n\nSilakan bayar {{amount}} ke Virtual Account {{va_number}} sebelum {{expires_at}}.\n\nSalam,\nDompet Sawit",
    ),
    text(
        "PAYMENT_REMINDER",
        InApp,
        Some("Pengingat pembayaran"),
        "Pembayaran {{amount}} ke Virtual Account {{va_number}} berakhir pada {{expires_at}}.",
    ),
    text(
        "PAYMENT_REMINDER",
        Email,
        Some("Pengingat: pembayaran {{va_number}} segera berakhir"),
        "Halo {{fullname}},\n\nPembayaran {{amount}} ke Virtual Account {{va_number}} berakhir pada {{expires_at}}.\n\nSalam,\nDompet Sawit",
    ),
    text(
        "PAYMENT_SUCCESS",
        InApp,
        Some("Pembayaran berhasil"),
        "Pembayaran {{amount}} berhasil. ID transaksi: {{transaction_id}}.",
    ),
    text(
        "PAYMENT_SUCCESS",
        Email,
        Some("Pembayaran berhasil"),
        "Halo {{fullname}},\n\nPembayaran {{amount}} berhasil.\nID transaksi: {{transaction_id}}\n\nSalam,\nDompet Sawit",
    ),
    text(
        "LOAN_APPROVED",
        InApp,
        Some("Pinjaman disetujui"),
        "Selamat, pinjaman Anda sebesar {{amount}} disetujui.",
    ),
    text(
        "LOAN_APPROVED",
        Email,
        Some("Pinjaman Anda disetujui"),
        "Halo {{fullname}},\n\nSelamat, pinjaman Anda sebesar {{amount}} disetujui.\n\nSalam,\nDompet Sawit",
    ),
    text(
        "LOAN_REJECTED",
        InApp,
        Some("Pengajuan pinjaman belum disetujui"),
        "Mohon maaf, pengajuan pinjaman Anda belum dapat disetujui. Alasan: {{reason}}.",
    ),
    text(
        "LOAN_REJECTED",
        Email,
        Some("Pengajuan pinjaman Anda"),
        "Halo {{fullname}},\n\nMohon maaf, pengajuan pinjaman Anda belum dapat disetujui.\nAlasan: {{reason}}\n\nSalam,\nDompet Sawit",
    ),
    text(
        "KYC_VERIFIED",
        InApp,
        Some("Verifikasi identitas berhasil"),
        "Verifikasi identitas Anda berhasil. Level akun Anda sekarang {{level}}.",
    ),
    text(
        "KYC_VERIFIED",
        Email,
        Some("Verifikasi identitas berhasil"),
        "Halo {{fullname}},\n\nVerifikasi identitas (KYC) Anda berhasil. Level akun Anda sekarang {{level}}.\n\nSalam,\nDompet Sawit",
    ),
    text(
        "ORDER_ACCEPTED",
        InApp,
        Some("Pesanan diterima"),
        "Pesanan {{order_id}} Anda telah diterima penjual.",
    ),
    text(
        "ORDER_ARRIVED",
        InApp,
        Some("Pesanan sampai"),
        "Pesanan {{order_id}} Anda telah sampai di tujuan.",
    ),
    text(
        "RATING_RECEIVED",
        InApp,
        Some("Penilaian baru"),
        "Anda menerima penilaian {{rating}} untuk pesanan {{order_id}}.",
    ),
];

/// Writes every default whose code and channel has no text yet; returns how many
/// were written.
pub async fn seed_defaults<C: ConnectionTrait>(
    conn: &C,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, DbErr> {
    let rows = DEFAULTS.iter().map(|d| template::ActiveModel {
        code: Set(d.code.to_owned()),
        channel: Set(d.channel.as_str().to_owned()),
        subject: Set(d.subject.map(str::to_owned)),
        body: Set(d.body.to_owned()),
        updated_by: Set(None),
        updated_at: Set(now),
    });
    template::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([template::Column::Code, template::Column::Channel])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
}

impl crate::domain::NotificationService {
    /// Every template, by code and channel.
    pub async fn templates(&self) -> Result<Vec<template::Model>, crate::error::NotificationError> {
        use sea_orm::QueryOrder;
        Ok(template::Entity::find()
            .order_by_asc(template::Column::Code)
            .order_by_asc(template::Column::Channel)
            .all(&self.db)
            .await?)
    }

    /// Admin: replaces the text of an existing template. Placeholders must be well
    /// formed; email and in-app texts need a subject, SMS and WhatsApp have none.
    pub async fn edit_template(
        &self,
        code: &str,
        channel: &str,
        subject: Option<String>,
        body: String,
        admin_id: &str,
    ) -> Result<template::Model, crate::error::NotificationError> {
        use crate::error::NotificationError;
        use sea_orm::{ActiveModelTrait, IntoActiveModel};
        let parsed = Channel::parse(channel).ok_or_else(|| {
            NotificationError::bad_input(
                "channel",
                "`channel` is one of EMAIL, SMS, WHATSAPP and IN_APP.",
            )
        })?;
        if body.trim().is_empty() {
            return Err(NotificationError::bad_input(
                "body",
                "`body` must not be empty.",
            ));
        }
        placeholders(&body).map_err(|e| NotificationError::template("body", e))?;
        let wants_subject = matches!(parsed, Channel::Email | Channel::InApp);
        match (&subject, wants_subject) {
            (Some(s), true) if !s.trim().is_empty() => {
                placeholders(s).map_err(|e| NotificationError::template("subject", e))?;
            }
            (_, true) => {
                return Err(NotificationError::bad_input(
                    "subject",
                    "Email and in-app texts need a `subject`.",
                ));
            }
            (Some(_), false) => {
                return Err(NotificationError::bad_input(
                    "subject",
                    "SMS and WhatsApp texts have no `subject`.",
                ));
            }
            (None, false) => {}
        }
        let found = template::Entity::find_by_id((code.to_owned(), parsed.as_str().to_owned()))
            .one(&self.db)
            .await?
            .ok_or_else(|| NotificationError::TemplateNotFound {
                code: code.to_owned(),
                channel: parsed.as_str().to_owned(),
            })?;
        let mut edited = found.into_active_model();
        edited.subject = Set(subject);
        edited.body = Set(body);
        edited.updated_by = Set(Some(admin_id.to_owned()));
        edited.updated_at = Set(self.clock.now());
        let saved = edited.update(&self.db).await?;
        tracing::info!(
            code,
            channel = parsed.as_str(),
            admin.id = admin_id,
            "template edited"
        );
        Ok(saved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vars(value: Value) -> Map<String, Value> {
        value.as_object().expect("an object").clone()
    }

    #[test]
    fn placeholders_are_filled_from_the_variables() {
        let text = render_text(
            "Kode {{ code }} untuk {{fullname}}, {{n}} kali, {{code}}",
            &vars(json!({ "code": "123456", "fullname": "Naruto", "n": 3 })),
        );
        assert_eq!(
            text.as_deref(),
            Ok("Kode 123456 untuk Naruto, 3 kali, 123456")
        );
    }

    #[test]
    fn a_missing_or_null_variable_is_an_error_not_a_hole() {
        let missing = render_text("Kode {{code}}", &vars(json!({ "fullname": "Naruto" })));
        assert_eq!(missing, Err(TemplateError::Missing("code".into())));
        let null = render_text("Kode {{code}}", &vars(json!({ "code": null })));
        assert_eq!(null, Err(TemplateError::Missing("code".into())));
        let object = render_text("Kode {{code}}", &vars(json!({ "code": { "a": 1 } })));
        assert_eq!(object, Err(TemplateError::Missing("code".into())));
    }

    #[test]
    fn broken_placeholders_are_refused() {
        for broken in ["Kode {{code", "Kode {{}}", "Kode {{Kode Anda}}", "{{a-b}}"] {
            assert!(
                matches!(placeholders(broken), Err(TemplateError::Syntax { .. })),
                "{broken}"
            );
        }
        assert_eq!(placeholders("no placeholders } {"), Ok(vec![]));
    }

    #[test]
    fn every_default_is_well_formed_and_every_code_has_a_text() {
        for d in DEFAULTS {
            placeholders(d.body).unwrap_or_else(|e| panic!("{} {}: {e}", d.code, d.channel));
            if let Some(subject) = d.subject {
                placeholders(subject).unwrap_or_else(|e| panic!("{} {}: {e}", d.code, d.channel));
            }
            assert_eq!(
                d.subject.is_some(),
                matches!(d.channel, Channel::Email | Channel::InApp),
                "{} {}: a subject for email and in-app only",
                d.code,
                d.channel
            );
        }
        for code in [
            "OTP_VERIFICATION",
            "PAYMENT_INSTRUCTION",
            "PAYMENT_REMINDER",
            "PAYMENT_SUCCESS",
            "LOAN_APPROVED",
            "LOAN_REJECTED",
            "KYC_VERIFIED",
            "ORDER_ACCEPTED",
            "ORDER_ARRIVED",
            "RATING_RECEIVED",
        ] {
            assert!(
                DEFAULTS.iter().any(|d| d.code == code),
                "{code} has no default"
            );
        }
    }

    #[test]
    fn the_otp_sms_is_in_indonesian_with_the_code() {
        let sms = DEFAULTS
            .iter()
            .find(|d| d.code == "OTP_VERIFICATION" && d.channel == Channel::Sms)
            .expect("an OTP SMS");
        let text = render_text(
            sms.body,
            &vars(json!({ "code": "042137", "expires_at": "10:05 WIB" })),
        )
        .expect("renders");
        assert!(text.contains("kode verifikasi Anda 042137"), "{text}");
        assert!(text.contains("JANGAN berikan kode ini"), "{text}");
    }
}

//! Parse-don't-validate newtypes for what a user types at registration.

use std::fmt;

/// Why a value was refused, in words for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

impl Invalid {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// An email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let invalid = || {
            Invalid::new(
                "email",
                "Enter a valid email address, e.g. nama@contoh.com.",
            )
        };
        let email = raw.trim().to_lowercase();
        if email.len() > 254 {
            return Err(invalid());
        }
        let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if local_ok && domain_ok {
            Ok(Self(email))
        } else {
            Err(invalid())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A username: 3–32 letters, digits, `_`, `.` or `-`. Compared case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = raw.trim();
        let length = name.chars().count();
        if !(3..=32).contains(&length) {
            return Err(Invalid::new(
                "username",
                "A username has 3 to 32 characters.",
            ));
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        {
            return Err(Invalid::new(
                "username",
                "A username may contain only letters, digits, `_`, `.` and `-`.",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form uniqueness is checked on.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A person's full name: 1–100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullName(String);

impl FullName {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let length = name.chars().count();
        if length == 0 || length > 100 {
            return Err(Invalid::new(
                "fullname",
                "A full name has 1 to 100 characters.",
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(Invalid::new(
                "fullname",
                "A full name cannot contain control characters.",
            ));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An Indonesian mobile number, normalised to E.164 (`+628…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts `08…`, `628…` and `+628…`, with spaces, dots, dashes or brackets.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let invalid = || {
            Invalid::new(
                "phone",
                "Enter an Indonesian mobile number, e.g. 0812-3456-7890 or +62 812 3456 7890.",
            )
        };
        let compact: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
            .collect();
        let national = compact
            .strip_prefix("+62")
            .or_else(|| compact.strip_prefix("62"))
            .or_else(|| compact.strip_prefix('0'))
            .ok_or_else(invalid)?;
        // Mobile numbers start with 8 and have 9 to 12 digits after the country code.
        let valid = national.starts_with('8')
            && (9..=12).contains(&national.len())
            && national.chars().all(|c| c.is_ascii_digit());
        if valid {
            Ok(Self(format!("+62{national}")))
        } else {
            Err(invalid())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password as typed: 8 to 128 characters (the upper bound keeps hashing cheap).
#[derive(Clone)]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let length = raw.chars().count();
        if length < 8 {
            return Err(Invalid::new(
                "password",
                "A password has at least 8 characters.",
            ));
        }
        if length > 128 {
            return Err(Invalid::new(
                "password",
                "A password has at most 128 characters.",
            ));
        }
        if raw.trim().is_empty() {
            return Err(Invalid::new(
                "password",
                "A password cannot be only spaces.",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse(" Naruto@Gmail.com ").unwrap().as_str(),
            "naruto@gmail.com"
        );
        assert!(Email::parse("a.b+tag@sub.example.co.id").is_ok());
        for bad in [
            "",
            "naruto",
            "naruto@",
            "@gmail.com",
            "a@b",
            "a..b@x.com",
            "a@-x.com",
            "a b@x.com",
            "a@x.c0m",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn indonesian_mobile_numbers_are_normalised_to_e164() {
        for ok in [
            "081234567890",
            "0812-3456-7890",
            "+62 812 3456 7890",
            "6281234567890",
            "(0812) 345.678",
        ] {
            let phone = PhoneNumber::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert!(
                phone.as_str().starts_with("+628"),
                "{ok} → {}",
                phone.as_str()
            );
        }
        assert_eq!(
            PhoneNumber::parse("0812-3456-7890").unwrap().as_str(),
            "+6281234567890"
        );
        for bad in [
            "",
            "12345",
            "0212345678",
            "+6512345678",
            "08123",
            "08123456789012345",
            "0812abc4567",
        ] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn usernames_and_names_are_bounded() {
        assert!(Username::parse("narto").is_ok());
        assert_eq!(Username::parse("Narto").unwrap().key(), "narto");
        assert!(Username::parse("na").is_err());
        assert!(Username::parse("na rto").is_err());
        assert_eq!(
            FullName::parse("  Naruto   Uzumaki ").unwrap().as_str(),
            "Naruto Uzumaki"
        );
        assert!(FullName::parse("   ").is_err());
    }

    #[test]
    fn passwords_have_bounded_length() {
        assert!(Password::parse("password123").is_ok());
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"x".repeat(129)).is_err());
        assert!(Password::parse("        ").is_err());
    }
}

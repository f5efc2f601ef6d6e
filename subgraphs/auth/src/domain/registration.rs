//! Registration and the admin seed.

use platform::auth::Role;
use platform::db::begin_write;
use platform::events::NewEvent;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DbErr, EntityTrait, QueryFilter, Set, SqlErr,
};
use serde_json::json;

use super::otp::Channel;
use super::values::{Email, FullName, Password, PhoneNumber, Username};
use super::{AuthService, topics};
use crate::db::entities::user;
use crate::error::AuthError;

/// What a person submits to register.
#[derive(Debug, Clone)]
pub struct Registration {
    pub username: String,
    pub fullname: String,
    pub email: String,
    pub password: String,
    pub phone: Option<String>,
}

/// What seeding the admin found or did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminSeed {
    Created,
    AlreadyPresent,
}

struct NewUser {
    username: Username,
    fullname: FullName,
    email: Email,
    phone: Option<PhoneNumber>,
    password_hash: String,
    role: Role,
    email_verified: bool,
}

impl AuthService {
    /// Registers a customer (`Nasabah`) and sends an OTP to verify the email.
    pub async fn register(&self, input: Registration) -> Result<user::Model, AuthError> {
        let username = Username::parse(&input.username)?;
        let fullname = FullName::parse(&input.fullname)?;
        let email = Email::parse(&input.email)?;
        let password = Password::parse(&input.password)?;
        let phone = input
            .phone
            .as_deref()
            .filter(|p| !p.trim().is_empty())
            .map(PhoneNumber::parse)
            .transpose()?;
        self.ensure_unique(&email, &username, phone.as_ref())
            .await?;
        let password_hash = self.passwords.hash(&password).await?;

        let txn = begin_write(&self.db).await?;
        let new = NewUser {
            username,
            fullname,
            email,
            phone,
            password_hash,
            role: Role::Nasabah,
            email_verified: false,
        };
        let user = match self.insert_user(&txn, &new).await {
            Ok(user) => user,
            Err(err) if is_unique_violation(&err) => {
                // A concurrent registration took a value between the check and the
                // insert. The transaction is finished first: on PostgreSQL it is
                // aborted, and it holds a pooled connection.
                txn.rollback().await?;
                let field = self
                    .duplicate_field(&new.email, &new.username, new.phone.as_ref())
                    .await?
                    .unwrap_or("email or username");
                return Err(AuthError::Duplicate(field));
            }
            Err(err) => return Err(err.into()),
        };
        self.outbox
            .enqueue(
                &txn,
                NewEvent::new(
                    topics::USER_REGISTERED,
                    &user.id,
                    json!({
                        "user_id": user.id,
                        "username": user.username,
                        "fullname": user.fullname,
                        "email": user.email,
                        "phone": user.phone,
                    }),
                ),
            )
            .await?;
        self.issue_otp(&txn, &user, Channel::Email).await?;
        txn.commit().await?;
        self.outbox.wake();
        tracing::info!(user.id = %user.id, "user registered");
        Ok(user)
    }

    /// Creates the admin account from configuration when it does not exist yet. An
    /// existing admin keeps its password; an existing non-admin account with that
    /// email is never promoted.
    pub async fn seed_admin(&self, email: &str, password: &str) -> Result<AdminSeed, AuthError> {
        let email = Email::parse(email)?;
        let existing = user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(&self.db)
            .await?;
        if let Some(existing) = existing {
            if existing.role == Role::Admin.as_str() {
                return Ok(AdminSeed::AlreadyPresent);
            }
            return Err(AuthError::Internal(format!(
                "ADMIN_EMAIL {} belongs to a non-admin account; choose another admin email",
                email.as_str()
            )));
        }
        let password = Password::parse(password)?;
        let taken = user::Entity::find()
            .filter(user::Column::UsernameKey.eq("admin"))
            .one(&self.db)
            .await?
            .is_some();
        let username = if taken {
            format!("admin-{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
        } else {
            "admin".to_owned()
        };
        let password_hash = self.passwords.hash(&password).await?;
        let new = NewUser {
            username: Username::parse(&username)?,
            fullname: FullName::parse("Administrator")?,
            email,
            phone: None,
            password_hash,
            role: Role::Admin,
            email_verified: true,
        };
        let txn = begin_write(&self.db).await?;
        match self.insert_user(&txn, &new).await {
            Ok(_) => {
                txn.commit().await?;
                Ok(AdminSeed::Created)
            }
            // Another replica seeded the admin at the same moment.
            Err(err) if is_unique_violation(&err) => {
                txn.rollback().await?;
                Ok(AdminSeed::AlreadyPresent)
            }
            Err(err) => Err(err.into()),
        }
    }

    async fn insert_user(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        new: &NewUser,
    ) -> Result<user::Model, DbErr> {
        let now = self.now();
        user::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            username: Set(new.username.as_str().to_owned()),
            username_key: Set(new.username.key()),
            fullname: Set(new.fullname.as_str().to_owned()),
            email: Set(new.email.as_str().to_owned()),
            phone: Set(new.phone.as_ref().map(|p| p.as_str().to_owned())),
            password_hash: Set(new.password_hash.clone()),
            role: Set(new.role.as_str().to_owned()),
            email_verified_at: Set(new.email_verified.then_some(now)),
            phone_verified_at: Set(None),
            failed_login_attempts: Set(0),
            locked_until: Set(None),
            last_login_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(txn)
        .await
    }

    async fn ensure_unique(
        &self,
        email: &Email,
        username: &Username,
        phone: Option<&PhoneNumber>,
    ) -> Result<(), AuthError> {
        match self.duplicate_field(email, username, phone).await? {
            Some(field) => Err(AuthError::Duplicate(field)),
            None => Ok(()),
        }
    }

    /// Which of the unique values is already taken, if any.
    async fn duplicate_field(
        &self,
        email: &Email,
        username: &Username,
        phone: Option<&PhoneNumber>,
    ) -> Result<Option<&'static str>, AuthError> {
        let mut any = Condition::any()
            .add(user::Column::Email.eq(email.as_str()))
            .add(user::Column::UsernameKey.eq(username.key()));
        if let Some(phone) = phone {
            any = any.add(user::Column::Phone.eq(phone.as_str()));
        }
        let clashes = user::Entity::find().filter(any).all(&self.db).await?;
        Ok(clashes.iter().find_map(|u| {
            if u.email == email.as_str() {
                Some("email")
            } else if u.username_key == username.key() {
                Some("username")
            } else if phone.is_some_and(|p| u.phone.as_deref() == Some(p.as_str())) {
                Some("phone")
            } else {
                None
            }
        }))
    }
}

fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

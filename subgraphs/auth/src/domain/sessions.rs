//! Sessions: an access token plus a rotating refresh token. Every refresh rotates the
//! token; presenting a rotated (or revoked) token again is treated as theft and ends
//! every session of that login (the token family).

use platform::auth::Role;
use platform::db::begin_write;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect, Set,
};

use super::tokens::{IssuedToken, Subject, opaque_secret, secret_hash};
use super::{AuthService, chrono_duration};
use crate::db::entities::{refresh_token, user};
use crate::error::AuthError;

/// What a successful sign-in or refresh hands back.
#[derive(Debug, Clone)]
pub struct Session {
    pub access: IssuedToken,
    pub refresh_token: String,
    pub user: user::Model,
}

impl AuthService {
    /// Starts a new token family for `user`.
    pub(crate) async fn open_session<C: ConnectionTrait>(
        &self,
        conn: &C,
        user: &user::Model,
        amr: &[&str],
        user_agent: Option<&str>,
    ) -> Result<Session, AuthError> {
        let family = uuid::Uuid::new_v4().to_string();
        self.continue_session(conn, user, &family, amr, user_agent)
            .await
    }

    /// Issues a refresh token in `family` and an access token.
    async fn continue_session<C: ConnectionTrait>(
        &self,
        conn: &C,
        user: &user::Model,
        family: &str,
        amr: &[&str],
        user_agent: Option<&str>,
    ) -> Result<Session, AuthError> {
        let now = self.now();
        let secret = opaque_secret();
        refresh_token::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            user_id: Set(user.id.clone()),
            family_id: Set(family.to_owned()),
            token_hash: Set(secret_hash(&secret)),
            amr: Set(amr.join(" ")),
            user_agent: Set(user_agent.map(|ua| ua.chars().take(500).collect())),
            created_at: Set(now),
            expires_at: Set(now + chrono_duration(self.policy.refresh_ttl)),
            rotated_at: Set(None),
            revoked_at: Set(None),
        }
        .insert(conn)
        .await?;
        let role: Role = user
            .role
            .parse()
            .map_err(|e: String| AuthError::Internal(e))?;
        let access = self.tokens.access(
            Subject {
                user_id: &user.id,
                role,
                username: &user.username,
            },
            amr,
        )?;
        Ok(Session {
            access,
            refresh_token: secret,
            user: user.clone(),
        })
    }

    /// Trades a refresh token for a new pair.
    pub async fn refresh(
        &self,
        presented: &str,
        user_agent: Option<&str>,
    ) -> Result<Session, AuthError> {
        let txn = begin_write(&self.db).await?;
        let token = refresh_token::Entity::find()
            .filter(refresh_token::Column::TokenHash.eq(secret_hash(presented)))
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or(AuthError::RefreshInvalid)?;
        let now = self.now();
        if token.rotated_at.is_some() || token.revoked_at.is_some() {
            let revoked = self.revoke_family(&txn, &token.family_id).await?;
            txn.commit().await?;
            tracing::warn!(user.id = %token.user_id, family = %token.family_id, revoked, "refresh token reuse: family revoked");
            return Err(AuthError::RefreshReused);
        }
        if token.expires_at <= now {
            return Err(AuthError::RefreshInvalid);
        }
        let user = user::Entity::find_by_id(token.user_id.clone())
            .one(&txn)
            .await?
            .ok_or(AuthError::RefreshInvalid)?;
        let family = token.family_id.clone();
        let amr_text = token.amr.clone();
        let mut rotated = token.into_active_model();
        rotated.rotated_at = Set(Some(now));
        rotated.update(&txn).await?;
        let amr: Vec<&str> = amr_text.split_whitespace().collect();
        let session = self
            .continue_session(&txn, &user, &family, &amr, user_agent)
            .await?;
        txn.commit().await?;
        Ok(session)
    }

    /// Ends the login a refresh token belongs to (all of its family).
    pub async fn logout(&self, presented: &str) -> Result<(), AuthError> {
        let txn = begin_write(&self.db).await?;
        let token = refresh_token::Entity::find()
            .filter(refresh_token::Column::TokenHash.eq(secret_hash(presented)))
            .one(&txn)
            .await?
            .ok_or(AuthError::RefreshInvalid)?;
        self.revoke_family(&txn, &token.family_id).await?;
        txn.commit().await?;
        Ok(())
    }

    async fn revoke_family<C: ConnectionTrait>(
        &self,
        conn: &C,
        family: &str,
    ) -> Result<u64, AuthError> {
        let result = refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::RevokedAt, Expr::value(self.now()))
            .filter(refresh_token::Column::FamilyId.eq(family))
            .filter(refresh_token::Column::RevokedAt.is_null())
            .exec(conn)
            .await?;
        Ok(result.rows_affected)
    }
}

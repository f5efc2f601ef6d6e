//! Auth's queries and the `User` entity resolver.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use platform::auth::service::scopes;
use platform::auth::{Caller, TokenVerifier};

use super::types::{BiometricDevice, User};
use crate::domain::AuthService;

pub struct Query;

#[Object]
impl Query {
    /// The signed-in user's profile. `token` is optional: the `Authorization: Bearer`
    /// header is used when it is absent.
    async fn my_profile(&self, ctx: &Context<'_>, token: Option<String>) -> Result<Option<User>> {
        let caller = match token.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(token) => ctx.data::<TokenVerifier>()?.caller(Some(token)).await,
            None => Caller::of(ctx).clone(),
        };
        let user = caller.user()?;
        let service = ctx.data::<Arc<AuthService>>()?;
        Ok(Some(User(service.user(&user.user_id).await?)))
    }

    /// The signed-in user's biometric devices, newest first.
    async fn my_biometric_devices(&self, ctx: &Context<'_>) -> Result<Vec<BiometricDevice>> {
        let user = Caller::of(ctx).user()?;
        let service = ctx.data::<Arc<AuthService>>()?;
        let devices = service.devices(&user.user_id).await?;
        Ok(devices.into_iter().map(BiometricDevice::from).collect())
    }

    /// Internal (service credential with scope `users:read`): a user by id, with
    /// contacts.
    #[graphql(inaccessible)]
    async fn internal_user(&self, ctx: &Context<'_>, user_id: String) -> Result<Option<User>> {
        Caller::of(ctx).service(scopes::USERS_READ)?;
        let service = ctx.data::<Arc<AuthService>>()?;
        Ok(service.find_user(&user_id).await?.map(User))
    }

    #[graphql(entity)]
    async fn find_user_by_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(key, name = "user_id")] user_id: String,
    ) -> Result<Option<User>> {
        let service = ctx.data::<Arc<AuthService>>()?;
        Ok(service.find_user(&user_id).await?.map(User))
    }
}

//! Auth's mutations. Resolvers stay thin: who is calling, then the domain.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use platform::auth::Caller;
use platform::graphql::RequestMeta;

use super::types::{
    BiometricAlgorithm, BiometricChallenge, BiometricDevice, LoginResponse, OtpChannel, OtpRequest,
    User,
};
use crate::domain::AuthService;
use crate::domain::registration::Registration;

pub struct Mutation;

fn service<'a>(ctx: &Context<'a>) -> Result<&'a Arc<AuthService>> {
    ctx.data::<Arc<AuthService>>()
}

#[Object]
impl Mutation {
    /// Registers a customer account (role `Nasabah`) and sends an email verification
    /// code. Returns the new `user_id`.
    async fn register_user(
        &self,
        ctx: &Context<'_>,
        username: String,
        fullname: String,
        email: String,
        password: String,
        #[graphql(desc = "Indonesian mobile number, e.g. 0812-3456-7890 (optional).")]
        phone: Option<String>,
    ) -> Result<Option<String>> {
        let user = service(ctx)?
            .register(Registration {
                username,
                fullname,
                email,
                password,
                phone,
            })
            .await?;
        Ok(Some(user.id))
    }

    /// Signs in with email and password. Five wrong passwords in a row lock the
    /// account for 30 minutes (`ACCOUNT_LOCKED`).
    async fn login_user(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> Result<Option<LoginResponse>> {
        let user_agent = RequestMeta::of(ctx).user_agent.as_deref();
        let session = service(ctx)?.login(&email, &password, user_agent).await?;
        Ok(Some(session.into()))
    }

    /// Trades a refresh token for a new token pair. The presented token is spent;
    /// presenting it again ends every session of that sign-in.
    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        refresh_token: String,
    ) -> Result<Option<LoginResponse>> {
        let user_agent = RequestMeta::of(ctx).user_agent.as_deref();
        let session = service(ctx)?.refresh(&refresh_token, user_agent).await?;
        Ok(Some(session.into()))
    }

    /// Ends the sign-in a refresh token belongs to.
    async fn logout(&self, ctx: &Context<'_>, refresh_token: String) -> Result<Option<bool>> {
        service(ctx)?.logout(&refresh_token).await?;
        Ok(Some(true))
    }

    /// Sends a verification code to the signed-in user's email or phone.
    async fn request_otp(
        &self,
        ctx: &Context<'_>,
        channel: OtpChannel,
    ) -> Result<Option<OtpRequest>> {
        let user = Caller::of(ctx).user()?;
        let issued = service(ctx)?
            .request_otp(&user.user_id, channel.into())
            .await?;
        Ok(Some(issued.into()))
    }

    /// Checks a verification code; the right one marks the email or phone verified.
    async fn verify_otp(
        &self,
        ctx: &Context<'_>,
        channel: OtpChannel,
        code: String,
    ) -> Result<Option<User>> {
        let user = Caller::of(ctx).user()?;
        let verified = service(ctx)?
            .verify_otp(&user.user_id, channel.into(), &code)
            .await?;
        Ok(Some(User(verified)))
    }

    /// Registers this device's public key for biometric login. Allowed right after
    /// a password sign-in (not from a biometric one).
    async fn register_biometric_device(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "PEM, or base64 of SubjectPublicKeyInfo DER (ES256 also SEC1, ED25519 also the raw 32 bytes)."
        )]
        public_key: String,
        algorithm: BiometricAlgorithm,
        device_name: Option<String>,
    ) -> Result<Option<BiometricDevice>> {
        let user = Caller::of(ctx).user()?;
        let device = service(ctx)?
            .register_device(
                &user.user_id,
                &user.amr,
                algorithm.into(),
                &public_key,
                device_name.as_deref(),
            )
            .await?;
        Ok(Some(device.into()))
    }

    /// Revokes one of the signed-in user's biometric devices.
    async fn revoke_biometric_device(
        &self,
        ctx: &Context<'_>,
        device_id: String,
    ) -> Result<Option<bool>> {
        let user = Caller::of(ctx).user()?;
        service(ctx)?
            .revoke_device(&user.user_id, &device_id)
            .await?;
        Ok(Some(true))
    }

    /// A single-use challenge for a registered device to sign.
    async fn biometric_challenge(
        &self,
        ctx: &Context<'_>,
        device_id: String,
    ) -> Result<Option<BiometricChallenge>> {
        Ok(Some(
            service(ctx)?.biometric_challenge(&device_id).await?.into(),
        ))
    }

    /// Signs in with a device's signature over a challenge (base64; ES256 as DER or
    /// raw r‖s).
    async fn biometric_login(
        &self,
        ctx: &Context<'_>,
        challenge_id: String,
        signature: String,
    ) -> Result<Option<LoginResponse>> {
        let user_agent = RequestMeta::of(ctx).user_agent.as_deref();
        let session = service(ctx)?
            .biometric_login(&challenge_id, &signature, user_agent)
            .await?;
        Ok(Some(session.into()))
    }
}

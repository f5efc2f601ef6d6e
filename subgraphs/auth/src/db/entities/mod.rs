//! One module per table.

pub mod biometric_challenge;
pub mod biometric_device;
pub mod otp_code;
pub mod refresh_token;
pub mod user;

//! Delivery: the worker takes each PENDING message that is due, claims it for one
//! attempt, and hands it to its channel. A failure waits before the next attempt —
//! exponentially longer each time, with jitter — and after the last attempt the
//! message is DEAD, for an admin to see and resend.
//!
//! Once per (event, channel, recipient): the message row is unique per all three, and
//! an attempt is claimed by one conditional update, so two workers never send the
//! same message at once. A process that dies mid-attempt leaves the claim to
//! expire (`NOTIFICATION_ATTEMPT_TIMEOUT_SECS`); the message is then tried again
//! under the same id, which the sink (and an SMTP `Message-ID`) recognises.

use std::time::Duration;

use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect};
use tokio_util::sync::CancellationToken;

use super::NotificationService;
use super::channels::Outgoing;
use super::messages::state;
use super::templates::{Channel, render};
use crate::db::entities::{message, template};
use crate::error::NotificationError;

/// What one delivery pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    /// Failed, to be tried again.
    pub retrying: usize,
    /// Failed for the last time.
    pub dead: usize,
}

/// Messages claimed per pass.
const BATCH: u64 = 20;

/// The stored text of a security message once sent.
pub const REDACTED: &str = "[removed after delivery]";

impl NotificationService {
    /// Delivers every message due now (one attempt each).
    pub async fn deliver_due(&self) -> Result<Delivered, NotificationError> {
        let now = self.clock.now();
        let due = message::Entity::find()
            .filter(message::Column::Status.eq(state::PENDING))
            .filter(message::Column::NextAttemptAt.lte(now))
            .order_by_asc(message::Column::NextAttemptAt)
            .limit(BATCH)
            .all(&self.db)
            .await?;
        let mut delivered = Delivered::default();
        for row in due {
            let Some(attempt) = self.claim(&row).await? else {
                continue;
            };
            match self.attempt(&row, attempt).await? {
                Outcome::Sent => delivered.sent += 1,
                Outcome::Retrying => delivered.retrying += 1,
                Outcome::Dead => delivered.dead += 1,
            }
        }
        Ok(delivered)
    }

    /// Takes `row` for one attempt: its attempt number, or `None` when another
    /// worker took it first.
    async fn claim(&self, row: &message::Model) -> Result<Option<i32>, NotificationError> {
        let lease_until = self.clock.now() + chrono_of(self.delivery.attempt_timeout());
        let claimed = message::Entity::update_many()
            .col_expr(
                message::Column::Attempts,
                Expr::col(message::Column::Attempts).add(1),
            )
            .col_expr(message::Column::NextAttemptAt, Expr::value(lease_until))
            .filter(message::Column::Id.eq(row.id.as_str()))
            .filter(message::Column::Status.eq(state::PENDING))
            .filter(message::Column::NextAttemptAt.eq(row.next_attempt_at))
            .exec(&self.db)
            .await?;
        Ok((claimed.rows_affected == 1).then_some(row.attempts + 1))
    }

    async fn attempt(
        &self,
        row: &message::Model,
        attempt: i32,
    ) -> Result<Outcome, NotificationError> {
        let Some(channel) = Channel::parse(&row.channel) else {
            return self.failed(row, attempt, "unknown channel", true).await;
        };
        let outgoing = Outgoing {
            id: row.id.clone(),
            channel: channel.as_str(),
            destination: row.destination.clone(),
            subject: row.subject.clone(),
            body: row.body.clone(),
            template_code: row.template_code.clone(),
            event_id: row.event_id.clone(),
        };
        // In-app messages are delivered by being stored (a resent one lands here).
        let sent = match self.channels.of(channel) {
            None => Ok(()),
            Some(sender) => {
                tokio::time::timeout(self.delivery.attempt_timeout(), sender.send(&outgoing))
                    .await
                    .unwrap_or_else(|_| {
                        Err(super::SendError(
                            "the channel did not answer in time".into(),
                        ))
                    })
            }
        };
        match sent {
            Ok(()) => {
                let mut update = message::Entity::update_many()
                    .col_expr(message::Column::Status, Expr::value(state::SENT))
                    .col_expr(message::Column::SentAt, Expr::value(Some(self.clock.now())))
                    .col_expr(
                        message::Column::LastError,
                        Expr::value(Option::<String>::None),
                    )
                    .filter(message::Column::Id.eq(row.id.as_str()))
                    .filter(message::Column::Status.eq(state::PENDING));
                if row.security {
                    // A sent OTP is not kept readable: nothing needs its text again.
                    update = update
                        .col_expr(message::Column::Body, Expr::value(REDACTED))
                        .col_expr(
                            message::Column::Variables,
                            Expr::value(serde_json::json!({})),
                        );
                }
                update.exec(&self.db).await?;
                tracing::info!(message.id = %row.id, channel = %row.channel, attempt, "message sent");
                Ok(Outcome::Sent)
            }
            Err(err) => {
                let last = u32::try_from(attempt).unwrap_or(u32::MAX) >= self.delivery.max_attempts;
                self.failed(row, attempt, &err.0, last).await
            }
        }
    }

    async fn failed(
        &self,
        row: &message::Model,
        attempt: i32,
        error: &str,
        last: bool,
    ) -> Result<Outcome, NotificationError> {
        let mut update = message::Entity::update_many()
            .col_expr(
                message::Column::LastError,
                Expr::value(Some(error.to_owned())),
            )
            .filter(message::Column::Id.eq(row.id.as_str()))
            .filter(message::Column::Status.eq(state::PENDING));
        if last {
            update = update.col_expr(message::Column::Status, Expr::value(state::DEAD));
        } else {
            let wait = backoff(
                self.delivery.retry_base(),
                self.delivery.retry_max(),
                u32::try_from(attempt).unwrap_or(u32::MAX),
            );
            update = update.col_expr(
                message::Column::NextAttemptAt,
                Expr::value(self.clock.now() + chrono_of(wait)),
            );
        }
        update.exec(&self.db).await?;
        if last {
            tracing::error!(message.id = %row.id, channel = %row.channel, attempt, %error, "message DEAD");
            Ok(Outcome::Dead)
        } else {
            tracing::warn!(message.id = %row.id, channel = %row.channel, attempt, %error, "message not sent; will retry");
            Ok(Outcome::Retrying)
        }
    }

    /// Admin: the DEAD messages, newest first.
    pub async fn dead(&self, limit: u64) -> Result<Vec<message::Model>, NotificationError> {
        Ok(message::Entity::find()
            .filter(message::Column::Status.eq(state::DEAD))
            .order_by_desc(message::Column::CreatedAt)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// Admin: a DEAD message goes back to the queue for a fresh round of attempts,
    /// rendered again from its template (which the admin may have fixed). Only one
    /// of several concurrent resends of a message takes it; the others are
    /// `CONFLICT`, as is a message that is not DEAD.
    pub async fn resend(&self, id: &str) -> Result<message::Model, NotificationError> {
        let row = message::Entity::find_by_id(id.to_owned())
            .one(&self.db)
            .await?
            .ok_or(NotificationError::MessageNotFound)?;
        if row.status != state::DEAD {
            return Err(NotificationError::Conflict(format!(
                "Only a DEAD message can be resent; this one is {}.",
                row.status
            )));
        }
        let stored = template::Entity::find_by_id((row.template_code.clone(), row.channel.clone()))
            .one(&self.db)
            .await?
            .ok_or_else(|| NotificationError::TemplateNotFound {
                code: row.template_code.clone(),
                channel: row.channel.clone(),
            })?;
        let variables = row.variables.as_object().cloned().unwrap_or_default();
        let rendered =
            render(&stored, &variables).map_err(|e| NotificationError::template("template", e))?;
        let now = self.clock.now();
        let taken = message::Entity::update_many()
            .col_expr(message::Column::Status, Expr::value(state::PENDING))
            .col_expr(message::Column::Attempts, Expr::value(0))
            .col_expr(message::Column::NextAttemptAt, Expr::value(now))
            .col_expr(message::Column::Subject, Expr::value(rendered.subject))
            .col_expr(message::Column::Body, Expr::value(rendered.body))
            .filter(message::Column::Id.eq(id))
            .filter(message::Column::Status.eq(state::DEAD))
            .exec_with_returning(&self.db)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| {
                NotificationError::Conflict("This message is already being resent.".into())
            })?;
        tracing::info!(message.id = id, "DEAD message resent");
        self.due.notify_one();
        Ok(taken)
    }

    /// Delivers until `shutdown`: when woken, and every poll interval.
    pub async fn run_delivery(&self, shutdown: CancellationToken) {
        loop {
            match self.deliver_due().await {
                Ok(done) if done != Delivered::default() => continue,
                Ok(_) => {}
                Err(err) => tracing::error!(error = %err, "delivery pass failed"),
            }
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = self.due.notified() => {}
                () = tokio::time::sleep(self.delivery.poll()) => {}
            }
        }
    }
}

enum Outcome {
    Sent,
    Retrying,
    Dead,
}

/// The wait before attempt `failed + 1`: `base × 2^(failed − 1)`, at most `max`,
/// then a random share of it between half and all ("equal jitter"), so messages
/// that failed together do not retry together.
pub fn backoff(base: Duration, max: Duration, failed: u32) -> Duration {
    let exponent = Ord::min(failed.saturating_sub(1), 30);
    let full = Ord::min(base.saturating_mul(1 << exponent), max);
    let half = full / 2;
    half + full
        .saturating_sub(half)
        .mul_f64(rand::thread_rng().r#gen::<f64>())
}

fn chrono_of(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_with_jitter_and_stops_at_the_maximum() {
        let base = Duration::from_secs(2);
        let max = Duration::from_secs(60);
        for _ in 0..100 {
            let first = backoff(base, max, 1);
            assert!(
                first >= Duration::from_secs(1) && first <= base,
                "{first:?}"
            );
            let third = backoff(base, max, 3);
            assert!(
                third >= Duration::from_secs(4) && third <= Duration::from_secs(8),
                "{third:?}"
            );
            let late = backoff(base, max, 40);
            assert!(late >= max / 2 && late <= max, "{late:?}");
        }
    }
}

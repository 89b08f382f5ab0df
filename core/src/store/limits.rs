//! Rate limits in the database, for processes that share it (`crate::limits` decides when to
//! use them). Each limited key is a GCRA bucket: one row holding when its allowance will be
//! whole again (`full_at`, milliseconds). Taking one request's share moves `full_at` on by the
//! interval, from now if it lies in the past; the request is allowed while `full_at` stays
//! within `burst` intervals of now, and a refused request changes nothing. One statement does
//! the check and the move, so two processes taking from one bucket at once both count.

use super::{Store, StoreError};

/// A login's wrong passwords: how many, and when the last came (seconds).
#[derive(Clone, Copy, Debug, sqlx::FromRow)]
pub struct FailureRow {
    pub failures: i64,
    pub last_at: i64,
}

impl Store {
    /// Takes one request's share of `bucket`'s allowance at `now_ms`: `burst` requests at
    /// once, refilled one every `interval_ms`. False when spent.
    pub async fn take_allowance(
        &self,
        bucket: &str,
        now_ms: i64,
        interval_ms: i64,
        burst: i64,
    ) -> Result<bool, StoreError> {
        let moved: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO rate_buckets (bucket, full_at) VALUES ($1, $2 + $3)
             ON CONFLICT (bucket) DO UPDATE
             SET full_at = CASE WHEN rate_buckets.full_at > $2 THEN rate_buckets.full_at ELSE $2 END + $3
             WHERE CASE WHEN rate_buckets.full_at > $2 THEN rate_buckets.full_at ELSE $2 END + $3
                   <= $2 + $4
             RETURNING full_at",
        )
        .bind(bucket)
        .bind(now_ms)
        .bind(interval_ms)
        .bind(interval_ms.saturating_mul(burst.max(1)))
        .fetch_optional(self.writer())
        .await?;
        Ok(moved.is_some())
    }

    /// Forgets the buckets that are whole again at `now_ms`: a new one starts the same.
    pub async fn forget_whole_buckets(&self, now_ms: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM rate_buckets WHERE full_at <= $1")
            .bind(now_ms)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// `login`'s wrong passwords, if any are counted.
    pub async fn sign_in_failures(&self, login: &str) -> Result<Option<FailureRow>, StoreError> {
        Ok(
            sqlx::query_as("SELECT failures, last_at FROM sign_in_failures WHERE login = $1")
                .bind(login)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// One more wrong password for `login` at `now`; a count quiet for `forgiven_after`
    /// seconds starts again.
    pub async fn count_sign_in_failure(
        &self,
        login: &str,
        now: i64,
        forgiven_after: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sign_in_failures (login, failures, last_at) VALUES ($1, 1, $2)
             ON CONFLICT (login) DO UPDATE
             SET failures = CASE WHEN $2 - sign_in_failures.last_at > $3 THEN 1
                                 ELSE sign_in_failures.failures + 1 END,
                 last_at = $2",
        )
        .bind(login)
        .bind(now)
        .bind(forgiven_after)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// `login` signed in: its count starts again.
    pub async fn clear_sign_in_failures(&self, login: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE login = $1")
            .bind(login)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// Forgets the counts last added to before `before` (seconds).
    pub async fn forget_sign_in_failures(&self, before: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE last_at < $1")
            .bind(before)
            .execute(self.writer())
            .await?;
        Ok(())
    }
}

//! `haul serve`'s account, sessions, API tokens and recovery codes. Only hashes
//! of secrets are stored; the server checks every request against these rows,
//! so a revoked session or token stops working at once, even from another
//! process (`haul serve token revoke` beside a running server).

use sqlx::SqlitePool;

use crate::StoreError;

pub struct ServerAuth<'a> {
    pub(crate) pool: &'a SqlitePool,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AccountRow {
    pub name: String,
    pub password_hash: String,
    pub totp_secret: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub token_hash: String,
    pub created_at: i64,
    pub expires_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenRow {
    pub name: String,
    pub created_at: i64,
    pub last_used: Option<i64>,
}

impl ServerAuth<'_> {
    pub async fn account(&self) -> Result<Option<AccountRow>, StoreError> {
        Ok(sqlx::query_as::<_, AccountRow>(
            "SELECT name, password_hash, totp_secret FROM server_account WHERE id = 1",
        )
        .fetch_optional(self.pool)
        .await?)
    }

    /// Sets the account's password; every session ends (a new password means
    /// whoever knew the old one is out).
    pub async fn set_password(&self, name: &str, hash: &str, now: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO server_account (id, name, password_hash, created_at, updated_at) \
             VALUES (1, ?1, ?2, ?3, ?3) \
             ON CONFLICT (id) DO UPDATE SET name = ?1, password_hash = ?2, updated_at = ?3",
        )
        .bind(name)
        .bind(hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM server_sessions")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Turns TOTP on with `secret` and these recovery codes' hashes, or off
    /// (`None`, no codes). Returns false when there is no account yet.
    pub async fn set_totp(
        &self,
        secret: Option<&str>,
        recovery_hashes: &[String],
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let updated =
            sqlx::query("UPDATE server_account SET totp_secret = ?1, updated_at = ?2 WHERE id = 1")
                .bind(secret)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        sqlx::query("DELETE FROM server_recovery_codes")
            .execute(&mut *tx)
            .await?;
        for hash in recovery_hashes {
            sqlx::query("INSERT INTO server_recovery_codes (code_hash) VALUES (?1)")
                .bind(hash)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(updated == 1)
    }

    /// Spends a recovery code: true only the first time it is used.
    pub async fn use_recovery_code(&self, hash: &str, now: i64) -> Result<bool, StoreError> {
        let spent = sqlx::query(
            "UPDATE server_recovery_codes SET used_at = ?2 WHERE code_hash = ?1 AND used_at IS NULL",
        )
        .bind(hash)
        .bind(now)
        .execute(self.pool)
        .await?
        .rows_affected();
        Ok(spent == 1)
    }

    pub async fn insert_session(
        &self,
        token_hash: &str,
        now: i64,
        expires_at: i64,
        client: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO server_sessions (token_hash, created_at, expires_at, last_seen, client) \
             VALUES (?1, ?2, ?3, ?2, ?4)",
        )
        .bind(token_hash)
        .bind(now)
        .bind(expires_at)
        .bind(client)
        .execute(self.pool)
        .await?;
        Ok(())
    }

    /// The session, if it exists and has not expired.
    pub async fn session(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<SessionRow>, StoreError> {
        Ok(sqlx::query_as::<_, SessionRow>(
            "SELECT token_hash, created_at, expires_at FROM server_sessions \
             WHERE token_hash = ?1 AND expires_at > ?2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(self.pool)
        .await?)
    }

    /// Notes activity and slides the expiry forward (never past `max_expiry`).
    pub async fn touch_session(
        &self,
        token_hash: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE server_sessions SET last_seen = ?2, expires_at = max(expires_at, ?3) \
             WHERE token_hash = ?1",
        )
        .bind(token_hash)
        .bind(now)
        .bind(expires_at)
        .execute(self.pool)
        .await?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<bool, StoreError> {
        let deleted = sqlx::query("DELETE FROM server_sessions WHERE token_hash = ?1")
            .bind(token_hash)
            .execute(self.pool)
            .await?
            .rows_affected();
        Ok(deleted == 1)
    }

    pub async fn delete_all_sessions(&self) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM server_sessions")
            .execute(self.pool)
            .await?
            .rows_affected())
    }

    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
        Ok(
            sqlx::query("DELETE FROM server_sessions WHERE expires_at <= ?1")
                .bind(now)
                .execute(self.pool)
                .await?
                .rows_affected(),
        )
    }

    /// Stores a new API token's hash; false when the name is taken.
    pub async fn insert_token(
        &self,
        name: &str,
        token_hash: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let inserted = sqlx::query(
            "INSERT INTO server_tokens (name, token_hash, created_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(token_hash)
        .bind(now)
        .execute(self.pool)
        .await?
        .rows_affected();
        Ok(inserted == 1)
    }

    /// The token's name, noting its use; None for an unknown or revoked token.
    pub async fn use_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar::<_, String>(
            "UPDATE server_tokens SET last_used = ?2 WHERE token_hash = ?1 RETURNING name",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(self.pool)
        .await?)
    }

    pub async fn revoke_token(&self, name: &str) -> Result<bool, StoreError> {
        let deleted = sqlx::query("DELETE FROM server_tokens WHERE name = ?1")
            .bind(name)
            .execute(self.pool)
            .await?
            .rows_affected();
        Ok(deleted == 1)
    }

    pub async fn tokens(&self) -> Result<Vec<TokenRow>, StoreError> {
        Ok(sqlx::query_as::<_, TokenRow>(
            "SELECT name, created_at, last_used FROM server_tokens ORDER BY name",
        )
        .fetch_all(self.pool)
        .await?)
    }
}

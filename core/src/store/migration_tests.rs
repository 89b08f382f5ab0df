//! Migrations that convert what a database holds, run on a database written by the release
//! before them: the rows they carry over read the same afterwards.

use domain::api::Stance;
use sqlx::{migrate::Migrator, sqlite::SqliteConnectOptions, SqlitePool};

use super::{stances::StanceChange, Store};

/// This release's migrations up to and including `last`.
fn migrations_up_to(last: i64) -> Migrator {
    let mut m = sqlx::migrate!("./migrations");
    m.migrations = m
        .migrations
        .iter()
        .filter(|m| m.version <= last)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    m
}

/// What the store of 0006 wrote for one stance: the current row, which the triggers copied into
/// the history when it was new or different.
async fn state_as_0006(
    pool: &SqlitePool,
    account: &str,
    stance: &str,
    reason: Option<&str>,
    at: i64,
) {
    sqlx::query(
        "INSERT INTO amendment_stances (amendment_id, account_id, stance, reason, stated_at)
         VALUES (1, $1, $2, $3, $4)
         ON CONFLICT (amendment_id, account_id) DO UPDATE
         SET stance = excluded.stance, reason = excluded.reason, stated_at = excluded.stated_at
         WHERE stance IS NOT excluded.stance OR reason IS NOT excluded.reason",
    )
    .bind(account)
    .bind(stance)
    .bind(reason)
    .bind(at)
    .execute(pool)
    .await
    .expect("a stance as 0006 stored it");
}

#[tokio::test]
async fn amendment_stances_stated_before_0012_keep_their_history_and_the_latest_counts() {
    let dir = tempfile::tempdir().expect("folder");
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("accord.db"))
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePool::connect_with(options).await.expect("database");
    migrations_up_to(11).run(&pool).await.expect("0001 to 0011");
    for sql in [
        "INSERT INTO groups (id, name, kind) VALUES ('g', 'Group', 'bpf')",
        "INSERT INTO documents (id, group_id, title) VALUES ('d', 'g', 'T')",
        "INSERT INTO accounts (id, login, password_hash, display_name, stakeholder_group, region)
         VALUES ('a1', 'one', '!', 'One', 'government', 'african'),
                ('a2', 'two', '!', 'Two', 'academia', 'asia-pacific'),
                ('a3', 'three', '!', 'Three', 'other', 'african')",
        "INSERT INTO amendments (id, document_id, proposer_id, rationale, base, changes, actor,
            created_at) VALUES (1, 'd', 'a1', 'Why.', '', x'00', 'ff', 0)",
    ] {
        sqlx::query(sql).execute(&pool).await.expect("a row");
    }
    state_as_0006(&pool, "a1", "support", None, 10).await;
    state_as_0006(&pool, "a2", "can-live-with", None, 11).await;
    state_as_0006(&pool, "a1", "oppose", Some("Too broad."), 12).await;
    // The same again: 0006 wrote nothing.
    state_as_0006(&pool, "a1", "oppose", Some("Too broad."), 13).await;
    // A restore under 0011 quieted the trigger: a current stance without its history entry.
    sqlx::query("INSERT INTO restoring (since) VALUES (0)")
        .execute(&pool)
        .await
        .expect("restoring");
    state_as_0006(&pool, "a3", "support", None, 14).await;
    sqlx::query("DELETE FROM restoring")
        .execute(&pool)
        .await
        .expect("restored");
    pool.close().await;

    let store = Store::open(dir.path()).await.expect("0012 runs");
    let history: Vec<(i64, String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT id, account_id, stance, reason, created_at FROM amendment_stance_history ORDER BY id",
    )
    .fetch_all(store.pool())
    .await
    .expect("history");
    let said: Vec<_> = history
        .iter()
        .map(|(_, a, s, r, t)| (a.as_str(), s.as_str(), r.as_deref(), *t))
        .collect();
    assert_eq!(
        said,
        [
            ("a1", "support", None, 10),
            ("a2", "can-live-with", None, 11),
            ("a1", "oppose", Some("Too broad."), 12),
            ("a3", "support", None, 14),
        ],
        "every stance ever stated, in order"
    );
    let (facts, yours) = store
        .amendment_stances("d", Some("a1"))
        .await
        .expect("stances");
    let mut counted: Vec<_> = facts
        .iter()
        .map(|f| (f.account.as_str(), f.stance))
        .collect();
    counted.sort_by_key(|(account, _)| *account);
    assert_eq!(
        counted,
        [
            ("a1", Stance::Oppose),
            ("a2", Stance::CanLiveWith),
            ("a3", Stance::Support)
        ],
        "the latest counts"
    );
    let mine = yours.get(&1).expect("a1's own");
    assert_eq!(mine.reason.as_deref(), Some("Too broad."));

    // And the store goes on from there: the same stance again writes nothing, a new one appends.
    let again = store
        .set_amendment_stance(1, "a1", Stance::Oppose, Some("Too broad."), 20)
        .await
        .expect("again");
    assert_eq!(again, StanceChange::Unchanged(history[2].0));
    let changed = store
        .set_amendment_stance(1, "a1", Stance::Support, None, 21)
        .await
        .expect("changed");
    assert!(matches!(changed, StanceChange::Stated(id) if id > history[3].0));
}

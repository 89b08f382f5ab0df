//! A current stance with its history, one design for whatever a stance is on: a paragraph
//! (`stance_history` and `stances`, migrations/0003) or an amendment (`amendment_stance_history`
//! and `amendment_stances`, migrations/0012). Every stance ever stated is an entry of an
//! append-only history, with an id that responses to an objection name; the stance that counts
//! is a pointer from the person to their latest entry. A new entry is appended only when it
//! differs from the current one.

use domain::api::Stance;

use super::StoreError;

/// What a stance is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject<'a> {
    Paragraph { doc: &'a str, paragraph: &'a str },
    Amendment(i64),
}

/// What storing a stance did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StanceChange {
    /// A new entry became the person's stance.
    Stated(i64),
    /// The person already stood exactly so: nothing was written.
    Unchanged(i64),
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;
type Scalar<'q> = sqlx::query::QueryScalar<'q, sqlx::Any, i64, sqlx::any::AnyArguments<'q>>;

impl<'a> Subject<'a> {
    /// The history table, the current table, and the columns that name the subject in both.
    fn tables(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            Subject::Paragraph { .. } => (
                "stance_history",
                "stances",
                &["document_id", "paragraph_id"],
            ),
            Subject::Amendment(_) => (
                "amendment_stance_history",
                "amendment_stances",
                &["amendment_id"],
            ),
        }
    }

    /// `s.document_id = ?1 AND s.paragraph_id = ?2` and the like, numbered from 1.
    fn matches(self, alias: &str) -> String {
        let (_, _, keys) = self.tables();
        keys.iter()
            .enumerate()
            .map(|(i, k)| format!("{alias}.{k} = ${}", i + 1))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    fn bind<'q>(self, q: Query<'q>) -> Query<'q>
    where
        'a: 'q,
    {
        match self {
            Subject::Paragraph { doc, paragraph } => q.bind(doc).bind(paragraph),
            Subject::Amendment(id) => q.bind(id),
        }
    }

    fn bind_scalar<'q>(self, q: Scalar<'q>) -> Scalar<'q>
    where
        'a: 'q,
    {
        match self {
            Subject::Paragraph { doc, paragraph } => q.bind(doc).bind(paragraph),
            Subject::Amendment(id) => q.bind(id),
        }
    }
}

/// Makes `stance` (with `reason`) `account`'s stance on `subject`, inside the caller's
/// transaction: an entry is appended and pointed at only if it differs from the current one, so
/// that repeated or concurrent identical requests leave one entry. Live stances and an archive's
/// replay both come through here.
pub(crate) async fn state_in(
    tx: &mut sqlx::AnyConnection,
    subject: Subject<'_>,
    account: &str,
    stance: Stance,
    reason: Option<&str>,
    at: i64,
) -> Result<StanceChange, StoreError> {
    let (history, current, keys) = subject.tables();
    let n = keys.len();
    let (a, s, r, t) = (n + 1, n + 2, n + 3, n + 4);
    let columns = keys.join(", ");
    let values = (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>();
    let values = values.join(", ");
    // One account's stances in this table take turns (on SQLite, an insert as the first
    // statement takes the write lock before reading the current stance), so two identical
    // requests cannot both see "different" and both append.
    super::take_turn(tx, &format!("{current}:{account}")).await?;
    let append = format!(
        "INSERT INTO {history} ({columns}, account_id, stance, reason, created_at)
         SELECT {values}, ${a}, ${s}, ${r}, ${t} WHERE NOT EXISTS (
            SELECT 1 FROM {current} c JOIN {history} h ON h.id = c.entry_id
            WHERE {} AND c.account_id = ${a} AND h.stance = ${s} AND h.reason IS NOT DISTINCT FROM ${r})
         RETURNING id",
        subject.matches("c")
    );
    let entry: Option<i64> = subject
        .bind_scalar(sqlx::query_scalar(&append))
        .bind(account)
        .bind(stance.key())
        .bind(reason)
        .bind(at)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(entry) = entry else {
        let read = format!(
            "SELECT entry_id FROM {current} c WHERE {} AND c.account_id = ${a}",
            subject.matches("c")
        );
        let current = subject
            .bind_scalar(sqlx::query_scalar(&read))
            .bind(account)
            .fetch_one(&mut *tx)
            .await?;
        return Ok(StanceChange::Unchanged(current));
    };
    let point = format!(
        "INSERT INTO {current} ({columns}, account_id, entry_id) VALUES ({values}, ${a}, ${s})
         ON CONFLICT ({columns}, account_id) DO UPDATE SET entry_id = excluded.entry_id"
    );
    subject
        .bind(sqlx::query(&point))
        .bind(account)
        .bind(entry)
        .execute(&mut *tx)
        .await?;
    Ok(StanceChange::Stated(entry))
}

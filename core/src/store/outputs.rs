//! The series of published outputs: its settings, groups' threshold rules, and the numbers,
//! each written once with its links and its record entry and never changed (triggers refuse).

use domain::api::{Series, Threshold};

use super::{
    record::{append_in, Draft},
    take_turn, Store, StoreError,
};

/// A published output as stored; `text`, `evaluation` and `endorsements` are JSON.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OutputRow {
    pub number: i64,
    pub document_id: String,
    pub prefix: String,
    pub series_name: String,
    pub title: String,
    pub status: String,
    pub group_id: String,
    pub group_name: String,
    pub language: String,
    pub published_at: i64,
    pub published_by: String,
    pub text: String,
    pub text_hash: String,
    pub evaluation: String,
    pub override_reason: Option<String>,
    pub endorsements: String,
}

/// What the index shows of a published output (its text and evaluation are not read).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OutputSummaryRow {
    pub number: i64,
    pub prefix: String,
    pub title: String,
    pub status: String,
    pub group_name: String,
    pub published_at: i64,
}

/// A number's link to an earlier one: `kind` is `updates` or `obsoletes`.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LinkRow {
    pub number: i64,
    pub kind: String,
    pub target: i64,
}

#[derive(sqlx::FromRow)]
struct SeriesRow {
    name: String,
    prefix: String,
    statuses: String,
}

#[derive(sqlx::FromRow)]
struct ThresholdRow {
    rule: String,
    set_by: String,
    set_at: i64,
}

pub(super) const OUTPUT_COLUMNS: &str =
    "number, document_id, prefix, series_name, title, status, group_id,
    group_name, language, published_at, published_by, text, text_hash, evaluation,
    override_reason, endorsements";

impl Store {
    /// The series as an admin last set it (the migration's defaults until then).
    pub async fn series(&self) -> Result<Series, StoreError> {
        let row: SeriesRow =
            sqlx::query_as("SELECT name, prefix, statuses FROM series WHERE id = 1")
                .fetch_one(self.pool())
                .await?;
        Ok(Series {
            name: row.name,
            prefix: row.prefix,
            statuses: serde_json::from_str(&row.statuses).unwrap_or_default(),
        })
    }

    pub(crate) async fn set_series(&self, s: &Series, by: &str, at: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE series SET name = $1, prefix = $2, statuses = $3, set_by = $4, set_at = $5
             WHERE id = 1",
        )
        .bind(&s.name)
        .bind(&s.prefix)
        .bind(serde_json::to_string(&s.statuses).unwrap_or_default())
        .bind(by)
        .bind(at)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// A group's threshold rule, with the display name of who set it and when.
    pub async fn threshold(
        &self,
        group: &str,
    ) -> Result<Option<(Threshold, String, i64)>, StoreError> {
        let row: Option<ThresholdRow> = sqlx::query_as(
            "SELECT t.rule, a.display_name AS set_by, t.set_at
             FROM thresholds t JOIN accounts a ON a.id = t.set_by WHERE t.group_id = $1",
        )
        .bind(group)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| {
            let rule = serde_json::from_str(&r.rule).unwrap_or_default();
            (rule, r.set_by, r.set_at)
        }))
    }

    pub(crate) async fn set_threshold(
        &self,
        group: &str,
        rule: &Threshold,
        by: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO thresholds (group_id, rule, set_by, set_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (group_id) DO UPDATE
             SET rule = excluded.rule, set_by = excluded.set_by, set_at = excluded.set_at",
        )
        .bind(group)
        .bind(serde_json::to_string(rule).unwrap_or_default())
        .bind(by)
        .bind(at)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The rule `doc`'s consultation opened under, if its group had one then.
    pub async fn document_threshold(&self, doc: &str) -> Result<Option<Threshold>, StoreError> {
        let rule: Option<String> =
            sqlx::query_scalar("SELECT rule FROM document_thresholds WHERE document_id = $1")
                .bind(doc)
                .fetch_optional(self.pool())
                .await?;
        Ok(rule.map(|r| serde_json::from_str(&r).unwrap_or_default()))
    }

    /// Publishes `output` (its `number` is ignored) under the next number, with its links and
    /// the record entry `draft(number)` in one transaction. Numbers are given out one at a time
    /// (the transactions take turns), so none is skipped or given twice. `Ok(Err(n))` when the
    /// document is published already, as `n`.
    pub(crate) async fn publish(
        &self,
        output: &OutputRow,
        links: &[(String, i64)],
        draft: impl FnOnce(i64) -> Draft,
        heads: Vec<String>,
    ) -> Result<Result<i64, i64>, StoreError> {
        let mut tx = self.writer().begin().await?;
        take_turn(&mut tx, "outputs").await?;
        let already: Option<i64> =
            sqlx::query_scalar("SELECT number FROM outputs WHERE document_id = $1")
                .bind(&output.document_id)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(n) = already {
            return Ok(Err(n));
        }
        let number: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM outputs")
            .fetch_one(&mut *tx)
            .await?;
        insert_output_in(&mut tx, number, output).await?;
        for (kind, target) in links {
            sqlx::query("INSERT INTO output_links (number, kind, target) VALUES ($1, $2, $3)")
                .bind(number)
                .bind(kind)
                .bind(target)
                .execute(&mut *tx)
                .await?;
        }
        append_in(&mut tx, &output.document_id, &draft(number), heads).await?;
        tx.commit().await?;
        Ok(Ok(number))
    }

    /// What the index shows of every published output, in number order.
    pub async fn output_summaries(&self) -> Result<Vec<OutputSummaryRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT number, prefix, title, status, group_name, published_at FROM outputs
             ORDER BY number",
        )
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn output(&self, number: i64) -> Result<Option<OutputRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {OUTPUT_COLUMNS} FROM outputs WHERE number = $1"
        ))
        .bind(number)
        .fetch_optional(self.pool())
        .await?)
    }

    /// The number `doc` was published as.
    pub async fn output_of(&self, doc: &str) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT number FROM outputs WHERE document_id = $1")
                .bind(doc)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// The number `doc` was published under and its prefix, if it was.
    pub async fn output_ref(&self, doc: &str) -> Result<Option<(i64, String)>, StoreError> {
        Ok(
            sqlx::query_as("SELECT number, prefix FROM outputs WHERE document_id = $1")
                .bind(doc)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// Every link between numbers.
    pub async fn output_links(&self) -> Result<Vec<LinkRow>, StoreError> {
        Ok(
            sqlx::query_as("SELECT number, kind, target FROM output_links ORDER BY number, target")
                .fetch_all(self.pool())
                .await?,
        )
    }
}

/// Writes a published output under `number` inside the caller's transaction: for a
/// publication and for an archive's replay alike.
pub(crate) async fn insert_output_in(
    conn: &mut sqlx::AnyConnection,
    number: i64,
    o: &OutputRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO outputs ({OUTPUT_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    ))
    .bind(number)
    .bind(&o.document_id)
    .bind(&o.prefix)
    .bind(&o.series_name)
    .bind(&o.title)
    .bind(&o.status)
    .bind(&o.group_id)
    .bind(&o.group_name)
    .bind(&o.language)
    .bind(o.published_at)
    .bind(&o.published_by)
    .bind(&o.text)
    .bind(&o.text_hash)
    .bind(&o.evaluation)
    .bind(&o.override_reason)
    .bind(&o.endorsements)
    .execute(conn)
    .await?;
    Ok(())
}

//! Live sessions: the session and its agenda, who facilitates or reports, the checks of the
//! sense of the room, the stances each took in (one per person) and the hands the rapporteur
//! counted. A stance and the closing of its check take turns on the check, so a stance is
//! either in the figures a check closed with or refused as too late, never lost in between.

use super::{accounts::random_id, take_turn, Store, StoreError};

/// A session as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub id: String,
    pub document_id: String,
    pub title: String,
    pub starts_at: i64,
    pub created_by: String,
    pub current_item: Option<String>,
    pub ended_at: Option<i64>,
}

/// An agenda item: its kind's key and its target (a paragraph's or an amendment's id, or a
/// question's words).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ItemRow {
    pub id: String,
    pub position: i64,
    pub kind: String,
    pub target: String,
}

/// A check: open while `closed_at` is `None`; once closed, the item's text and the figures
/// (JSON) of that moment.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CheckRow {
    pub id: String,
    pub item_id: String,
    pub opened_at: i64,
    /// When its countdown runs out, if it has one.
    pub ends_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub item_text: Option<String>,
    pub figures: Option<String>,
}

/// A stance in a check, with its author's stakeholder group and region as the profile has
/// them now.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CheckStanceRow {
    pub account_id: String,
    pub stance: String,
    pub reason: Option<String>,
    pub source: String,
    pub stakeholder_group: String,
    pub region: String,
}

/// Hands counted for one stakeholder group (`''`: not stated).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct HandsRow {
    pub stakeholder_group: String,
    pub support: i64,
    pub can_live_with: i64,
    pub oppose: i64,
}

/// A new session's agenda and parts, as the store takes them.
pub struct NewSession<'a> {
    pub document_id: &'a str,
    pub title: &'a str,
    pub starts_at: i64,
    pub created_by: &'a str,
    /// Each item's kind key and target, in order.
    pub items: &'a [(&'a str, String)],
    /// Accounts and the part's key each plays.
    pub parts: &'a [(String, &'a str)],
}

/// The key a poll's answers and its rounds take turns on.
fn poll_turn(session: &str) -> String {
    format!("poll:{session}")
}

/// The key a check's stances and its closing take turns on.
fn check_turn(check: &str) -> String {
    format!("check:{check}")
}

impl Store {
    /// Stores a new session with its agenda and parts, in one transaction; its id.
    pub async fn create_live_session(
        &self,
        s: &NewSession<'_>,
        now: i64,
    ) -> Result<String, StoreError> {
        let id = random_id("s");
        let mut tx = self.writer().begin().await?;
        sqlx::query(
            "INSERT INTO live_sessions (id, document_id, title, starts_at, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(s.document_id)
        .bind(s.title)
        .bind(s.starts_at)
        .bind(s.created_by)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for (position, (kind, target)) in s.items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO session_items (id, session_id, position, kind, target)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(random_id("i"))
            .bind(&id)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(*kind)
            .bind(target)
            .execute(&mut *tx)
            .await?;
        }
        for (account, part) in s.parts {
            sqlx::query(
                "INSERT INTO session_parts (session_id, account_id, part) VALUES ($1, $2, $3)
                 ON CONFLICT (session_id, account_id) DO UPDATE SET part = excluded.part",
            )
            .bind(&id)
            .bind(account)
            .bind(*part)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn session(&self, id: &str) -> Result<Option<SessionRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, document_id, title, starts_at, created_by, current_item, ended_at
             FROM live_sessions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?)
    }

    /// The sessions on `doc`, soonest first.
    pub async fn live_sessions_of(&self, doc: &str) -> Result<Vec<SessionRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, document_id, title, starts_at, created_by, current_item, ended_at
             FROM live_sessions WHERE document_id = $1 ORDER BY starts_at, id",
        )
        .bind(doc)
        .fetch_all(self.pool())
        .await?)
    }

    /// How many people took part in session `session` (a stance in a check, a hand raised, an
    /// answer to the poll), per stakeholder group's key as their profile gives it.
    pub async fn session_attendance(
        &self,
        session: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT a.stakeholder_group, COUNT(*) FROM (
                 SELECT s.account_id FROM check_stances s
                     JOIN session_checks c ON c.id = s.check_id WHERE c.session_id = $1
                 UNION SELECT q.account_id FROM session_queue q
                     WHERE q.session_id = $1 AND q.account_id IS NOT NULL
                 UNION SELECT p.account_id FROM poll_answers p
                     JOIN poll_questions q ON q.id = p.question_id WHERE q.session_id = $1
             ) took_part JOIN accounts a ON a.id = took_part.account_id
             GROUP BY a.stakeholder_group ORDER BY a.stakeholder_group",
        )
        .bind(session)
        .fetch_all(self.pool())
        .await?)
    }

    /// The session's agenda, in order.
    pub async fn session_items(&self, session: &str) -> Result<Vec<ItemRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, position, kind, target FROM session_items
             WHERE session_id = $1 ORDER BY position",
        )
        .bind(session)
        .fetch_all(self.pool())
        .await?)
    }

    /// The part's key `account` plays in `session`, if any.
    pub async fn session_part(
        &self,
        session: &str,
        account: &str,
    ) -> Result<Option<String>, StoreError> {
        let part: Option<(String,)> = sqlx::query_as(
            "SELECT part FROM session_parts WHERE session_id = $1 AND account_id = $2",
        )
        .bind(session)
        .bind(account)
        .fetch_optional(self.pool())
        .await?;
        Ok(part.map(|(p,)| p))
    }

    /// Makes `item` (one of the session's) the current one; `false` if it is not on the
    /// session's agenda or the session has ended.
    pub async fn set_current_item(&self, session: &str, item: &str) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE live_sessions SET current_item = $2
             WHERE id = $1 AND ended_at IS NULL
               AND EXISTS (SELECT 1 FROM session_items WHERE id = $2 AND session_id = $1)",
        )
        .bind(session)
        .bind(item)
        .execute(self.writer())
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Opens a check on `item`, counting down to `ends_at` if given; its id, or `None` while
    /// another check of the session is open.
    pub async fn open_check(
        &self,
        session: &str,
        item: &str,
        now: i64,
        ends_at: Option<i64>,
    ) -> Result<Option<String>, StoreError> {
        let id = random_id("c");
        let n = sqlx::query(
            "INSERT INTO session_checks (id, session_id, item_id, opened_at, ends_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(session)
        .bind(item)
        .bind(now)
        .bind(ends_at)
        .execute(self.writer())
        .await?
        .rows_affected();
        Ok((n == 1).then_some(id))
    }

    /// The check `id`, with the session it belongs to.
    pub async fn check(&self, id: &str) -> Result<Option<(String, CheckRow)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            session_id: String,
            #[sqlx(flatten)]
            check: CheckRow,
        }
        let row: Option<Row> = sqlx::query_as(
            "SELECT session_id, id, item_id, opened_at, ends_at, closed_at, item_text, figures
             FROM session_checks WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| (r.session_id, r.check)))
    }

    /// Every check of the session, oldest first.
    pub async fn checks_of(&self, session: &str) -> Result<Vec<CheckRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, item_id, opened_at, ends_at, closed_at, item_text, figures FROM session_checks
             WHERE session_id = $1 ORDER BY opened_at, id",
        )
        .bind(session)
        .fetch_all(self.pool())
        .await?)
    }

    /// Closes the check at `now`; `false` if it was closed already. From here on it takes no
    /// stance and no hands, so what it holds is final.
    pub async fn close_check(&self, check: &str, now: i64) -> Result<bool, StoreError> {
        let mut tx = self.writer().begin().await?;
        take_turn(&mut tx, &check_turn(check)).await?;
        let n = sqlx::query(
            "UPDATE session_checks SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL",
        )
        .bind(check)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Keeps, with a closed check, the item's text and the figures (JSON) it closed with.
    pub async fn keep_check_result(
        &self,
        check: &str,
        item_text: &str,
        figures: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE session_checks SET item_text = $2, figures = $3
             WHERE id = $1 AND closed_at IS NOT NULL",
        )
        .bind(check)
        .bind(item_text)
        .bind(figures)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Runs `write` in a transaction that holds the check's turn, if the check is open;
    /// `false` (nothing written) if it is closed.
    async fn while_open<'q>(
        &self,
        check: &str,
        write: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.writer().begin().await?;
        take_turn(&mut tx, &check_turn(check)).await?;
        let open: Option<(i64,)> = sqlx::query_as(
            "SELECT opened_at FROM session_checks WHERE id = $1 AND closed_at IS NULL",
        )
        .bind(check)
        .fetch_optional(&mut *tx)
        .await?;
        if open.is_none() {
            return Ok(false);
        }
        write.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// `account`'s stance in the open check (replacing any earlier one); `false` if the check
    /// is closed.
    pub async fn state_check_stance(
        &self,
        check: &str,
        account: &str,
        stance: &str,
        reason: Option<&str>,
        source: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let write = sqlx::query(
            "INSERT INTO check_stances (check_id, account_id, stance, reason, source, at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (check_id, account_id) DO UPDATE
             SET stance = excluded.stance, reason = excluded.reason, source = excluded.source,
                 at = excluded.at",
        )
        .bind(check.to_string())
        .bind(account.to_string())
        .bind(stance.to_string())
        .bind(reason.map(str::to_string))
        .bind(source.to_string())
        .bind(now);
        self.while_open(check, write).await
    }

    /// The rapporteur's count of hands for one stakeholder group (`''`: not stated) in the open
    /// check, replacing the group's earlier count; `false` if the check is closed.
    pub async fn record_hands(
        &self,
        check: &str,
        group: &str,
        counts: [i64; 3],
        by: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let write = sqlx::query(
            "INSERT INTO check_hands
                 (check_id, stakeholder_group, support, can_live_with, oppose, recorded_by, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (check_id, stakeholder_group) DO UPDATE
             SET support = excluded.support, can_live_with = excluded.can_live_with,
                 oppose = excluded.oppose, recorded_by = excluded.recorded_by, at = excluded.at",
        )
        .bind(check.to_string())
        .bind(group.to_string())
        .bind(counts[0])
        .bind(counts[1])
        .bind(counts[2])
        .bind(by.to_string())
        .bind(now);
        self.while_open(check, write).await
    }

    /// The stances of a check that count, with their authors' groups and regions: by the same
    /// rule as a paragraph's (a confirmed address, stances not set aside by the chairs).
    /// `doc` is the session's document.
    pub async fn check_stances(
        &self,
        doc: &str,
        check: &str,
    ) -> Result<Vec<CheckStanceRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT s.account_id, s.stance, s.reason, s.source, a.stakeholder_group, a.region
             FROM check_stances s JOIN accounts a ON a.id = s.account_id
             WHERE s.check_id = $2 AND {}
             ORDER BY s.at, s.account_id",
            super::feedback::COUNTED
        ))
        .bind(doc)
        .bind(check)
        .fetch_all(self.pool())
        .await?)
    }

    /// The hands counted in a check.
    pub async fn check_hands(&self, check: &str) -> Result<Vec<HandsRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT stakeholder_group, support, can_live_with, oppose FROM check_hands
             WHERE check_id = $1 ORDER BY stakeholder_group",
        )
        .bind(check)
        .fetch_all(self.pool())
        .await?)
    }
}

/// A hand in the speaking queue, raised, called or lowered.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct HandRow {
    pub id: String,
    pub account_id: Option<String>,
    pub name: String,
    pub stakeholder_group: String,
    pub source: String,
    pub raised_at: i64,
    pub called_at: Option<i64>,
    pub lowered_at: Option<i64>,
}

/// A comment from the floor as the rapporteur noted it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FloorRow {
    pub id: String,
    pub item_id: String,
    pub body: String,
    pub speaker: Option<String>,
    pub stakeholder_group: String,
    pub at: i64,
}

/// A point of consensus.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PointRow {
    pub item_id: String,
    pub reason: String,
    pub at: i64,
}

/// Who raises a hand: an account or a name the rapporteur gives, with their stakeholder
/// group's key (`''`: not stated) and where the hand went up.
pub struct Raising<'a> {
    pub account: Option<&'a str>,
    pub name: &'a str,
    pub group: &'a str,
    pub source: &'a str,
}

impl Store {
    /// Raises a hand in the session's queue; `None` if the account has one up already.
    pub async fn raise_hand(
        &self,
        session: &str,
        who: &Raising<'_>,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let id = random_id("h");
        let n = sqlx::query(
            "INSERT INTO session_queue
                 (id, session_id, account_id, name, stakeholder_group, source, raised_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(session)
        .bind(who.account)
        .bind(who.name)
        .bind(who.group)
        .bind(who.source)
        .bind(now)
        .execute(self.writer())
        .await?
        .rows_affected();
        Ok((n == 1).then_some(id))
    }

    /// Calls a waiting hand to speak (`called`) or lowers it; `false` if it is not waiting.
    pub async fn settle_hand(
        &self,
        session: &str,
        hand: &str,
        called: bool,
        now: i64,
    ) -> Result<bool, StoreError> {
        let column = if called { "called_at" } else { "lowered_at" };
        let n = sqlx::query(&format!(
            "UPDATE session_queue SET {column} = $3
             WHERE id = $1 AND session_id = $2 AND called_at IS NULL AND lowered_at IS NULL"
        ))
        .bind(hand)
        .bind(session)
        .bind(now)
        .execute(self.writer())
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// The session's queue: every hand ever raised, in the order raised.
    pub async fn queue(&self, session: &str) -> Result<Vec<HandRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, account_id, name, stakeholder_group, source, raised_at, called_at,
                    lowered_at
             FROM session_queue WHERE session_id = $1 ORDER BY raised_at, id",
        )
        .bind(session)
        .fetch_all(self.pool())
        .await?)
    }

    /// Notes a comment from the floor on `item`.
    #[allow(clippy::too_many_arguments)]
    pub async fn note_floor_comment(
        &self,
        session: &str,
        item: &str,
        body: &str,
        speaker: Option<&str>,
        group: &str,
        by: &str,
        now: i64,
    ) -> Result<String, StoreError> {
        let id = random_id("f");
        sqlx::query(
            "INSERT INTO floor_comments
                 (id, session_id, item_id, body, speaker, stakeholder_group, recorded_by, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(session)
        .bind(item)
        .bind(body)
        .bind(speaker)
        .bind(group)
        .bind(by)
        .bind(now)
        .execute(self.writer())
        .await?;
        Ok(id)
    }

    /// The comments from the floor, in the order noted.
    pub async fn floor_comments(&self, session: &str) -> Result<Vec<FloorRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, item_id, body, speaker, stakeholder_group, at FROM floor_comments
             WHERE session_id = $1 ORDER BY at, id",
        )
        .bind(session)
        .fetch_all(self.pool())
        .await?)
    }

    /// Marks `item` a point of consensus (again: the latest reason stands).
    pub async fn mark_point(
        &self,
        session: &str,
        item: &str,
        reason: &str,
        by: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO session_points (session_id, item_id, reason, marked_by, at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (session_id, item_id) DO UPDATE
             SET reason = excluded.reason, marked_by = excluded.marked_by, at = excluded.at",
        )
        .bind(session)
        .bind(item)
        .bind(reason)
        .bind(by)
        .bind(now)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The points of consensus, in agenda order.
    pub async fn points(&self, session: &str) -> Result<Vec<PointRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT p.item_id, p.reason, p.at FROM session_points p
             JOIN session_items i ON i.id = p.item_id
             WHERE p.session_id = $1 ORDER BY i.position",
        )
        .bind(session)
        .fetch_all(self.pool())
        .await?)
    }
}

/// A poll question.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: String,
    pub question: String,
}

/// A poll answer, with its author's stakeholder group.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AnswerRow {
    pub question_id: String,
    pub account_id: String,
    pub round: String,
    pub value: i64,
    pub stakeholder_group: String,
}

impl Store {
    /// Stores the session's poll questions, in order.
    pub async fn add_poll_questions(
        &self,
        session: &str,
        questions: &[String],
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        for (position, question) in questions.iter().enumerate() {
            sqlx::query(
                "INSERT INTO poll_questions (id, session_id, position, question)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(random_id("q"))
            .bind(session)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(question)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn poll_questions(&self, session: &str) -> Result<Vec<QuestionRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, question FROM poll_questions WHERE session_id = $1 ORDER BY position",
        )
        .bind(session)
        .fetch_all(self.pool())
        .await?)
    }

    /// The round open now (`before`, `after`), if any.
    pub async fn poll_round(&self, session: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT poll_round FROM live_sessions WHERE id = $1")
                .bind(session)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.and_then(|(r,)| r))
    }

    /// Opens `round` of the poll, or closes it (`None`), taking turns with the answers: an
    /// answer is stored in the round that was open when its turn came.
    pub async fn set_poll_round(
        &self,
        session: &str,
        round: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        take_turn(&mut tx, &poll_turn(session)).await?;
        sqlx::query("UPDATE live_sessions SET poll_round = $2 WHERE id = $1")
            .bind(session)
            .bind(round)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// `account`'s answers in `round`, each replacing an earlier answer to its question in that
    /// round, if the round is the one open; `false` (nothing written) otherwise. Questions of
    /// other sessions are left out.
    pub async fn answer_poll(
        &self,
        session: &str,
        account: &str,
        round: &str,
        answers: &[(String, i64)],
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.writer().begin().await?;
        take_turn(&mut tx, &poll_turn(session)).await?;
        let open: Option<(i64,)> =
            sqlx::query_as("SELECT starts_at FROM live_sessions WHERE id = $1 AND poll_round = $2")
                .bind(session)
                .bind(round)
                .fetch_optional(&mut *tx)
                .await?;
        if open.is_none() {
            return Ok(false);
        }
        for (question, value) in answers {
            sqlx::query(
                "INSERT INTO poll_answers (question_id, account_id, round, value, at)
                 SELECT id, $2, $3, $4, $5 FROM poll_questions WHERE id = $1 AND session_id = $6
                 ON CONFLICT (question_id, account_id, round) DO UPDATE
                 SET value = excluded.value, at = excluded.at",
            )
            .bind(question)
            .bind(account)
            .bind(round)
            .bind(*value)
            .bind(now)
            .bind(session)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Every answer to the session's poll, with its author's stakeholder group.
    pub async fn poll_answers(&self, session: &str) -> Result<Vec<AnswerRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT a.question_id, a.account_id, a.round, a.value, c.stakeholder_group
             FROM poll_answers a JOIN poll_questions q ON q.id = a.question_id
             JOIN accounts c ON c.id = a.account_id
             WHERE q.session_id = $1",
        )
        .bind(session)
        .fetch_all(self.pool())
        .await?)
    }
}

//! Archives: a chair downloads everything about a document (the automerge document saved whole,
//! every stored row of its feedback, amendments, versions, record and endorsements, and the
//! people they name without anything to sign in with); an admin of another installation
//! restores it exactly: the same text and heads, the same figures, the same record.
//!
//! A restore checks the whole archive before it writes anything (format and version, the
//! automerge bytes against their heads, the record's hash chain, every column's name and type
//! against this installation's schema), then writes it in one transaction: a refusal leaves
//! nothing behind. Numbered rows (comments, stances, responses, amendments) get new numbers
//! here, and every reference to them follows.

use std::collections::HashMap;

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use domain::{
    amendment,
    api::{Archive, ArchivedAccount, ArchivedGroup, Created, ARCHIVE_FORMAT, ARCHIVE_VERSION},
    document,
    policy::Action,
    record::{self, Entry},
    refusal::Refusal,
    rules,
};
use serde_json::{Map, Value};
use sqlx::{Column, Row, TypeInfo, ValueRef};

use crate::{
    auth::Principal,
    documents,
    error::Error,
    store::{split_heads, StoreError},
    Accord,
};

/// One archived table: how its rows for a document are found, which integer key gets a new
/// number on restore, and which columns refer to such keys of earlier tables.
struct Table {
    name: &'static str,
    /// Selects the document's rows, `?1` being the document id, in restoring order.
    rows: &'static str,
    renumbered: Option<&'static str>,
    refs: &'static [(&'static str, &'static str)],
}

const AMENDMENTS_OF: &str = "(SELECT id FROM amendments WHERE document_id = ?1)";

/// Every table an archive carries, parents before children.
const TABLES: &[Table] = &[
    Table {
        name: "documents",
        rows: "SELECT * FROM documents WHERE id = ?1",
        renumbered: None,
        refs: &[],
    },
    Table {
        name: "comments",
        rows: "SELECT * FROM comments WHERE document_id = ?1 ORDER BY id",
        renumbered: Some("id"),
        refs: &[("parent_id", "comments")],
    },
    Table {
        name: "comment_edits",
        rows: "SELECT * FROM comment_edits WHERE comment_id IN
               (SELECT id FROM comments WHERE document_id = ?1) ORDER BY rowid",
        renumbered: None,
        refs: &[("comment_id", "comments")],
    },
    Table {
        name: "stance_history",
        rows: "SELECT * FROM stance_history WHERE document_id = ?1 ORDER BY id",
        renumbered: Some("id"),
        refs: &[],
    },
    Table {
        name: "stances",
        rows: "SELECT * FROM stances WHERE document_id = ?1 ORDER BY entry_id",
        renumbered: None,
        refs: &[("entry_id", "stance_history")],
    },
    Table {
        name: "responses",
        rows: "SELECT * FROM responses WHERE document_id = ?1 ORDER BY id",
        renumbered: Some("id"),
        refs: &[("comment_id", "comments"), ("stance_id", "stance_history")],
    },
    Table {
        name: "amendments",
        rows: "SELECT * FROM amendments WHERE document_id = ?1 ORDER BY id",
        renumbered: Some("id"),
        refs: &[],
    },
    Table {
        name: "amendment_sponsors",
        rows:
            "SELECT * FROM amendment_sponsors WHERE amendment_id IN
               (SELECT id FROM amendments WHERE document_id = ?1) ORDER BY amendment_id, created_at",
        renumbered: None,
        refs: &[("amendment_id", "amendments")],
    },
    Table {
        name: "amendment_stance_history",
        rows: "SELECT * FROM amendment_stance_history WHERE amendment_id IN
               (SELECT id FROM amendments WHERE document_id = ?1) ORDER BY id",
        renumbered: Some("id"),
        refs: &[("amendment_id", "amendments")],
    },
    Table {
        name: "amendment_stances",
        rows: "SELECT * FROM amendment_stances WHERE amendment_id IN
               (SELECT id FROM amendments WHERE document_id = ?1) ORDER BY entry_id",
        renumbered: None,
        refs: &[
            ("amendment_id", "amendments"),
            ("entry_id", "amendment_stance_history"),
        ],
    },
    Table {
        name: "decision_record",
        rows: "SELECT * FROM decision_record WHERE document_id = ?1 ORDER BY seq",
        renumbered: None,
        refs: &[],
    },
    Table {
        name: "versions",
        rows: "SELECT * FROM versions WHERE document_id = ?1 ORDER BY created_at, name",
        renumbered: None,
        refs: &[],
    },
    Table {
        name: "endorsements",
        rows: "SELECT * FROM endorsements WHERE document_id = ?1 ORDER BY created_at",
        renumbered: None,
        refs: &[],
    },
];

/// Everyone an archive names: authors, stance holders, chairs, proposers, sponsors, endorsers,
/// whoever cut a version, and the members of the document's group.
const PEOPLE: &str = "SELECT a.id, a.display_name, a.affiliation, a.stakeholder_group, a.region,
        a.gender, a.age_band, m.role
    FROM accounts a LEFT JOIN memberships m ON m.account_id = a.id AND m.group_id = ?2
    WHERE a.id IN (
        SELECT author_id FROM comments WHERE document_id = ?1
        UNION SELECT hidden_by FROM comments WHERE document_id = ?1
        UNION SELECT account_id FROM stance_history WHERE document_id = ?1
        UNION SELECT chair_id FROM responses WHERE document_id = ?1
        UNION SELECT proposer_id FROM amendments WHERE document_id = ?1
        UNION SELECT decided_by FROM amendments WHERE document_id = ?1
        UNION SELECT account_id FROM amendment_sponsors WHERE amendment_id IN AMENDMENTS
        UNION SELECT account_id FROM amendment_stance_history WHERE amendment_id IN AMENDMENTS
        UNION SELECT created_by FROM versions WHERE document_id = ?1
        UNION SELECT account_id FROM endorsements WHERE document_id = ?1
        UNION SELECT account_id FROM memberships WHERE group_id = ?2)
    ORDER BY a.id";

/// A stored value as JSON: integers and reals as numbers, text as strings, blobs as
/// `{"base64": …}`.
fn to_json(row: &sqlx::sqlite::SqliteRow, i: usize) -> Result<Value, sqlx::Error> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let kind = raw.type_info().name().to_string();
    Ok(match kind.as_str() {
        "INTEGER" => Value::from(row.try_get::<i64, _>(i)?),
        "REAL" => Value::from(row.try_get::<f64, _>(i)?),
        "BLOB" => {
            let bytes: Vec<u8> = row.try_get(i)?;
            Value::Object(Map::from_iter([(
                "base64".to_string(),
                Value::from(B64.encode(bytes)),
            )]))
        }
        _ => Value::from(row.try_get::<String, _>(i)?),
    })
}

/// A chair's complete archive of a document.
pub async fn download(state: &Accord, who: &Principal, doc: &str) -> Result<Archive, Error> {
    let (meta, _) = documents::require(state, who, doc, Action::RunConsultation).await?;
    let (bytes, heads) = state
        .rooms
        .read(doc, |d| (d.save(), document::hex_heads(&d.get_heads())))
        .await?;
    let store = state.rooms.store();
    let pool = store.pool();
    let (name, kind): (String, String) =
        sqlx::query_as("SELECT name, kind FROM groups WHERE id = ?")
            .bind(&meta.group_id)
            .fetch_one(pool)
            .await
            .map_err(StoreError::from)?;
    let people_sql = PEOPLE.replace("AMENDMENTS", AMENDMENTS_OF);
    let people = sqlx::query(&people_sql)
        .bind(doc)
        .bind(&meta.group_id)
        .fetch_all(pool)
        .await
        .map_err(StoreError::from)?;
    let mut accounts = Vec::with_capacity(people.len());
    for r in people {
        let id: String = r.get("id");
        let actors: Vec<String> = sqlx::query_scalar(
            "SELECT actor FROM account_actors WHERE account_id = ? ORDER BY actor",
        )
        .bind(&id)
        .fetch_all(pool)
        .await
        .map_err(StoreError::from)?;
        accounts.push(ArchivedAccount {
            id,
            display_name: r.get("display_name"),
            affiliation: r.get("affiliation"),
            stakeholder_group: r.get("stakeholder_group"),
            region: r.get("region"),
            gender: r.get("gender"),
            age_band: r.get("age_band"),
            role: r.get("role"),
            actors,
        });
    }
    let mut tables = Vec::with_capacity(TABLES.len());
    for t in TABLES {
        let rows = sqlx::query(t.rows)
            .bind(doc)
            .fetch_all(pool)
            .await
            .map_err(StoreError::from)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut obj = Map::new();
            for (i, c) in r.columns().iter().enumerate() {
                obj.insert(
                    c.name().to_string(),
                    to_json(r, i).map_err(StoreError::from)?,
                );
            }
            out.push(obj);
        }
        tables.push((t.name.to_string(), out));
    }
    Ok(Archive {
        format: ARCHIVE_FORMAT.into(),
        version: ARCHIVE_VERSION,
        exported_at: state.auth.now(),
        group: ArchivedGroup {
            id: meta.group_id,
            name,
            kind,
        },
        automerge: B64.encode(bytes),
        heads,
        accounts,
        tables,
    })
}

fn refuse(why: impl std::fmt::Display) -> Error {
    Refusal::ArchiveRefused {
        detail: why.to_string(),
    }
    .into()
}

/// What a column of this installation holds, from its declared type.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Real,
    Text,
    Blob,
}

/// A column's value from the archive, checked against what the column holds here.
enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

fn cell(table: &str, column: &str, kind: Kind, v: &Value) -> Result<Cell, Error> {
    let wrong = || {
        refuse(format!(
            "the archive's {table}.{column} holds {v}, which does not fit that column here"
        ))
    };
    Ok(match (kind, v) {
        (_, Value::Null) => Cell::Null,
        (Kind::Integer, Value::Number(n)) => Cell::Integer(n.as_i64().ok_or_else(wrong)?),
        (Kind::Real, Value::Number(n)) => Cell::Real(n.as_f64().ok_or_else(wrong)?),
        (Kind::Text, Value::String(s)) => Cell::Text(s.clone()),
        (Kind::Blob, Value::Object(o)) if o.len() == 1 => {
            let b = o.get("base64").and_then(Value::as_str).ok_or_else(wrong)?;
            Cell::Blob(B64.decode(b).map_err(|_| wrong())?)
        }
        _ => return Err(wrong()),
    })
}

/// The columns of `table` here and what each holds.
async fn columns(state: &Accord, table: &str) -> Result<HashMap<String, Kind>, Error> {
    let rows = sqlx::query(&format!("PRAGMA table_info(\"{table}\")"))
        .fetch_all(state.rooms.store().pool())
        .await
        .map_err(StoreError::from)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let declared: String = r.get::<String, _>("type").to_ascii_uppercase();
            let kind = if declared.contains("INT") {
                Kind::Integer
            } else if declared.contains("BLOB") {
                Kind::Blob
            } else if declared.contains("REAL") {
                Kind::Real
            } else {
                Kind::Text
            };
            (r.get::<String, _>("name"), kind)
        })
        .collect())
}

/// The archive's rows of one table, every value checked; references are translated later.
type Rows = Vec<Vec<(String, Cell)>>;

fn record_of(rows: &[Map<String, Value>]) -> Result<Vec<Entry>, Error> {
    let text = |r: &Map<String, Value>, k: &str| {
        r.get(k)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| refuse(format!("a decision record entry has no {k}")))
    };
    let number = |r: &Map<String, Value>, k: &str| {
        r.get(k)
            .and_then(Value::as_i64)
            .ok_or_else(|| refuse(format!("a decision record entry has no {k}")))
    };
    rows.iter()
        .map(|r| {
            Ok(Entry {
                seq: number(r, "seq")?,
                at: number(r, "at")?,
                actor: text(r, "actor")?,
                kind: text(r, "kind")?,
                summary: text(r, "summary")?,
                reason: text(r, "reason")?,
                heads: split_heads(&text(r, "heads")?),
                prev: text(r, "prev")?,
                hash: text(r, "hash")?,
            })
        })
        .collect()
}

fn text<'a>(row: &'a [(String, Cell)], column: &str) -> Option<&'a str> {
    row.iter().find_map(|(c, v)| match v {
        Cell::Text(t) if c == column => Some(t.as_str()),
        _ => None,
    })
}

/// What the schema cannot check: every amendment loads as a branch of the archived document,
/// and every version's text reads as a text.
fn check_meaning(doc: &automerge::Automerge, tables: &[(&Table, Rows)]) -> Result<(), Error> {
    for (t, rows) in tables {
        for row in rows {
            match t.name {
                "amendments" => {
                    let base: Option<Vec<automerge::ChangeHash>> =
                        split_heads(text(row, "base").unwrap_or_default())
                            .iter()
                            .map(|h| h.parse().ok())
                            .collect();
                    let changes = row.iter().find_map(|(c, v)| match v {
                        Cell::Blob(b) if c == "changes" => Some(b.clone()),
                        _ => None,
                    });
                    let (Some(base), Some(changes)) = (base, changes) else {
                        return Err(refuse(
                            "an amendment in the archive has no usable base or changes",
                        ));
                    };
                    let changed = amendment::changed(doc, &amendment::Amendment { base, changes })
                        .map_err(|e| {
                            refuse(format!(
                                "an amendment in the archive does not apply to its document: {e}"
                            ))
                        })?;
                    if changed.is_empty() {
                        return Err(refuse(
                            "an amendment in the archive does not apply to its document: it changes nothing",
                        ));
                    }
                }
                "versions" => {
                    serde_json::from_str::<document::Outline>(
                        text(row, "outline").unwrap_or_default(),
                    )
                    .map_err(|e| {
                        refuse(format!(
                            "a version in the archive has no readable text: {e}"
                        ))
                    })?;
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// An admin restores an archive: checked whole, then written in one transaction.
pub async fn restore(state: &Accord, who: &Principal, a: Archive) -> Result<Created, Error> {
    who.require(state, None, Action::RestoreArchive).await?;
    if a.format != ARCHIVE_FORMAT {
        return Err(refuse(format!(
            "this is not an Accord archive (its format is '{}')",
            a.format.chars().take(40).collect::<String>()
        )));
    }
    if a.version != ARCHIVE_VERSION {
        return Err(refuse(format!(
            "the archive is in format version {}; this installation reads version {ARCHIVE_VERSION}",
            a.version
        )));
    }
    let bytes = B64.decode(&a.automerge).map_err(|e| {
        refuse(format!(
            "the archive's automerge document is not base64: {e}"
        ))
    })?;
    let doc = document::load(&bytes)
        .map_err(|e| refuse(format!("the archive's automerge document is corrupt: {e}")))?;
    // The same schema and limits a peer's changes are held to.
    document::validate(&doc).map_err(|e| {
        refuse(format!(
            "the archive's automerge document is not an Accord text: {e}"
        ))
    })?;
    let outline = document::read(&doc).map_err(|e| {
        refuse(format!(
            "the archive's automerge document is not an Accord text: {e}"
        ))
    })?;
    if document::hex_heads(&doc.get_heads()) != a.heads {
        return Err(refuse(
            "the archive's automerge document is not at the heads the archive names",
        ));
    }

    // Every table known, every column known here and of the right type.
    let mut checked: Vec<(&Table, Rows)> = Vec::with_capacity(TABLES.len());
    for (name, _) in &a.tables {
        if !TABLES.iter().any(|t| t.name == name) {
            return Err(refuse(format!(
                "the archive has a table '{}' this installation does not know",
                name.chars().take(40).collect::<String>()
            )));
        }
    }
    for t in TABLES {
        let rows: &[Map<String, Value>] = a
            .tables
            .iter()
            .find(|(n, _)| n == t.name)
            .map(|(_, r)| r.as_slice())
            .unwrap_or_default();
        let here = columns(state, t.name).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut cells = Vec::with_capacity(row.len());
            for (column, v) in row {
                let kind = here.get(column).copied().ok_or_else(|| {
                    refuse(format!(
                        "the archive's {} rows have a column '{}' this installation does not know",
                        t.name,
                        column.chars().take(40).collect::<String>()
                    ))
                })?;
                cells.push((column.clone(), cell(t.name, column, kind, v)?));
            }
            out.push(cells);
        }
        checked.push((t, out));
    }
    check_meaning(&doc, &checked)?;
    let documents_rows = &checked[0].1;
    let [document_row] = documents_rows.as_slice() else {
        return Err(refuse("the archive does not hold exactly one document"));
    };
    let id = match document_row.iter().find(|(c, _)| c == "id") {
        Some((_, Cell::Text(id))) if rules::is_document_id(id) => id.clone(),
        _ => return Err(refuse("the archive's document has no usable id")),
    };
    let group_ok = matches!(
        document_row.iter().find(|(c, _)| c == "group_id"),
        Some((_, Cell::Text(g))) if *g == a.group.id
    );
    if !group_ok {
        return Err(refuse(
            "the archive's document is not in the archive's group",
        ));
    }
    let record_rows = a
        .tables
        .iter()
        .find(|(n, _)| n == "decision_record")
        .map(|(_, r)| r.as_slice())
        .unwrap_or_default();
    record::verify(&record_of(record_rows)?).map_err(|e| {
        refuse(format!(
            "the archive's decision record was altered after it was written ({e:?})"
        ))
    })?;
    if state.rooms.store().document_meta(&id).await?.is_some() {
        return Err(Refusal::DocumentExists { id }.into());
    }

    write(state, &a, &bytes, &id, checked)
        .await
        .map_err(|e| match e {
            StoreError::Db(e) => refuse(format!("the archive's rows do not fit: {e}")),
            other => Error::from(other),
        })?;
    state
        .rooms
        .store()
        .audit(
            "restore",
            who.account_id(),
            None,
            &format!(
                "restored document {id} ('{}') from an archive of {} accounts",
                outline.title.chars().take(80).collect::<String>(),
                a.accounts.len()
            ),
        )
        .await?;
    Ok(Created {
        url: format!("/documents/{id}"),
        id,
    })
}

/// Writes a checked archive in one transaction.
async fn write(
    state: &Accord,
    a: &Archive,
    bytes: &[u8],
    id: &str,
    tables: Vec<(&Table, Rows)>,
) -> Result<(), StoreError> {
    let store = state.rooms.store();
    let mut tx = store.writer().begin().await?;
    sqlx::query("INSERT INTO groups (id, name, kind) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
        .bind(&a.group.id)
        .bind(&a.group.name)
        .bind(&a.group.kind)
        .execute(&mut *tx)
        .await?;
    for p in &a.accounts {
        sqlx::query(
            "INSERT INTO accounts (id, login, password_hash, display_name, affiliation,
                stakeholder_group, region, gender, age_band)
             VALUES (?1, 'archived-' || ?1 || '@restored.invalid', '!', ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(&p.id)
        .bind(&p.display_name)
        .bind(&p.affiliation)
        .bind(&p.stakeholder_group)
        .bind(&p.region)
        .bind(&p.gender)
        .bind(&p.age_band)
        .execute(&mut *tx)
        .await?;
        if let Some(role) = &p.role {
            sqlx::query(
                "INSERT INTO memberships (group_id, account_id, role) VALUES (?, ?, ?)
                 ON CONFLICT DO NOTHING",
            )
            .bind(&a.group.id)
            .bind(&p.id)
            .bind(role)
            .execute(&mut *tx)
            .await?;
        }
        for actor in &p.actors {
            sqlx::query("INSERT OR IGNORE INTO account_actors (actor, account_id) VALUES (?, ?)")
                .bind(actor)
                .bind(&p.id)
                .execute(&mut *tx)
                .await?;
        }
    }
    // Old number → new number, per renumbered table.
    let mut numbers: HashMap<&str, HashMap<i64, i64>> = HashMap::new();
    for (t, rows) in tables {
        for row in rows {
            let mut old_key = None;
            let mut cols = Vec::with_capacity(row.len());
            let mut cells = Vec::with_capacity(row.len());
            for (column, c) in row {
                if Some(column.as_str()) == t.renumbered {
                    if let Cell::Integer(n) = c {
                        old_key = Some(n);
                    }
                    continue;
                }
                let c = match (t.refs.iter().find(|(col, _)| *col == column), c) {
                    (Some((_, target)), Cell::Integer(n)) => Cell::Integer(
                        numbers
                            .get(target)
                            .and_then(|m| m.get(&n))
                            .copied()
                            .ok_or_else(|| {
                                sqlx::Error::Protocol(format!(
                                    "{}.{column} refers to {target} {n}, which the archive lacks",
                                    t.name
                                ))
                            })?,
                    ),
                    (_, c) => c,
                };
                cols.push(format!("\"{column}\""));
                cells.push(c);
            }
            let sql = format!(
                "INSERT INTO \"{}\" ({}) VALUES ({})",
                t.name,
                cols.join(", "),
                vec!["?"; cols.len()].join(", ")
            );
            let mut q = sqlx::query(&sql);
            for c in cells {
                q = match c {
                    Cell::Null => q.bind(None::<String>),
                    Cell::Integer(n) => q.bind(n),
                    Cell::Real(x) => q.bind(x),
                    Cell::Text(s) => q.bind(s),
                    Cell::Blob(b) => q.bind(b),
                };
            }
            let done = q.execute(&mut *tx).await?;
            if let (Some(key), Some(_)) = (old_key, t.renumbered) {
                numbers
                    .entry(t.name)
                    .or_default()
                    .insert(key, done.last_insert_rowid());
            }
        }
    }
    sqlx::query("INSERT INTO document_snapshots (document_id, bytes, last_seq) VALUES (?, ?, 0)")
        .bind(id)
        .bind(bytes)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

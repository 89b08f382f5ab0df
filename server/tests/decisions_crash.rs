//! Decisions on amendments survive `kill -9` whole or not at all: the real server binary is
//! killed while chairs decide, restarted on the same data folder, and every amendment is then
//! either decided, merged (when accepted) and recorded, or open, unmerged and unrecorded.
//!
//! Guards against the decision's claim, the merge of its text and its record entry being
//! written in separate steps, where a crash between them left an amendment accepted but not
//! merged, or decided without its record entry.

use std::time::Duration;

mod common;

use automerge::Automerge;
use common::binary::{free_address, http, Server};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_killed_midway_is_either_merged_and_recorded_or_not_made_at_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    let addr = free_address();
    let mut server = Server::start(dir.path(), addr, true).await;
    let participant = common::login(addr, "participant@example.org").await;
    let (_, docs) = http(addr, "GET", "/api/v1/documents", None, None)
        .await
        .expect("list");
    let doc = docs[0]["id"].as_str().expect("a document").to_string();
    let (_, detail) = http(addr, "GET", &format!("/api/v1/documents/{doc}"), None, None)
        .await
        .expect("detail");
    let numbered: Vec<&Value> = detail["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .filter(|p| p["kind"] == "numbered")
        .collect();
    // One amendment per numbered paragraph, each adding its own words.
    let mut amendments = Vec::new();
    for (i, p) in numbered.iter().take(16).enumerate() {
        let text = format!(
            "{} Amended in round {i}.",
            p["text"].as_str().expect("text")
        );
        let body = json!({
            "base": detail["heads"],
            "edits": [{ "kind": "replace", "paragraph": p["id"], "text": text }],
            "rationale": format!("reason {i}"),
        });
        let path = format!("/api/v1/documents/{doc}/amendments");
        let (status, made) = http(addr, "POST", &path, Some(&participant), Some(body))
            .await
            .expect("propose");
        assert_eq!(status, 201, "{made}");
        amendments.push(made["id"].as_i64().expect("id"));
    }

    // Rounds: chairs decide four amendments at once; the server is killed after a delay that
    // moves through the time a decision takes, then started again on the same data. The last
    // round kills only once every answer came back, so some decisions are always made however
    // slow the machine, and each one the server acknowledged must be on disk after the kill.
    let delays = [Some(5), Some(40), Some(150), None];
    let mut acknowledged = Vec::new();
    for (round, batch) in amendments.chunks(4).enumerate() {
        let chair = common::login(addr, "chair@example.org").await;
        let mut decisions = Vec::new();
        for (k, id) in batch.iter().enumerate() {
            let (chair, doc, id) = (chair.clone(), doc.clone(), *id);
            let decision = if k % 2 == 0 { "accept" } else { "reject" };
            decisions.push(tokio::spawn(async move {
                let body = json!({ "decision": decision, "reason": "the group agreed" });
                let path = format!("/api/v1/documents/{doc}/amendments/{id}/decision");
                http(addr, "POST", &path, Some(&chair), Some(body)).await
            }));
        }
        let delay = delays[round % delays.len()];
        if let Some(ms) = delay {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            server.kill();
            acknowledged.extend(answered(decisions, batch).await);
        } else {
            acknowledged.extend(answered(decisions, batch).await);
            server.kill();
        }
        server = Server::start(dir.path(), addr, true).await;
    }
    server.kill();

    // Read what is on disk, as the next start would.
    let store = common::store_in(dir.path()).await;
    let (text, _) = store
        .load_document(&doc)
        .await
        .expect("load")
        .expect("the document");
    let record = store.record(&doc).await.expect("record");
    assert!(
        domain::record::verify(&record).is_ok(),
        "the record's chain still verifies"
    );
    let db = store.pool_for_tests();
    let rows: Vec<(i64, String, Vec<u8>)> =
        sqlx::query_as("SELECT id, status, changes FROM amendments WHERE document_id = $1")
            .bind(&doc)
            .fetch_all(db)
            .await
            .expect("amendments");
    let (mut decided, mut open) = (0, 0);
    for (id, status, changes) in rows {
        if acknowledged.contains(&id) {
            assert_ne!(
                status, "open",
                "amendment {id}'s decision was acknowledged, then lost"
            );
        }
        let merged = branch_merged(&text, &changes);
        let entries = |summary: &str| record.iter().filter(|e| e.summary == summary).count();
        let accepted = entries(&format!("Accepted amendment {id}"));
        let rejected = entries(&format!("Rejected amendment {id}"));
        match status.as_str() {
            "accepted" => {
                decided += 1;
                assert!(merged, "accepted amendment {id} is in the text");
                assert_eq!((accepted, rejected), (1, 0), "amendment {id} recorded once");
            }
            "rejected" => {
                decided += 1;
                assert!(!merged, "rejected amendment {id} is not in the text");
                assert_eq!((accepted, rejected), (0, 1), "amendment {id} recorded once");
            }
            "open" => {
                open += 1;
                assert!(!merged, "open amendment {id} is not in the text");
                assert_eq!(
                    (accepted, rejected),
                    (0, 0),
                    "open amendment {id} is not recorded"
                );
            }
            other => panic!("amendment {id} is {other}"),
        }
    }
    assert_eq!(decided + open, amendments.len());
    assert!(decided > 0, "some decisions were made before the kills");
    eprintln!("{decided} decided and {open} left open by the kills");
}

/// The amendments whose decision the server answered with 200.
async fn answered(
    decisions: Vec<tokio::task::JoinHandle<Option<(u16, Value)>>>,
    batch: &[i64],
) -> Vec<i64> {
    let mut ids = Vec::new();
    for (d, id) in decisions.into_iter().zip(batch) {
        if let Ok(Some((200, _))) = d.await {
            ids.push(*id);
        }
    }
    ids
}

/// Whether every change of an amendment's branch is in the document: loading the branch into
/// a copy of the text adds nothing.
fn branch_merged(text: &Automerge, branch: &[u8]) -> bool {
    let mut probe = text.clone();
    probe.load_incremental(branch).expect("branch bytes");
    probe.get_heads() == text.get_heads()
}

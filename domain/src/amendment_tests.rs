use automerge::{ActorId, Automerge};
use proptest::prelude::*;

use super::*;
use crate::document::{load, new_document, read};

fn doc_of(paragraphs: &[&str]) -> (Automerge, Vec<String>) {
    let mut ac = new_document(
        "T",
        &paragraphs
            .iter()
            .map(|t| (ParagraphKind::Numbered, t.to_string()))
            .collect::<Vec<_>>(),
    )
    .expect("doc");
    let doc = load(&ac.save()).expect("load");
    let ids = read(&doc)
        .expect("read")
        .paragraphs
        .into_iter()
        .map(|p| p.id)
        .collect();
    (doc, ids)
}

fn texts(doc: &Automerge) -> Vec<String> {
    read(doc)
        .expect("read")
        .paragraphs
        .into_iter()
        .map(|p| p.text)
        .collect()
}

/// A drafter's edit on the live document, as another actor.
fn drafter_sets(doc: &mut Automerge, id: &str, text: &str) {
    doc.set_actor(ActorId::random());
    let mut tx = doc.transaction();
    document::set_text(&mut tx, id, text).expect("edit");
    tx.commit();
}

/// An amendment giving paragraph `id` the wording `text`, proposed on `doc` as it is now.
fn amend(doc: &Automerge, id: &str, text: &str) -> (Vec<ChangeHash>, Amendment) {
    let base = doc.get_heads();
    let a = propose(doc, &base, &[replace(id, text)], ActorId::random()).expect("amendment");
    (base, a)
}

fn replace(id: &str, text: &str) -> Edit {
    Edit::Replace {
        paragraph: id.to_string(),
        text: text.to_string(),
    }
}

#[test]
fn accepting_merges_the_amendment_with_what_drafters_typed_since() {
    let (mut doc, ids) = doc_of(&["States should publish the data.", "Second."]);
    let (_, a) = amend(&doc, &ids[0], "States must publish the data.");
    drafter_sets(&mut doc, &ids[0], "States should publish the open data.");
    assert_eq!(fit(&doc, &a).expect("fit"), Fit::Clean);
    accept(&mut doc, &a).expect("accept");
    assert_eq!(texts(&doc)[0], "States must publish the open data.");
    assert_eq!(fit(&doc, &a).expect("fit"), Fit::Applied);
}

#[test]
fn proposing_or_rejecting_leaves_the_document_as_it_was() {
    let (doc, ids) = doc_of(&["One.", "Two."]);
    let (heads, before) = (doc.get_heads(), texts(&doc));
    propose(
        &doc,
        &heads,
        &[replace(&ids[1], "Deux.")],
        ActorId::random(),
    )
    .expect("amendment");
    assert_eq!(doc.get_heads(), heads);
    assert_eq!(texts(&doc), before);
}

#[test]
fn accepting_twice_merges_once() {
    let (mut doc, ids) = doc_of(&["Alpha beta."]);
    let (_, a) = amend(&doc, &ids[0], "Alpha gamma.");
    accept(&mut doc, &a).expect("accept");
    let heads = doc.get_heads();
    accept(&mut doc, &a).expect("again");
    assert_eq!(doc.get_heads(), heads);
    assert_eq!(texts(&doc), vec!["Alpha gamma."]);
}

#[test]
fn an_amendment_that_changes_nothing_or_names_unknown_heads_is_refused() {
    let (doc, ids) = doc_of(&["Same."]);
    let base = doc.get_heads();
    assert!(matches!(
        propose(&doc, &base, &[replace(&ids[0], "Same.")], ActorId::random()),
        Err(AmendmentError::Empty)
    ));
    let unknown = vec![ChangeHash([7; 32])];
    assert!(matches!(
        propose(
            &doc,
            &unknown,
            &[replace(&ids[0], "Other.")],
            ActorId::random()
        ),
        Err(AmendmentError::UnknownBase(_))
    ));
    assert!(matches!(
        propose(&doc, &base, &[replace("pnothere", "x")], ActorId::random()),
        Err(AmendmentError::Model(_))
    ));
}

#[test]
fn words_changed_on_both_sides_are_a_conflict_shown_as_base_amendment_and_current() {
    let (mut doc, ids) = doc_of(&["The chair decides."]);
    let (_, a) = amend(&doc, &ids[0], "The group decides.");
    drafter_sets(&mut doc, &ids[0], "The secretariat decides.");
    assert_eq!(
        fit(&doc, &a).expect("fit"),
        Fit::Conflicts(vec![Conflict {
            paragraph: ids[0].clone(),
            base: "chair".into(),
            amended: "group".into(),
            current: "secretariat".into(),
        }])
    );
}

#[test]
fn new_and_deleted_paragraphs_are_amendments_too() {
    let (mut doc, ids) = doc_of(&["First.", "Second.", "Third."]);
    let base = doc.get_heads();
    let a = propose(
        &doc,
        &base,
        &[
            Edit::Insert {
                after: Some(ids[0].clone()),
                kind: None,
                text: "Inserted.".into(),
            },
            Edit::Delete {
                paragraph: ids[2].clone(),
            },
        ],
        ActorId::random(),
    )
    .expect("amendment");
    assert_eq!(fit(&doc, &a).expect("fit"), Fit::Clean);
    accept(&mut doc, &a).expect("accept");
    assert_eq!(texts(&doc), vec!["First.", "Inserted.", "Second."]);
    // Of the kind of the paragraph before it, as its proposer did not say.
    assert_eq!(
        read(&doc).expect("read").paragraphs[1].kind,
        ParagraphKind::Numbered
    );
}

#[test]
fn deleting_a_paragraph_reworded_since_is_a_conflict() {
    let (mut doc, ids) = doc_of(&["Keep.", "Drop me."]);
    let base = doc.get_heads();
    let a = propose(
        &doc,
        &base,
        &[Edit::Delete {
            paragraph: ids[1].clone(),
        }],
        ActorId::random(),
    )
    .expect("amendment");
    drafter_sets(&mut doc, &ids[1], "Drop me, but better.");
    assert!(
        matches!(fit(&doc, &a).expect("fit"), Fit::Conflicts(c) if c[0].current == "Drop me, but better.")
    );
}

#[test]
fn the_preview_compares_the_current_text_with_the_text_after_accepting() {
    let (mut doc, ids) = doc_of(&["The chair decides today.", "Other."]);
    let (_, a) = amend(&doc, &ids[0], "The group decides today.");
    drafter_sets(&mut doc, &ids[0], "The chair decides tomorrow.");
    assert_eq!(
        preview(&doc, &a).expect("preview"),
        vec![(
            ids[0].clone(),
            "The chair decides tomorrow.".to_string(),
            "The group decides tomorrow.".to_string()
        )]
    );
    // Previewing merges nothing.
    assert_eq!(texts(&doc)[0], "The chair decides tomorrow.");
}

#[test]
fn a_chairs_modification_resolves_a_conflict_and_keeps_later_typing() {
    let (mut doc, ids) = doc_of(&["The chair decides.", "Other."]);
    let (_, a) = amend(&doc, &ids[0], "The group decides.");
    drafter_sets(&mut doc, &ids[0], "The secretariat decides.");
    // The chair reads the conflict at these heads and writes the wording to adopt.
    let read_at = doc.get_heads();
    let wording = [replace(&ids[0], "The group and the secretariat decide.")];
    // A drafter keeps typing after the chair read the text.
    doc.set_actor(ActorId::random());
    let mut tx = doc.transaction();
    document::splice(&mut tx, &ids[1], 0, 0, "Then: ").expect("typing");
    tx.commit();
    let modified = modify(&doc, &a, &read_at, &wording, ActorId::random())
        .expect("modify")
        .expect("a change");
    accept(&mut doc, &modified).expect("accept");
    assert_eq!(
        texts(&doc),
        vec!["The group and the secretariat decide.", "Then: Other."]
    );
    // The amendment's own branch is part of the history now.
    assert!(is_applied(&doc, &a));
}

#[test]
fn a_modification_that_changes_nothing_is_a_plain_acceptance() {
    let (doc, ids) = doc_of(&["The chair decides."]);
    let (base, a) = amend(&doc, &ids[0], "The group decides.");
    let same = [replace(&ids[0], "The group decides.")];
    assert_eq!(
        modify(&doc, &a, &base, &same, ActorId::random()).expect("modify"),
        None
    );
    let unknown = [ChangeHash([7; 32])];
    assert!(matches!(
        modify(&doc, &a, &unknown, &same, ActorId::random()),
        Err(AmendmentError::UnknownBase(_))
    ));
}

#[test]
fn one_inspection_says_what_the_separate_looks_say() {
    let (mut doc, ids) = doc_of(&["The chair decides today.", "Other."]);
    let (_, clean) = amend(&doc, &ids[1], "Another.");
    let (_, conflicting) = amend(&doc, &ids[0], "The group decides today.");
    drafter_sets(&mut doc, &ids[0], "The secretariat decides today.");
    for a in [&clean, &conflicting] {
        assert_eq!(
            inspect(&doc, a, true).expect("inspect"),
            Inspection {
                changed: changed(&doc, a).expect("changed"),
                fit: Some(fit(&doc, a).expect("fit")),
                preview: preview(&doc, a).expect("preview"),
                adopted: None,
            }
        );
    }
    accept(&mut doc, &clean).expect("accept");
    assert_eq!(
        inspect(&doc, &clean, true).expect("inspect").fit,
        Some(Fit::Applied)
    );
    assert_eq!(inspect(&doc, &clean, false).expect("inspect").fit, None);
}

fn words_strategy() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[a-z]{1,6}", 3..12)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// For random paragraphs, a random amendment of one word and a drafter's concurrent edit of
    /// another word of the same paragraph: accepting keeps both, and accepting again changes
    /// nothing; a rejected amendment leaves the drafter's text alone.
    #[test]
    fn accepting_keeps_both_the_amendment_and_concurrent_edits(
        words in words_strategy(),
        other in "[a-z ]{0,30}",
        k1 in 0usize..12,
        k2 in 0usize..12,
        amended_word in "[A-Z]{1,6}",
        drafted_word in "[0-9]{1,4}",
    ) {
        let (k1, k2) = (k1 % words.len(), k2 % words.len());
        prop_assume!(k1 != k2);
        let base_text = words.join(" ");
        let (mut doc, ids) = doc_of(&[&base_text, &other]);
        let base = doc.get_heads();
        let with = |k: usize, w: &str, from: &[String]| {
            let mut v = from.to_vec();
            v[k] = w.to_string();
            v
        };
        let amended = with(k1, &amended_word, &words).join(" ");
        let a = propose(&doc, &base, &[replace(&ids[0], &amended)], ActorId::random()).expect("amendment");
        let drafted = with(k2, &drafted_word, &words);
        drafter_sets(&mut doc, &ids[0], &drafted.join(" "));
        let rejected = texts(&doc);
        prop_assert_eq!(fit(&doc, &a).expect("fit"), Fit::Clean);
        accept(&mut doc, &a).expect("accept");
        let expected = with(k1, &amended_word, &drafted).join(" ");
        prop_assert_eq!(texts(&doc), vec![expected, other.clone()]);
        let heads = doc.get_heads();
        accept(&mut doc, &a).expect("again");
        prop_assert_eq!(doc.get_heads(), heads);
        prop_assert_eq!(&rejected[0], &drafted.join(" "));
    }

    /// When the drafter changed the very word the amendment changes, `fit` says so.
    #[test]
    fn the_same_word_changed_on_both_sides_is_reported(
        words in words_strategy(),
        k in 0usize..12,
        amended_word in "[A-Z]{1,6}",
        drafted_word in "[0-9]{1,4}",
    ) {
        let k = k % words.len();
        let (mut doc, ids) = doc_of(&[&words.join(" ")]);
        let base = doc.get_heads();
        let mut amended = words.clone();
        amended[k] = amended_word.clone();
        let a = propose(&doc, &base, &[replace(&ids[0], &amended.join(" "))], ActorId::random()).expect("amendment");
        let mut drafted = words.clone();
        drafted[k] = drafted_word.clone();
        drafter_sets(&mut doc, &ids[0], &drafted.join(" "));
        match fit(&doc, &a).expect("fit") {
            Fit::Conflicts(c) => {
                prop_assert_eq!(c.len(), 1);
                prop_assert_eq!(&c[0].base, &words[k]);
                prop_assert_eq!(&c[0].amended, &amended_word);
            }
            other => prop_assert!(false, "expected a conflict, got {:?}", other),
        }
    }
}

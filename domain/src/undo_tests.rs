use super::*;
use crate::document::{empty_doc, init, read, Direction};
use automerge::{ActorId, AutoCommit};

fn doc_with(texts: &[&str]) -> (AutoCommit, Vec<String>) {
    let mut doc = empty_doc();
    let paras: Vec<_> = texts
        .iter()
        .map(|t| (ParagraphKind::Numbered, t.to_string()))
        .collect();
    let ids = init(&mut doc, "T", &paras).expect("init");
    doc.commit();
    (doc, ids)
}

fn texts(doc: &AutoCommit) -> Vec<String> {
    read(doc)
        .expect("outline")
        .paragraphs
        .into_iter()
        .map(|p| p.text)
        .collect()
}

/// A second drafter's replica of `doc`, writing as another actor.
fn other(doc: &mut AutoCommit) -> AutoCommit {
    let mut them = doc.fork();
    them.set_actor(ActorId::random());
    them
}

/// Types `words` one keystroke at a time at the end of paragraph `id`, as the editor records it.
fn type_at_end(doc: &mut AutoCommit, history: &mut History, id: &str, words: &str, now: f64) {
    for (i, c) in words.chars().enumerate() {
        let mut text = read(doc)
            .expect("outline")
            .paragraphs
            .into_iter()
            .find(|p| p.id == id)
            .expect("paragraph")
            .text;
        text.push(c);
        let ops = set_text(doc, id, &text).expect("typed");
        history.done(ops, Some((id, now + i as f64)));
    }
    doc.commit();
}

fn step(doc: &mut AutoCommit, history: &mut History, way: Way) -> Result<Caret, Stale> {
    let result = history.step(doc, way).expect("a step to take");
    match &result {
        Ok(_) => {
            doc.commit();
        }
        Err(_) => {
            doc.rollback();
        }
    }
    result
}

#[test]
fn typing_undoes_a_word_at_a_time_and_redoes() {
    let (mut doc, ids) = doc_with(&["Text"]);
    let mut history = History::default();
    type_at_end(&mut doc, &mut history, &ids[0], " one", 0.0);
    type_at_end(&mut doc, &mut history, &ids[0], " two", 10.0);
    assert_eq!(texts(&doc), ["Text one two"]);
    assert_eq!(
        step(&mut doc, &mut history, Way::Undo),
        Ok(Some((ids[0].clone(), 8)))
    );
    assert_eq!(texts(&doc), ["Text one"]);
    step(&mut doc, &mut history, Way::Undo).expect("undo");
    assert_eq!(texts(&doc), ["Text"]);
    assert!(!history.can(Way::Undo));
    step(&mut doc, &mut history, Way::Redo).expect("redo");
    step(&mut doc, &mut history, Way::Redo).expect("redo");
    assert_eq!(texts(&doc), ["Text one two"]);
    assert!(!history.can(Way::Redo));
}

#[test]
fn a_pause_ends_a_run_of_typing() {
    let (mut doc, ids) = doc_with(&[""]);
    let mut history = History::default();
    type_at_end(&mut doc, &mut history, &ids[0], "ab", 0.0);
    type_at_end(&mut doc, &mut history, &ids[0], "cd", 5_000.0);
    step(&mut doc, &mut history, Way::Undo).expect("undo");
    assert_eq!(texts(&doc), ["ab"]);
}

#[test]
fn undo_removes_only_my_words_never_what_another_drafter_typed_between_them() {
    let (mut doc, ids) = doc_with(&["Start"]);
    let mut history = History::default();
    type_at_end(&mut doc, &mut history, &ids[0], " mine", 0.0);
    let mut them = other(&mut doc);
    // They type inside my words and after them.
    crate::document::splice(&mut them, &ids[0], 7, 0, "THEIRS").expect("theirs");
    crate::document::splice(&mut them, &ids[0], 16, 0, " also").expect("theirs");
    them.commit();
    doc.merge(&mut them).expect("merge");
    assert_eq!(texts(&doc), ["Start mTHEIRSine also"]);
    // My run was typed a keystroke at a time, so each of my characters is removed on its own.
    step(&mut doc, &mut history, Way::Undo).expect("undo");
    assert_eq!(texts(&doc), ["StartTHEIRS also"]);
}

#[test]
fn undo_of_a_paste_refuses_when_someone_wrote_inside_it_and_leaves_the_text() {
    let (mut doc, ids) = doc_with(&["Start"]);
    let mut history = History::default();
    let ops = set_text(&mut doc, &ids[0], "Start pasted words").expect("paste");
    history.done(ops, Some((&ids[0], 0.0)));
    doc.commit();
    let mut them = other(&mut doc);
    crate::document::splice(&mut them, &ids[0], 10, 0, "X").expect("theirs");
    them.commit();
    doc.merge(&mut them).expect("merge");
    assert_eq!(step(&mut doc, &mut history, Way::Undo), Err(Stale::Changed));
    assert_eq!(texts(&doc), ["Start pastXed words"]);
    assert!(!history.can(Way::Undo));
}

#[test]
fn undoing_deleted_words_puts_them_back_where_they_were_after_others_typed_before_them() {
    let (mut doc, ids) = doc_with(&["keep drop keep"]);
    let mut history = History::default();
    let ops = set_text(&mut doc, &ids[0], "keep keep").expect("delete");
    history.done(ops, Some((&ids[0], 0.0)));
    doc.commit();
    let mut them = other(&mut doc);
    crate::document::splice(&mut them, &ids[0], 0, 0, "Now ").expect("theirs");
    them.commit();
    doc.merge(&mut them).expect("merge");
    step(&mut doc, &mut history, Way::Undo).expect("undo");
    assert_eq!(texts(&doc), ["Now keep drop keep"]);
}

#[test]
fn a_split_undoes_into_one_paragraph_keeping_what_another_drafter_typed_in_the_second_half() {
    let (mut doc, ids) = doc_with(&["Hello world", "Next"]);
    let mut history = History::default();
    let gone = crate::document::split(&mut doc, &ids[0], 5).expect("split");
    history.done(vec![unsplit(&ids[0], &gone)], None);
    doc.commit();
    let mut them = other(&mut doc);
    crate::document::splice(&mut them, &gone, 6, 0, " wide").expect("theirs");
    them.commit();
    doc.merge(&mut them).expect("merge");
    assert_eq!(texts(&doc), ["Hello", " world wide", "Next"]);
    assert_eq!(
        step(&mut doc, &mut history, Way::Undo),
        Ok(Some((ids[0].clone(), 5)))
    );
    assert_eq!(texts(&doc), ["Hello world wide", "Next"]);
    step(&mut doc, &mut history, Way::Redo).expect("redo");
    assert_eq!(texts(&doc), ["Hello", " world wide", "Next"]);
    // The second half is the same paragraph again: links and comments on it still hold.
    assert_eq!(read(&doc).expect("outline").paragraphs[1].id, gone);
}

#[test]
fn a_merge_undoes_into_the_two_paragraphs_it_was() {
    let (mut doc, ids) = doc_with(&["One", "Two", "Three"]);
    let mut history = History::default();
    let (kept, at) = crate::document::merge_with_previous(&mut doc, &ids[1])
        .expect("merge")
        .expect("a paragraph before");
    history.done(
        vec![unmerge(&doc, &kept, at, &ids[1]).expect("inverse")],
        None,
    );
    doc.commit();
    assert_eq!(texts(&doc), ["OneTwo", "Three"]);
    step(&mut doc, &mut history, Way::Undo).expect("undo");
    assert_eq!(texts(&doc), ["One", "Two", "Three"]);
    step(&mut doc, &mut history, Way::Redo).expect("redo");
    assert_eq!(texts(&doc), ["OneTwo", "Three"]);
}

#[test]
fn moves_kinds_deletions_and_additions_undo_and_redo() {
    let (mut doc, ids) = doc_with(&["A", "B", "C"]);
    let mut history = History::default();
    let before = unmove(&doc, &ids[2]).expect("inverse");
    crate::document::move_paragraph(&mut doc, &ids[2], Direction::Up).expect("move");
    history.done(vec![before], None);
    let before = unkind(&doc, &ids[0]).expect("inverse");
    crate::document::set_kind(&mut doc, &ids[0], ParagraphKind::Heading).expect("kind");
    history.done(vec![before], None);
    crate::document::delete(&mut doc, &ids[1]).expect("delete");
    history.done(vec![undelete(&ids[1], true)], None);
    let added =
        crate::document::insert_after(&mut doc, None, ParagraphKind::Plain, "").expect("add");
    history.done(vec![undelete(&added, false)], None);
    doc.commit();
    assert_eq!(texts(&doc), ["", "A", "C"]);
    step(&mut doc, &mut history, Way::Undo).expect("undo add");
    step(&mut doc, &mut history, Way::Undo).expect("undo delete");
    assert_eq!(texts(&doc), ["A", "C", "B"]);
    step(&mut doc, &mut history, Way::Undo).expect("undo kind");
    assert_eq!(
        crate::document::kind(&doc, &ids[0]).expect("kind"),
        ParagraphKind::Numbered
    );
    step(&mut doc, &mut history, Way::Undo).expect("undo move");
    assert_eq!(texts(&doc), ["A", "B", "C"]);
    for _ in 0..4 {
        step(&mut doc, &mut history, Way::Redo).expect("redo");
    }
    assert_eq!(texts(&doc), ["", "A", "C"]);
}

#[test]
fn a_step_on_a_paragraph_someone_deleted_is_refused() {
    let (mut doc, ids) = doc_with(&["A", "B"]);
    let mut history = History::default();
    let before = unkind(&doc, &ids[1]).expect("inverse");
    crate::document::set_kind(&mut doc, &ids[1], ParagraphKind::Plain).expect("kind");
    history.done(vec![before], None);
    doc.commit();
    let mut them = other(&mut doc);
    crate::document::delete(&mut them, &ids[1]).expect("theirs");
    them.commit();
    doc.merge(&mut them).expect("merge");
    assert_eq!(step(&mut doc, &mut history, Way::Undo), Err(Stale::Gone));
    assert_eq!(texts(&doc), ["A"]);
}

#[test]
fn something_new_done_clears_what_could_be_redone() {
    let (mut doc, ids) = doc_with(&["A"]);
    let mut history = History::default();
    type_at_end(&mut doc, &mut history, &ids[0], "b", 0.0);
    step(&mut doc, &mut history, Way::Undo).expect("undo");
    assert!(history.can(Way::Redo));
    type_at_end(&mut doc, &mut history, &ids[0], "c", 10_000.0);
    assert!(!history.can(Way::Redo));
}

use super::*;
use automerge::AutoCommit;
use proptest::prelude::*;

fn doc_with(texts: &[(ParagraphKind, &str)]) -> (AutoCommit, Vec<String>) {
    let mut doc = empty_doc();
    let paras: Vec<_> = texts.iter().map(|(k, t)| (*k, t.to_string())).collect();
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

#[test]
fn split_in_the_middle_moves_the_tail_into_a_new_paragraph_after() {
    let (mut doc, ids) = doc_with(&[
        (ParagraphKind::Numbered, "Hello world"),
        (ParagraphKind::Numbered, "Next"),
    ]);
    let new = split(&mut doc, &ids[0], 5).expect("split");
    assert_eq!(texts(&doc), ["Hello", " world", "Next"]);
    let outline = read(&doc).expect("outline");
    assert_eq!(outline.paragraphs[1].id, new);
    assert_eq!(outline.paragraphs[1].number.as_deref(), Some("2"));
}

#[test]
fn split_at_the_end_makes_an_empty_paragraph_and_a_heading_continues_as_numbered() {
    let (mut doc, ids) = doc_with(&[(ParagraphKind::Heading, "Scope")]);
    split(&mut doc, &ids[0], 5).expect("split");
    let outline = read(&doc).expect("outline");
    assert_eq!(outline.paragraphs[1].text, "");
    assert_eq!(outline.paragraphs[1].kind, ParagraphKind::Numbered);
}

#[test]
fn merge_with_previous_joins_the_texts_and_reports_the_seam() {
    let (mut doc, ids) = doc_with(&[
        (ParagraphKind::Numbered, "One"),
        (ParagraphKind::Numbered, " two"),
    ]);
    let merged = merge_with_previous(&mut doc, &ids[1]).expect("merge");
    assert_eq!(merged, Some((ids[0].clone(), 3)));
    assert_eq!(texts(&doc), ["One two"]);
    assert_eq!(merge_with_previous(&mut doc, &ids[0]).expect("merge"), None);
}

#[test]
fn deleted_paragraph_is_hidden_but_keeps_its_text_as_a_tombstone() {
    let (mut doc, ids) = doc_with(&[
        (ParagraphKind::Numbered, "Keep"),
        (ParagraphKind::Numbered, "Gone"),
    ]);
    delete(&mut doc, &ids[1]).expect("delete");
    assert_eq!(texts(&doc), ["Keep"]);
    assert!(matches!(
        text_obj(&doc, &ids[1]),
        Err(ModelError::UnknownParagraph(_))
    ));
    validate(&doc).expect("a tombstone is valid");
}

#[test]
fn moving_changes_only_the_order() {
    let (mut doc, ids) = doc_with(&[
        (ParagraphKind::Numbered, "a"),
        (ParagraphKind::Numbered, "b"),
        (ParagraphKind::Numbered, "c"),
    ]);
    assert!(move_paragraph(&mut doc, &ids[2], Direction::Up).expect("move"));
    assert_eq!(texts(&doc), ["a", "c", "b"]);
    assert!(move_paragraph(&mut doc, &ids[0], Direction::Down).expect("move"));
    assert_eq!(texts(&doc), ["c", "a", "b"]);
    assert!(!move_paragraph(&mut doc, &ids[2], Direction::Up).expect("move"));
    assert!(!move_paragraph(&mut doc, &ids[1], Direction::Down).expect("move"));
}

#[test]
fn changing_kind_renumbers_the_rest() {
    let (mut doc, ids) = doc_with(&[
        (ParagraphKind::Numbered, "a"),
        (ParagraphKind::Numbered, "b"),
        (ParagraphKind::Numbered, "c"),
    ]);
    set_kind(&mut doc, &ids[1], ParagraphKind::Sub).expect("kind");
    let numbers: Vec<_> = read(&doc)
        .expect("outline")
        .paragraphs
        .into_iter()
        .map(|p| p.number)
        .collect();
    assert_eq!(
        numbers,
        [Some("1".into()), Some("1(a)".into()), Some("2".into())]
    );
}

#[test]
fn concurrent_typing_in_one_paragraph_keeps_both_insertions() {
    let (mut a, ids) = doc_with(&[(ParagraphKind::Numbered, "The Forum should act.")]);
    let mut b = a.fork();
    splice(&mut a, &ids[0], 4, 0, "whole ").expect("a types");
    splice(&mut b, &ids[0], 20, 0, " now").expect("b types");
    a.merge(&mut b).expect("merge");
    b.merge(&mut a).expect("merge");
    assert_eq!(texts(&a), ["The whole Forum should act now."]);
    assert_eq!(texts(&a), texts(&b));
}

#[test]
fn moving_a_paragraph_does_not_lose_concurrent_typing_in_it() {
    let (mut a, ids) = doc_with(&[
        (ParagraphKind::Numbered, "first"),
        (ParagraphKind::Numbered, "second"),
    ]);
    let mut b = a.fork();
    move_paragraph(&mut a, &ids[1], Direction::Up).expect("move");
    splice(&mut b, &ids[1], 6, 0, " edited").expect("type");
    a.merge(&mut b).expect("merge");
    assert_eq!(texts(&a), ["second edited", "first"]);
}

#[test]
fn typing_into_a_concurrently_deleted_paragraph_is_kept_in_its_tombstone() {
    let (mut a, ids) = doc_with(&[(ParagraphKind::Numbered, "doomed")]);
    let mut b = a.fork();
    delete(&mut a, &ids[0]).expect("delete");
    splice(&mut b, &ids[0], 6, 0, " but edited").expect("type");
    a.merge(&mut b).expect("merge");
    let map = paragraphs_map(&a).expect("map");
    let entry = read_entry(&a, &map, &ids[0]).expect("entry");
    assert!(entry.deleted);
    assert_eq!(a.text(&entry.text_obj).expect("text"), "doomed but edited");
}

#[test]
fn a_javascript_client_writing_strings_as_text_is_understood() {
    let (mut doc, ids) = doc_with(&[(ParagraphKind::Numbered, "x")]);
    let map = paragraphs_map(&doc).expect("map");
    let (_, obj) = doc
        .get(&map, ids[0].as_str())
        .expect("get")
        .expect("present");
    let kind = doc.put_object(&obj, "kind", ObjType::Text).expect("put");
    doc.splice_text(&kind, 0, 0, "heading").expect("splice");
    validate(&doc).expect("valid");
    assert_eq!(
        read(&doc).expect("outline").paragraphs[0].kind,
        ParagraphKind::Heading
    );
}

#[test]
fn schema_violations_are_named() {
    let (doc, ids) = doc_with(&[(ParagraphKind::Numbered, "x")]);
    let map = paragraphs_map(&doc).expect("map");
    let (_, obj) = doc
        .get(&map, ids[0].as_str())
        .expect("get")
        .expect("present");

    let mut bad = doc.clone();
    bad.put(ROOT, "evil", 1).expect("put");
    assert_eq!(
        validate(&bad),
        Err(SchemaError::UnknownRootKey("evil".into()))
    );

    let mut bad = doc.clone();
    bad.put(&obj, "kind", "banner").expect("put");
    assert_eq!(
        validate(&bad),
        Err(SchemaError::BadField {
            id: ids[0].clone(),
            field: "kind"
        })
    );

    let mut bad = doc.clone();
    bad.put(&obj, "order", "zz0").expect("put");
    assert!(matches!(
        validate(&bad),
        Err(SchemaError::BadField { field: "order", .. })
    ));

    let mut bad = doc.clone();
    let text = text_obj(&bad, &ids[0]).expect("text");
    bad.splice_text(&text, 0, 0, &"x".repeat(limits::MAX_PARAGRAPH_LEN))
        .expect("splice");
    assert!(matches!(
        validate(&bad),
        Err(SchemaError::ParagraphTooLong { .. })
    ));

    let mut bad = doc.clone();
    bad.put(ROOT, "paragraphs", "not a map").expect("put");
    assert_eq!(
        validate(&bad),
        Err(SchemaError::WrongRootType("paragraphs"))
    );

    let mut bad = doc.clone();
    bad.put(ROOT, "schema", 2).expect("put");
    assert_eq!(validate(&bad), Err(SchemaError::Version(2)));
}

#[test]
fn utf16_diff_counts_code_units_and_never_splits_an_emoji() {
    assert_eq!(utf16_diff("abc", "abXc"), (2, 0, "X".into()));
    assert_eq!(utf16_diff("a😀b", "a😁b"), (1, 2, "😁".into()));
    assert_eq!(utf16_diff("same", "same"), (4, 0, String::new()));
    assert_eq!(utf16_diff("aaa", "aa"), (2, 1, String::new()));
}

#[test]
fn set_text_writes_only_the_difference() {
    let (mut a, ids) = doc_with(&[(ParagraphKind::Numbered, "one two three")]);
    let mut b = a.fork();
    set_text(&mut a, &ids[0], "one 2 three").expect("set");
    splice(&mut b, &ids[0], 13, 0, "!").expect("type");
    a.merge(&mut b).expect("merge");
    assert_eq!(texts(&a), ["one 2 three!"]);
}

#[derive(Debug, Clone)]
enum Op {
    Type {
        para: usize,
        at: usize,
        text: String,
    },
    Erase {
        para: usize,
        at: usize,
        len: usize,
    },
    Split {
        para: usize,
        at: usize,
    },
    Merge {
        para: usize,
    },
    Delete {
        para: usize,
    },
    Move {
        para: usize,
        up: bool,
    },
    Kind {
        para: usize,
        kind: usize,
    },
    Insert {
        para: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..8, 0usize..40, "[a-zé😀 ]{1,4}").prop_map(|(para, at, text)| Op::Type { para, at, text }),
        2 => (0usize..8, 0usize..40, 1usize..5).prop_map(|(para, at, len)| Op::Erase { para, at, len }),
        1 => (0usize..8, 0usize..40).prop_map(|(para, at)| Op::Split { para, at }),
        1 => (0usize..8).prop_map(|para| Op::Merge { para }),
        1 => (0usize..8).prop_map(|para| Op::Delete { para }),
        1 => (0usize..8, any::<bool>()).prop_map(|(para, up)| Op::Move { para, up }),
        1 => (0usize..8, 0usize..4).prop_map(|(para, kind)| Op::Kind { para, kind }),
        1 => (0usize..8).prop_map(|para| Op::Insert { para }),
    ]
}

fn apply(doc: &mut AutoCommit, op: &Op) {
    let outline = read(doc).expect("outline");
    if outline.paragraphs.is_empty() {
        insert_after(doc, None, ParagraphKind::Numbered, "restart").expect("insert");
        // Left open, the transaction would be committed separately by each clone of this
        // replica: two different changes with one sequence number.
        doc.commit();
        return;
    }
    let pick = |i: usize| &outline.paragraphs[i % outline.paragraphs.len()];
    // Positions are clamped to the text and kept off the middle of a surrogate pair.
    let clamp = |p: &Paragraph, at: usize| {
        let units: Vec<u16> = p.text.encode_utf16().collect();
        let mut at = at.min(units.len());
        while at > 0 && at < units.len() && (0xDC00..0xE000).contains(&units[at]) {
            at -= 1;
        }
        at
    };
    match op {
        Op::Type { para, at, text } => {
            let p = pick(*para);
            splice(doc, &p.id, clamp(p, *at), 0, text).expect("type");
        }
        Op::Erase { para, at, len } => {
            let p = pick(*para);
            let at = clamp(p, *at);
            let end = clamp(p, at + len);
            splice(doc, &p.id, at, end - at, "").expect("erase");
        }
        Op::Split { para, at } => {
            let p = pick(*para);
            split(doc, &p.id, clamp(p, *at)).expect("split");
        }
        Op::Merge { para } => {
            merge_with_previous(doc, &pick(*para).id).expect("merge");
        }
        Op::Delete { para } => delete(doc, &pick(*para).id).expect("delete"),
        Op::Move { para, up } => {
            let dir = if *up { Direction::Up } else { Direction::Down };
            move_paragraph(doc, &pick(*para).id, dir).expect("move");
        }
        Op::Kind { para, kind } => {
            set_kind(doc, &pick(*para).id, ParagraphKind::ALL[*kind]).expect("kind")
        }
        Op::Insert { para } => {
            insert_after(doc, Some(&pick(*para).id), ParagraphKind::Plain, "new").expect("insert");
        }
    }
    doc.commit();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Three replicas edit concurrently in rounds and exchange their changes in a random order;
    /// after everyone has everything, all read the same outline and the document is still valid.
    #[test]
    fn replicas_editing_concurrently_converge(
        rounds in proptest::collection::vec(
            (proptest::collection::vec((0usize..3, op()), 1..8), proptest::collection::vec((0usize..3, 0usize..3), 0..4)),
            1..5,
        )
    ) {
        let (base, _) = doc_with(&[
            (ParagraphKind::Heading, "Scope"),
            (ParagraphKind::Numbered, "First paragraph."),
            (ParagraphKind::Numbered, "Second 😀 paragraph."),
        ]);
        let mut replicas = [base.clone(), base.clone(), base];
        for (i, r) in replicas.iter_mut().enumerate() {
            r.set_actor(automerge::ActorId::from(vec![i as u8 + 1; 16]));
        }
        for (ops, exchanges) in rounds {
            for (who, op) in &ops {
                apply(&mut replicas[*who], op);
            }
            for (from, to) in exchanges {
                if from != to {
                    let mut src = replicas[from].clone();
                    replicas[to].merge(&mut src).expect("merge");
                }
            }
        }
        let mut all = replicas[0].clone();
        for r in replicas.iter_mut().skip(1) {
            all.merge(r).expect("merge");
        }
        for r in replicas.iter_mut() {
            r.merge(&mut all.clone()).expect("merge");
        }
        let first = read(&replicas[0]).expect("outline");
        for r in &replicas[1..] {
            prop_assert_eq!(&read(r).expect("outline"), &first);
        }
        validate(&replicas[0]).expect("still valid");
    }
}

#[test]
fn people_read_paragraph_numbers_and_headings_not_ids() {
    let p = |id: &str, kind, number: Option<&str>, text: &str| Paragraph {
        id: id.into(),
        kind,
        number: number.map(str::to_string),
        text: text.into(),
    };
    let o = Outline {
        title: "T".into(),
        paragraphs: vec![
            p("h", ParagraphKind::Heading, None, "I. Background"),
            p("a", ParagraphKind::Sub, Some("8(a)"), "Words."),
            p("x", ParagraphKind::Plain, None, &"long ".repeat(20)),
        ],
    };
    assert_eq!(o.called("a"), "paragraph 8(a)");
    assert_eq!(o.called("h"), "the heading “I. Background”");
    assert!(o.called("x").ends_with("long…”"), "{}", o.called("x"));
    assert_eq!(o.called("gone"), "a deleted paragraph (gone)");
}

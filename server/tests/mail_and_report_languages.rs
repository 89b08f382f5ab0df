//! What Accord writes beyond its pages, in its reader's language: a notice is mailed (and put in
//! the feed) in the language its recipient chose, whoever caused it; a registration is
//! confirmed in the language of the page or request that registered; a consultation report and
//! a version's exports speak their document's language. Mail is read as a mail program would,
//! its encoded subject and body decoded.

mod common;

use std::path::Path;

use axum::{
    body::Body,
    http::{Method, Request, StatusCode},
};
use base64::Engine;
use common::{consultation::consultation, Fixture};
use serde_json::{json, Value};
use tower::ServiceExt;

/// A mail as its reader sees it.
#[derive(Debug)]
struct Mail {
    subject: String,
    body: String,
}

/// The mails to `login` in `dir`'s mail folder, oldest first, decoded.
async fn mails_to(dir: &Path, login: &str, n: usize) -> Vec<Mail> {
    common::raw_mail_to(dir, login, n)
        .await
        .iter()
        .map(|t| decode(t))
        .collect()
}

/// A message's subject (RFC 2047 words decoded) and body (its transfer encoding undone).
fn decode(message: &str) -> Mail {
    let (head, body) = message.split_once("\r\n\r\n").expect("a head and a body");
    let head = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    let field = |name: &str| {
        head.split("\r\n")
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
            .unwrap_or_default()
            .to_string()
    };
    let bytes = match field("Content-Transfer-Encoding")
        .to_ascii_lowercase()
        .as_str()
    {
        "base64" => base64::engine::general_purpose::STANDARD
            .decode(body.replace("\r\n", ""))
            .expect("base64"),
        "quoted-printable" => unquote(&body.replace("=\r\n", ""), false),
        _ => body.as_bytes().to_vec(),
    };
    Mail {
        subject: words(&field("Subject")),
        body: String::from_utf8(bytes)
            .expect("utf-8")
            .replace("\r\n", "\n"),
    }
}

/// Quoted-printable (or, for `q_words`, an RFC 2047 Q word) to bytes.
fn unquote(text: &str, q_words: bool) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'=' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
                out.push(u8::from_str_radix(hex, 16).expect("an escaped byte"));
                i += 3;
            }
            b'_' if q_words => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// A header's value with its encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) decoded; the
/// space between two encoded words is not part of the text.
fn words(value: &str) -> String {
    let mut out = Vec::new();
    let mut rest = value;
    let mut after_word = false;
    while !rest.is_empty() {
        if let Some(word) = rest.strip_prefix("=?") {
            let mut parts = word.splitn(3, '?');
            let (_charset, encoding) = (parts.next(), parts.next().unwrap_or_default());
            let (text, after) = parts
                .next()
                .and_then(|t| t.split_once("?="))
                .expect("an encoded word ends");
            match encoding.to_ascii_lowercase().as_str() {
                "b" => out.extend(
                    base64::engine::general_purpose::STANDARD
                        .decode(text)
                        .expect("base64"),
                ),
                _ => out.extend(unquote(text, true)),
            }
            rest = after;
            after_word = true;
            continue;
        }
        let trimmed = rest.trim_start();
        if after_word && trimmed.len() < rest.len() && trimmed.starts_with("=?") {
            rest = trimmed;
            continue;
        }
        let c = rest.chars().next().expect("a character");
        out.extend(c.to_string().bytes());
        rest = &rest[c.len_utf8()..];
        after_word = false;
    }
    String::from_utf8(out).expect("utf-8")
}

fn arabic(text: &str) -> bool {
    text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

#[test]
fn the_mail_reader_decodes_what_lettre_encodes() {
    assert_eq!(
        words("=?utf-8?b?w6k=?= =?utf-8?q?t=C3=A9_x?= plain"),
        "été x plain"
    );
    assert_eq!(unquote("a=3Db=C3=A9", false), "a=bé".as_bytes());
}

#[tokio::test]
async fn a_notice_is_mailed_in_the_recipients_language_not_the_doers() {
    let fx = Fixture::start().await;
    let app = accord_server::router(fx.server.state.clone());
    let dir = fx.dir.path();
    let participant = common::session(&app, "participant@example.org").await;
    let drafter = common::session(&app, "drafter@example.org").await;
    let (status, me) = common::call_json(
        &app,
        Method::PATCH,
        "/api/v1/me",
        Some(&participant),
        Some(json!({ "language": "fr" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    let detail = fx.server.detail(&fx.doc).await;
    let numbered = |n: &str| {
        detail
            .paragraphs
            .iter()
            .find(|p| p.number.as_deref() == Some(n))
            .map(|p| p.id.clone())
            .expect("a numbered paragraph")
    };
    let comment = |cookie: String, paragraph: String, body: Value| {
        let app = app.clone();
        let path = format!(
            "/api/v1/documents/{}/paragraphs/{paragraph}/comments",
            fx.doc
        );
        async move {
            let (status, answer) =
                common::call_json(&app, Method::POST, &path, Some(&cookie), Some(body)).await;
            assert!(status.is_success(), "{status} {answer}");
            answer["id"].as_i64().expect("id")
        }
    };

    // The drafter (no language chosen) answers the French-speaking participant: French mail.
    let asked = comment(
        participant.clone(),
        numbered("2"),
        json!({ "body": "Une question." }),
    )
    .await;
    comment(
        drafter.clone(),
        numbered("2"),
        json!({ "body": "An answer.", "parent": asked }),
    )
    .await;
    let mail = mails_to(dir, "participant@example.org", 1)
        .await
        .pop()
        .expect("a mail");
    assert!(
        mail.subject
            .starts_with("Diego Drafter a répondu à votre commentaire (paragraphe 2,"),
        "{mail:?}"
    );
    assert!(mail.subject.contains(detail.title.trim()), "{mail:?}");
    assert!(
        mail.body.starts_with("Bonjour Priya Participant,\n\n"),
        "{mail:?}"
    );
    assert!(
        mail.body
            .contains(&format!("{}.\n\nPour la consulter", mail.subject)),
        "{mail:?}"
    );
    assert!(mail.body.contains("Pour ne plus les recevoir"), "{mail:?}");
    assert!(
        !mail.body.contains("Hello") && !mail.body.contains("See it here"),
        "{mail:?}"
    );

    // The same key names a feed in French.
    let start = mail
        .body
        .find("/unsubscribe?key=")
        .expect("an unsubscribe link")
        + 17;
    let key: String = mail.body[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    let (status, _, atom) = common::call_raw(&app, &format!("/feeds/{key}.atom"), None).await;
    assert_eq!(status, StatusCode::OK);
    let atom = String::from_utf8(atom).expect("utf-8");
    assert!(atom.contains("Vos notifications Accord"), "{atom}");
    assert!(
        atom.contains("Diego Drafter a répondu à votre commentaire"),
        "{atom}"
    );

    // The French-speaking participant answers the drafter, who chose no language: English mail.
    let asked = comment(
        drafter.clone(),
        numbered("3"),
        json!({ "body": "A question." }),
    )
    .await;
    comment(
        participant.clone(),
        numbered("3"),
        json!({ "body": "Une réponse.", "parent": asked }),
    )
    .await;
    let mail = mails_to(dir, "drafter@example.org", 1)
        .await
        .pop()
        .expect("a mail");
    assert!(
        mail.subject
            .starts_with("Priya Participant replied to your comment on paragraph 3 of “"),
        "{mail:?}"
    );
    assert!(
        mail.body.starts_with("Hello Diego Drafter,\n\n"),
        "{mail:?}"
    );
    assert!(mail.body.contains("\n\nSee it here:\n\n"), "{mail:?}");
}

#[tokio::test]
async fn registering_is_confirmed_in_the_language_of_the_page_or_request_that_registered() {
    let fx = Fixture::start().await;
    let app = accord_server::router(fx.server.state.clone());
    let dir = fx.dir.path();
    let register = |path: &'static str, accept: &'static str, body: Value| {
        let app = app.clone();
        async move {
            let req = Request::post(path)
                .header("content-type", "application/json")
                .header("accept-language", accept)
                .body(Body::from(body.to_string()))
                .expect("request");
            let resp = app.oneshot(req).await.expect("response");
            assert_eq!(resp.status(), StatusCode::ACCEPTED);
        }
    };

    // Through the API, in Spanish (the browser's language).
    register(
        "/api/v1/auth/register",
        "es-419, es;q=0.9",
        json!({
            "login": "nueva@example.org", "password": accord_core::seed::DEMO_PASSWORD,
            "display_name": "Nueva Persona", "stakeholder_group": "academia", "region": "african"
        }),
    )
    .await;
    let mail = mails_to(dir, "nueva@example.org", 1)
        .await
        .pop()
        .expect("a mail");
    assert_eq!(
        mail.subject,
        "Confirme su dirección de correo electrónico para Accord"
    );
    assert!(
        mail.body.starts_with("Hola, Nueva Persona:\n\n"),
        "{mail:?}"
    );
    assert!(mail.body.contains("/confirm/"), "{mail:?}");

    // An address with an account already is told so in Arabic (asked for in the address),
    // whatever the browser says.
    register(
        "/api/v1/auth/register?lang=ar",
        "en",
        json!({
            "login": "participant@example.org", "password": accord_core::seed::DEMO_PASSWORD,
            "display_name": "Someone", "stakeholder_group": "academia", "region": "african"
        }),
    )
    .await;
    let mail = mails_to(dir, "participant@example.org", 1)
        .await
        .pop()
        .expect("a mail");
    assert!(arabic(&mail.subject), "{mail:?}");
    assert!(mail.body.contains("http://accord.test/login"), "{mail:?}");

    // Through the registration page's form, read in French (the language cookie).
    let form = [
        ("login", "francoise@example.org"),
        ("password", accord_core::seed::DEMO_PASSWORD),
        ("display_name", "Françoise"),
        ("affiliation", ""),
        ("stakeholder_group", "civil-society"),
        ("region", "western-european-other"),
        ("gender", ""),
        ("age_band", ""),
        ("next", ""),
    ];
    let body: String = url_encoded(&form);
    let mut req = Request::post("/_fn/register")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("request");
    common::same_site(&mut req, "accord-lang=fr");
    let resp = app.clone().oneshot(req).await.expect("response");
    assert!(
        resp.status().is_success() || resp.status().is_redirection(),
        "{}",
        resp.status()
    );
    let mail = mails_to(dir, "francoise@example.org", 1)
        .await
        .pop()
        .expect("a mail");
    assert_eq!(
        mail.subject,
        "Confirmez votre adresse électronique pour Accord"
    );
    assert!(mail.body.starts_with("Bonjour Françoise,\n\n"), "{mail:?}");
}

fn url_encoded(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            let v: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test]
async fn an_arabic_documents_report_and_exports_speak_arabic() {
    let c = consultation().await;
    let (chair, participant) = (c.chair.clone(), c.participant.clone());
    c.ok(Method::POST, "/endorsements", &participant, json!({}))
        .await;
    let (status, body) = c
        .call(
            Method::PUT,
            "/language",
            &chair,
            json!({ "language": "ar" }),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    // The report, as an independent reader finds it in DOCX.
    let (status, _, docx) = common::call_raw(&c.app, &c.path("/report?format=docx"), None).await;
    assert_eq!(status, StatusCode::OK);
    let read = common::read_export("docx", &docx);
    let title = format!("تقرير المشاورة: {}", c.detail.title.trim());
    assert_eq!(common::styled(&read, "Title"), vec![title.as_str()]);
    assert_eq!(
        common::styled(&read, "Heading 2"),
        vec![
            "المشاركة",
            "فقرةً فقرة",
            "التعديلات",
            "الإصدارات",
            "سجل القرارات",
            "أقرّ النص"
        ]
    );
    let texts: Vec<&str> = read.iter().filter_map(|b| b["text"].as_str()).collect();
    assert!(
        texts.iter().any(|t| t.contains("أُعدّ في")),
        "drawn up: {texts:?}"
    );
    let items: Vec<&str> = read
        .iter()
        .filter(|b| b["list"] == true)
        .filter_map(|b| b["text"].as_str())
        .collect();
    let comment = items
        .iter()
        .find(|i| i.contains("Name the <b>bodies</b> & their mandates."))
        .expect("the comment, as written");
    assert!(
        comment.starts_with("تعليق من ") && comment.contains("مقبول جزئيًا من قِبل"),
        "{comment}"
    );
    assert!(
        items
            .iter()
            .any(|i| i.starts_with("اعتراض من ") && i.ends_with("لم يُرَدّ عليه بعد")),
        "{items:?}"
    );
    let tables: Vec<Vec<Vec<String>>> = read
        .iter()
        .filter_map(|b| serde_json::from_value(b["table"].clone()).ok())
        .collect();
    assert_eq!(
        tables[0][0],
        ["مجموعة أصحاب المصلحة", "المشاركون", "التعليقات", "المواقف"]
    );
    assert!(
        tables
            .iter()
            .any(|t| t[0] == ["الرقم", "التاريخ", "القائم بالإجراء", "الإجراء", "السبب"]),
        "the decision record: {tables:?}"
    );
    // Nothing of the English small print is left.
    for english in [
        "Consultation report",
        "Participation",
        "Endorsed by",
        "Comment by",
    ] {
        assert!(
            !texts.iter().any(|t| t.contains(english)),
            "{english}: {texts:?}"
        );
    }

    // The version's exports carry the same small print in Arabic.
    let export = |format: &'static str| {
        let app = c.app.clone();
        let path = c.path(&format!("/export?format={format}&version=final"));
        async move {
            let (status, _, bytes) = common::call_raw(&app, &path, None).await;
            assert_eq!(status, StatusCode::OK, "{format}");
            String::from_utf8(bytes).expect("utf-8")
        }
    };
    let markdown = export("markdown").await;
    assert!(markdown.contains("\n## أقرّ النص\n\n- "), "{markdown}");
    let text = export("text").await;
    assert!(
        text.contains("الإصدار final") && text.contains("أقرّ النص"),
        "{text}"
    );
    assert!(!text.contains("Version final") && !text.contains("Endorsed by"));
}

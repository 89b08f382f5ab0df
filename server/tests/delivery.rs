//! How pages and static files reach a browser: someone not signed in gets the page without the
//! app (and the reader's script that keeps it current); the built files are served as built,
//! brotli or gzip made at build time, cached for good when their names carry their hash.

mod common;

use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn get(app: &axum::Router, path: &str, encodings: &str) -> axum::response::Response {
    let req = Request::get(path)
        .header(header::ACCEPT_ENCODING, encodings)
        .body(axum::body::Body::empty())
        .expect("request");
    app.clone().oneshot(req).await.expect("response")
}

async fn body(resp: axum::response::Response) -> Vec<u8> {
    resp.into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec()
}

#[tokio::test]
async fn built_files_are_sent_precompressed_and_kept_for_a_year() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pkg = dir.path().join("site").join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg");
    let name = "accord.Xy3_abc-0123456789.wasm";
    std::fs::write(pkg.join(name), b"plain bytes").expect("write");
    std::fs::write(pkg.join(format!("{name}.br")), b"brotli bytes").expect("write");
    std::fs::write(pkg.join(format!("{name}.gz")), b"gzip bytes").expect("write");
    let mut state = common::state_in(dir.path()).await;
    state.leptos.site_root = dir.path().join("site").to_string_lossy().into();
    state.leptos.hash_files = true;
    let app = accord_server::router(state);
    let path = format!("/pkg/{name}");

    for (asked, encoding, bytes) in [
        ("gzip, deflate, br, zstd", Some("br"), &b"brotli bytes"[..]),
        ("gzip", Some("gzip"), b"gzip bytes"),
        ("identity", None, b"plain bytes"),
    ] {
        let resp = get(&app, &path, asked).await;
        assert_eq!(resp.status(), StatusCode::OK, "{asked}");
        let h = resp.headers().clone();
        assert_eq!(
            h.get(header::CONTENT_ENCODING)
                .and_then(|v| v.to_str().ok()),
            encoding,
            "{asked}"
        );
        assert_eq!(
            h.get(header::CACHE_CONTROL).expect("cache-control"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(h.get(header::VARY).expect("vary"), "accept-encoding");
        assert_eq!(body(resp).await, bytes, "{asked}: the file as built");
    }
    // A name that is not there is not remembered: the next deployment may bring it.
    let missing = get(&app, "/pkg/accord.other.wasm", "br").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.headers().get(header::CACHE_CONTROL).is_none());
}

#[tokio::test]
async fn only_the_signed_in_are_sent_the_app() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = common::state_in(dir.path()).await;
    let app = accord_server::router(state);
    let (_, docs) = common::call_json(
        &app,
        axum::http::Method::GET,
        "/api/v1/documents",
        None,
        None,
    )
    .await;
    let id = docs[0]["id"].as_str().expect("a document").to_string();
    let path = format!("/documents/{id}");

    let (status, _, page) = common::call_raw(&app, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(page).expect("utf-8");
    assert!(!page.contains("modulepreload"), "no app for a reader");
    assert!(!page.contains(".wasm"), "no app for a reader");
    assert!(page.contains(r#"<script type="module" src="/pkg/reader.js">"#));
    assert!(page.contains(r#"href="/pkg/accord.css""#));

    let cookie = common::session(&app, "participant@example.org").await;
    let (status, _, page) = common::call_raw(&app, &path, Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(page).expect("utf-8");
    assert!(page.contains("modulepreload"), "the app for the signed-in");
    assert!(!page.contains("reader.js"));
    assert!(page.contains("Loading live updates…"));

    // Until the app runs, a drafter is told that the editor is on its way.
    let cookie = common::session(&app, "drafter@example.org").await;
    let (_, _, page) = common::call_raw(&app, &path, Some(&cookie)).await;
    assert!(String::from_utf8_lossy(&page).contains("Loading the editor…"));
}

//! The crate boundaries ARCHITECTURE.md states, held by the dependency graph itself: each crate
//! is asked of `cargo tree` (the lock file's graph, no network) for everything it pulls in, with
//! the features each build really uses.

use std::process::Command;

/// Every package `cargo tree` lists for `args` (normal dependencies only, names without versions).
fn packages(args: &[&str]) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["tree", "--offline", "-e", "normal", "--prefix", "none"])
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

fn forbidden<'a>(found: &'a [String], prefixes: &[&str]) -> Vec<&'a String> {
    found
        .iter()
        .filter(|p| {
            prefixes.iter().any(|f| {
                p.as_str() == *f
                    || p.starts_with(&format!("{f}_"))
                    || p.starts_with(&format!("{f}-"))
            })
        })
        .collect()
}

#[test]
fn domain_knows_no_framework_database_or_runtime() {
    for features in [&[][..], &["--features", "openapi"][..]] {
        let found = packages(&[&["-p", "accord-domain"][..], features].concat());
        let bad = forbidden(
            &found,
            &[
                "leptos",
                "axum",
                "sqlx",
                "tokio",
                "hyper",
                "tower",
                "accord-core",
                "accord-app",
            ],
        );
        assert!(bad.is_empty(), "domain ({features:?}) pulls in {bad:?}");
        assert!(
            found.iter().any(|p| p == "automerge"),
            "the listing is real"
        );
    }
}

#[test]
fn core_knows_no_web_framework_or_pages() {
    let found = packages(&["-p", "accord-core"]);
    let bad = forbidden(
        &found,
        &["leptos", "axum", "accord-app", "accord-server", "tower"],
    );
    assert!(bad.is_empty(), "core pulls in {bad:?}");
    assert!(found.iter().any(|p| p == "sqlx"), "the listing is real");
}

#[test]
fn the_browser_build_of_the_app_carries_no_core_database_or_runtime() {
    let found = packages(&[
        "-p",
        "accord-app",
        "--no-default-features",
        "--features",
        "hydrate",
        "--target",
        "wasm32-unknown-unknown",
    ]);
    let bad = forbidden(
        &found,
        &["accord-core", "sqlx", "tokio", "axum", "argon2", "docx-rs"],
    );
    assert!(bad.is_empty(), "the browser build pulls in {bad:?}");
    assert!(
        found.iter().any(|p| p == "accord-domain"),
        "the browser build uses the domain"
    );
}

#[test]
fn only_the_server_build_of_the_app_reaches_core() {
    let found = packages(&[
        "-p",
        "accord-app",
        "--no-default-features",
        "--features",
        "ssr",
    ]);
    assert!(
        found.iter().any(|p| p == "accord-core"),
        "the server build of the app calls core"
    );
    let bad = forbidden(&found, &["accord-server"]);
    assert!(bad.is_empty(), "the app pulls in {bad:?}");
}

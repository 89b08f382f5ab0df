//! The crate boundaries ARCHITECTURE.md states, held by the dependency graph itself: each crate
//! is asked of `cargo tree` (the lock file's graph, no network) for everything it pulls in, with
//! the features each build really uses. Inside core, where storage ends is held by its sources:
//! SQL only in `core/src/store/`, and the store importing none of the rules.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

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
    // The message catalogue (accord-i18n, built on leptos_i18n and so on Leptos' reactive core)
    // is the one piece of the pages' world core may read: mails and reports speak the
    // recipient's language. No server integration, router, page or HTTP stack comes with it.
    let bad = forbidden(
        &found,
        &[
            "axum",
            "accord-app",
            "accord-server",
            "tower",
            "leptos_axum",
            "leptos_router",
            "hyper",
        ],
    );
    assert!(bad.is_empty(), "core pulls in {bad:?}");
    assert!(found.iter().any(|p| p == "sqlx"), "the listing is real");
    // Its sources name Leptos nowhere: only the catalogue's macros expand to it.
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../core/src"));
    let named: Vec<String> = sources(root, root)
        .into_iter()
        .filter(|(_, text)| code(text).any(|l| l.contains("leptos::") || l.contains("use leptos")))
        .map(|(name, _)| name)
        .collect();
    assert!(named.is_empty(), "core names Leptos in {named:?}");
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

/// Every `.rs` file under `dir`, with its path relative to `root`.
fn sources(root: &Path, dir: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a source folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            found.extend(sources(root, &path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let name = path.strip_prefix(root).expect("under the root");
            let text = std::fs::read_to_string(&path).expect("a source file");
            found.push((name.to_string_lossy().replace('\\', "/"), text));
        }
    }
    found
}

/// A file's lines of code: comments (`//`, `//!`, `///`) left out, so that prose may name
/// what the code may not use.
fn code(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim_start().starts_with("//"))
}

#[test]
fn only_the_store_holds_sql_and_it_imports_no_rules() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../core/src"));
    let files = sources(root, root);
    let mut outside = Vec::new();
    let mut queries_in_store = 0;
    for (name, text) in &files {
        let queries = code(text)
            .filter(|l| {
                l.contains("sqlx::query") || (l.contains("use sqlx") && l.contains("query"))
            })
            .count();
        match name.strip_prefix("store/") {
            Some(file) => {
                queries_in_store += queries;
                // Each table family's file reads or writes its tables; its tests use the store.
                if file != "tests.rs" {
                    assert!(
                        queries > 0,
                        "store/{file} holds no query: is the walk real?"
                    );
                }
                for line in code(text) {
                    for (i, _) in line.match_indices("crate::") {
                        assert!(
                            line[i..].starts_with("crate::store::"),
                            "store/{file} reaches outside the store (use super:: or domain): {line}"
                        );
                    }
                }
            }
            None if queries > 0 => outside.push(name.as_str()),
            None => {}
        }
    }
    assert!(
        outside.is_empty(),
        "SQL outside core/src/store/ (move it into the store): {outside:?}"
    );
    assert!(
        queries_in_store > 50,
        "the store's queries are found ({queries_in_store})"
    );
    assert!(
        files.iter().any(|(n, _)| n == "store/mod.rs") && files.iter().any(|(n, _)| n == "lib.rs"),
        "the walk reads core's sources"
    );
}

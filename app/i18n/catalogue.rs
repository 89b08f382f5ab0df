//! The catalogue's completeness check, shared by `build.rs` (which fails the build on any
//! problem) and the crate's tests.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
};

pub const DEFAULT: &str = "en";
pub const OTHERS: [&str; 5] = ["ar", "es", "fr", "ru", "zh"];
pub const NAMESPACES: [&str; 16] = [
    "account",
    "amendments",
    "common",
    "consensus",
    "document",
    "feedback",
    "groups",
    "mail",
    "notices",
    "outputs",
    "phase",
    "profile",
    "refusals",
    "report",
    "session",
    "versions",
];
/// Plural categories a message may be split into (`key_one`, `key_few`, …).
const PLURALS: [&str; 6] = ["_zero", "_one", "_two", "_few", "_many", "_other"];

/// What is wrong with the catalogue under `locales`: each message English has that another
/// language lacks, each one another language has that English does not, and each placeholder
/// that differs. Empty when every language is complete.
pub fn problems(locales: &Path, others: &[&str], namespaces: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for ns in namespaces {
        let english = match messages(&locales.join(DEFAULT).join(format!("{ns}.json"))) {
            Ok(m) => m,
            Err(e) => return vec![e],
        };
        for lang in others {
            let theirs = match messages(&locales.join(lang).join(format!("{ns}.json"))) {
                Ok(m) => m,
                Err(e) => {
                    problems.push(e);
                    continue;
                }
            };
            for (key, wanted) in &english {
                match theirs.get(key) {
                    None => problems.push(format!("{lang}/{ns}: `{key}` is missing")),
                    Some(got) if got != wanted => problems.push(format!(
                        "{lang}/{ns}: `{key}` has placeholders {got:?}, English has {wanted:?}"
                    )),
                    Some(_) => {}
                }
            }
            for key in theirs.keys().filter(|k| !english.contains_key(*k)) {
                problems.push(format!("{lang}/{ns}: `{key}` is not in English"));
            }
        }
    }
    problems
}

/// A file's messages: each key (plural categories folded into one) with the placeholders its
/// texts use, `count` aside (a plural message always has it).
fn messages(path: &Path) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    flatten("", &json, &mut out);
    Ok(out)
}

fn flatten(prefix: &str, v: &serde_json::Value, out: &mut BTreeMap<String, BTreeSet<String>>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let key = match prefix.is_empty() {
                    true => k.clone(),
                    false => format!("{prefix}.{k}"),
                };
                flatten(&key, v, out);
            }
        }
        serde_json::Value::String(s) => {
            let base = PLURALS
                .iter()
                .find_map(|p| prefix.strip_suffix(p))
                .unwrap_or(prefix);
            let names = out.entry(base.to_string()).or_default();
            names.extend(placeholders(s).filter(|n| n != "count"));
        }
        _ => {
            out.entry(prefix.to_string()).or_default();
        }
    }
}

/// The `{{ name }}` placeholders of a message.
fn placeholders(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split("{{").skip(1).filter_map(|rest| {
        rest.split_once("}}")
            .map(|(name, _)| name.trim().to_string())
    })
}

//! Accord's words in Arabic, Chinese (Simplified), English, French, Russian and Spanish: the
//! `i18n` module leptos_i18n generates from `locales/` (see `build.rs`), and choosing the
//! language a request is answered in.
//!
//! In a component: `t!(use_i18n(), common.sign_in)`. Elsewhere (a server function's refusal, a
//! mail): `td_string!(locale, common.sign_in)`.

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

use std::str::FromStr;

pub use i18n::*;
pub use leptos_i18n::{Direction, Locale as _};
pub use leptos_use::UseLocalesOptions;

/// The cookie that keeps the language a reader chose (signed in or not).
pub const COOKIE: &str = "accord-lang";

/// The language to answer in: the one asked for in the address (`?lang=`), else the one kept in
/// the cookie, else the first of `Accept-Language` (by quality) Accord speaks, else English.
pub fn negotiate(query: Option<&str>, cookie: Option<&str>, accept: Option<&str>) -> Locale {
    let exact = |tag: Option<&str>| tag.and_then(|t| Locale::from_str(t.trim()).ok());
    exact(query)
        .or_else(|| exact(cookie))
        .unwrap_or_else(|| Locale::find_locale(&accepted(accept.unwrap_or_default())))
}

/// The tags of an `Accept-Language` header, most wanted first.
fn accepted(header: &str) -> Vec<String> {
    let mut tags: Vec<(f32, usize, String)> = header
        .split(',')
        .take(32)
        .enumerate()
        .filter_map(|(i, part)| {
            let mut bits = part.split(';');
            let tag = bits.next()?.trim();
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (!tag.is_empty() && tag != "*" && q > 0.0).then(|| (q, i, tag.to_string()))
        })
        .collect();
    tags.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    tags.into_iter().map(|(_, _, t)| t).collect()
}

/// The value of [`COOKIE`] in a `Cookie` header, if any.
pub fn from_cookie_header(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value)
}

/// `dir` for the language: `rtl` for Arabic, else `ltr`.
pub fn direction(locale: Locale) -> &'static str {
    match locale.direction() {
        Direction::RightToLeft => "rtl",
        _ => "ltr",
    }
}

#[cfg(test)]
#[path = "../catalogue.rs"]
mod catalogue;

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_catalogue_is_complete_and_a_missing_message_is_found() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let locales = here.join("locales");
        // Every namespace English has, those the build reads and those prepared for the next
        // pages alike.
        let namespaces: Vec<String> = std::fs::read_dir(locales.join("en"))
            .expect("English")
            .filter_map(|e| {
                e.ok()?
                    .file_name()
                    .to_str()?
                    .strip_suffix(".json")
                    .map(str::to_string)
            })
            .collect();
        assert!(catalogue::NAMESPACES
            .iter()
            .all(|n| namespaces.iter().any(|m| m == n)));
        let namespaces: Vec<&str> = namespaces.iter().map(String::as_str).collect();
        assert_eq!(
            catalogue::problems(&locales, &catalogue::OTHERS, &namespaces),
            Vec::<String>::new()
        );
        // A copy of the catalogue with one French message gone, and a placeholder renamed.
        let dir = std::env::temp_dir().join(format!("accord-i18n-{}", std::process::id()));
        for lang in ["en", "fr"] {
            std::fs::create_dir_all(dir.join(lang)).expect("dir");
            std::fs::copy(
                locales.join(lang).join("common.json"),
                dir.join(lang).join("common.json"),
            )
            .expect("copy");
        }
        let path = dir.join("fr").join("common.json");
        let text = std::fs::read_to_string(&path).expect("read");
        let broken = text
            .replace("\"sign_out\":", "\"sign_out_gone\":")
            .replace("{{ count }} non lue", "{{ nombre }} non lue");
        std::fs::write(&path, broken).expect("write");
        let found = catalogue::problems(&dir, &["fr"], &["common"]);
        std::fs::remove_dir_all(&dir).ok();
        assert!(
            found.contains(&"fr/common: `sign_out` is missing".to_string()),
            "{found:?}"
        );
        assert!(
            found.contains(&"fr/common: `sign_out_gone` is not in English".to_string()),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.contains("`notifications_unread` has placeholders")),
            "{found:?}"
        );
    }

    #[test]
    fn the_stylesheet_says_start_and_end_never_left_or_right() {
        let css = include_str!("../../../style/accord.css");
        let physical: Vec<&str> = css
            .lines()
            .filter(|l| {
                l.split(|c: char| !c.is_ascii_alphabetic())
                    .any(|w| w == "left" || w == "right")
            })
            .collect();
        assert!(physical.is_empty(), "{physical:#?}");
    }

    #[test]
    fn the_address_beats_the_cookie_which_beats_the_browser_which_beats_english() {
        assert_eq!(negotiate(Some("ar"), Some("fr"), Some("ru")), Locale::ar);
        assert_eq!(negotiate(Some("xx"), Some("fr"), Some("ru")), Locale::fr);
        assert_eq!(
            negotiate(None, None, Some("ru-RU,ru;q=0.9,en;q=0.5")),
            Locale::ru
        );
        assert_eq!(
            negotiate(None, None, Some("de;q=1.0, es;q=0.3, zh-CN;q=0.8")),
            Locale::zh
        );
        assert_eq!(negotiate(None, Some(""), Some("de, pt-BR")), Locale::en);
        assert_eq!(negotiate(None, None, None), Locale::en);
    }

    #[test]
    fn the_cookie_is_found_among_others_and_arabic_is_right_to_left() {
        assert_eq!(from_cookie_header("a=1; accord-lang=zh; b=2"), Some("zh"));
        assert_eq!(from_cookie_header("accord-language=zh"), None);
        assert_eq!(direction(Locale::ar), "rtl");
        assert_eq!(direction(Locale::zh), "ltr");
    }
}

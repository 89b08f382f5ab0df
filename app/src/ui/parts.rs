//! Small pieces every page uses: error words beside a form, links to a paragraph's thread,
//! times, stance choices and bars, word diffs, excerpts. Pages import these and the shared
//! state (`state`), never each other's helpers.

use accord_i18n::{td_string, use_i18n, Locale};
use domain::api::{Piece, Stance, Tally};
use leptos::prelude::*;

use super::words;

/// The words of a server function's error, without the framework's prefix.
pub fn error_text<T>(r: Option<Result<T, ServerFnError>>) -> Option<String> {
    r.and_then(|r| r.err()).map(|e| {
        e.to_string()
            .trim_start_matches("error running server function: ")
            .to_string()
    })
}

/// Words to put inside a `<textarea>`. The server renders a textarea's content as it is (the
/// view layer treats it as raw text), so there the words are escaped here, or a text holding
/// `</textarea>` would end the field and inject markup into the page; in the browser they go
/// into a text node, which needs no escaping.
pub fn textarea_text(words: String) -> String {
    #[cfg(feature = "ssr")]
    {
        html_escape::encode_text(&words).into_owned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        words
    }
}

/// What the person typed into field `name` of a form posting to `S` that the server refused,
/// when the page comes back without JavaScript (see `accord_core::kept`); `which` names the
/// hidden fields that tell this form from others posting to `S` on the page. `None` in the
/// browser, where a refused form keeps its words by itself.
pub fn kept<S: leptos::server_fn::ServerFn>(which: &[(&str, &str)], name: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let core = use_context::<accord_core::Accord>()?;
        let parts = use_context::<http::request::Parts>()?;
        core.kept
            .field(&parts, core.auth.now(), S::PATH, which, name)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (S::PATH, which, name);
        None
    }
}

/// [`kept`] words, or `default`, ready to go inside a `<textarea>`.
pub fn kept_text<S: leptos::server_fn::ServerFn>(
    which: &[(&str, &str)],
    name: &str,
    default: String,
) -> String {
    textarea_text(kept::<S>(which, name).unwrap_or(default))
}

/// The node of `action`'s form, reset each time the action answers `Ok`, and closed if it sits
/// in a `<details>`: a posted comment's words leave the box, so a second click posts nothing
/// twice. Without JavaScript the page reloads, which does the same.
pub fn cleared_on_success<S>(action: ServerAction<S>) -> NodeRef<leptos::html::Form>
where
    S: leptos::server_fn::ServerFn + Send + Sync + Clone + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        let done = action.value().with(|v| matches!(v, Some(Ok(_))));
        #[cfg(feature = "hydrate")]
        if let (true, Some(f)) = (done, form.get_untracked()) {
            f.reset();
            if let Ok(Some(details)) = f.closest("details") {
                let _ = details.remove_attribute("open");
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = done;
    });
    form
}

/// Where a paragraph's thread is shown.
pub fn thread_href(doc: &str, paragraph: &str) -> String {
    format!("/documents/{doc}?p={paragraph}#{paragraph}")
}

/// The stances in `taken` (support, can live with and oppose, or in last call only oppose) as
/// radio buttons, `current` checked, named in the reader's language. Called while a view is
/// built (it reads the page's i18n context).
pub fn stance_options(current: Option<Stance>, taken: &[Stance]) -> AnyView {
    let i18n = use_i18n();
    let only = taken.len() == 1;
    view! {
        <div class="stance-options">
            {taken.iter().map(|s| view! {
                <label class=format!("stance-option stance-{}", s.key())>
                    <input type="radio" name="stance" value=s.key() checked=only || current == Some(*s) />
                    {words::stance(i18n, *s)}
                </label>
            }).collect_view()}
        </div>
    }
    .into_any()
}

/// The stance a form's radio buttons chose.
#[cfg(feature = "ssr")]
pub fn chosen_stance(stance: Option<String>) -> Result<Stance, ServerFnError> {
    stance.as_deref().and_then(Stance::parse).ok_or_else(|| {
        crate::serve::refused(domain::refusal::Refusal::Choose {
            what: domain::refusal::Choice::Stance,
        })
    })
}

/// A moment (unix seconds) in UTC, in the reader's language: "26 Nov 2026, 18:04 UTC",
/// "2026年11月26日 18:04 UTC" (no clock or time-zone crate in the bundle).
pub fn format_time(i18n: words::I18n, secs: i64) -> String {
    format_time_in(i18n.get_locale(), secs)
}

/// [`format_time`] in `locale`, where only a locale is at hand.
pub fn format_time_in(locale: Locale, secs: i64) -> String {
    let (year, month, day, hour, minute) = domain::time::civil_utc(secs);
    let month = match month {
        1 => td_string!(locale, common.month_1),
        2 => td_string!(locale, common.month_2),
        3 => td_string!(locale, common.month_3),
        4 => td_string!(locale, common.month_4),
        5 => td_string!(locale, common.month_5),
        6 => td_string!(locale, common.month_6),
        7 => td_string!(locale, common.month_7),
        8 => td_string!(locale, common.month_8),
        9 => td_string!(locale, common.month_9),
        10 => td_string!(locale, common.month_10),
        11 => td_string!(locale, common.month_11),
        _ => td_string!(locale, common.month_12),
    };
    let time = format!("{hour:02}:{minute:02}");
    td_string!(
        locale,
        common.date_time,
        day = day,
        month = month,
        year = year,
        time = time
    )
    .to_string()
}

/// A moment as the reader's clock shows it, in the page's language, with its zone named
/// ("10 Dec 2026, 09:00 GMT+9"). The server, which does not know the reader's zone, writes it
/// in UTC; the browser rewrites it once the page is live, and again when the language changes.
#[component]
pub fn LocalTime(at: i64) -> impl IntoView {
    let i18n = use_i18n();
    // The browser's form; until it is known (and on the server) the UTC one, so that hydration
    // finds the text the server wrote.
    let local = RwSignal::new(None::<String>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use leptos_i18n::Locale as _;
        let locale = i18n.get_locale();
        local.set(zone::local_time(locale.as_str(), at));
    });
    let text = move || local.get().unwrap_or_else(|| format_time(i18n, at));
    view! { <time datetime=format!("{}Z", domain::time::to_field(at))>{text}</time> }
}

/// The reader's time zone, as the browser knows it.
#[cfg(feature = "hydrate")]
pub mod zone {
    use wasm_bindgen::JsValue;

    fn format(locales: &js_sys::Array, options: &[(&str, &str)]) -> js_sys::Intl::DateTimeFormat {
        let object = js_sys::Object::new();
        for (key, value) in options {
            let _ = js_sys::Reflect::set(&object, &(*key).into(), &(*value).into());
        }
        js_sys::Intl::DateTimeFormat::new(locales, &object)
    }

    /// The languages to write dates in for a page in `language` ("fr"): the reader's own
    /// variants of it first ("fr-CA", whose order of day and month they are used to), then the
    /// language itself; English alone is British English ("1 Mar 2027, 12:00"), as the UN
    /// writes it and as the server's form reads.
    fn languages(language: &str) -> js_sys::Array {
        let list = js_sys::Array::new();
        let navigator = web_sys::window().map(|w| w.navigator().languages());
        for tag in navigator.iter().flat_map(|a| a.iter()) {
            if let Some(tag) = tag.as_string() {
                let same = tag
                    .split(['-', '_'])
                    .next()
                    .is_some_and(|primary| primary.eq_ignore_ascii_case(language));
                if same {
                    list.push(&JsValue::from_str(&tag));
                }
            }
        }
        let own = if language == "en" { "en-GB" } else { language };
        list.push(&JsValue::from_str(own));
        list
    }

    /// `at` (unix seconds) in the reader's zone and in `language` (the page's tag, "fr"), with
    /// the zone's short name.
    pub fn local_time(language: &str, at: i64) -> Option<String> {
        let date = js_sys::Date::new(&JsValue::from_f64(at as f64 * 1000.0));
        format(
            &languages(language),
            &[
                ("day", "numeric"),
                ("month", "short"),
                ("year", "numeric"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
                ("timeZoneName", "short"),
            ],
        )
        .format()
        .call1(&JsValue::NULL, &date)
        .ok()?
        .as_string()
    }

    /// Minutes east of UTC in the reader's zone at the moment `at` (unix seconds).
    pub fn offset_at(at: i64) -> i64 {
        let date = js_sys::Date::new(&JsValue::from_f64(at as f64 * 1000.0));
        -(date.get_timezone_offset() as i64)
    }

    /// Minutes east of UTC in the reader's zone at a `datetime-local` value read as the
    /// reader's time (so that a deadline across a change of summer time is right).
    pub fn offset_at_field(field: &str) -> Option<i64> {
        let offset = js_sys::Date::new(&JsValue::from_str(field)).get_timezone_offset();
        (!offset.is_nan()).then(|| -(offset as i64))
    }

    /// The zone's name ("Asia/Tokyo").
    pub fn name() -> String {
        let options = format(&js_sys::Array::new(), &[]).resolved_options();
        js_sys::Reflect::get(&options, &"timeZone".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_else(|| "UTC".into())
    }
}

/// Plain text with its web links made clickable; everything else stays text.
#[component]
pub fn Linked(text: String) -> impl IntoView {
    let mut parts = Vec::new();
    let mut plain = String::new();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            plain.push(' ');
        }
        let is_link = (word.starts_with("https://") || word.starts_with("http://"))
            && word.len() > 10
            && !word.contains(['"', '<', '>']);
        if is_link {
            // A sentence's final punctuation is not part of the link.
            let url = word.trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
            let tail = &word[url.len()..];
            parts.push(std::mem::take(&mut plain).into_any());
            let href = url.to_string();
            parts.push(
                view! { <a href=href rel="nofollow noopener ugc">{url.to_string()}</a> }.into_any(),
            );
            plain.push_str(tail);
        } else {
            plain.push_str(word);
        }
    }
    parts.push(plain.into_any());
    parts
}

/// Support, can live with and oppose as one stacked bar, with the figures in words for
/// those who cannot see the colours.
#[component]
pub fn StanceBar(tally: Tally, #[prop(default = 120)] width: u32) -> impl IntoView {
    let total = tally.total();
    let i18n = use_i18n();
    let label = move || words::tally(i18n, &tally);
    let mut x = 0.0;
    let segments: Vec<_> = [
        (tally.support, "seg-support"),
        (tally.can_live_with, "seg-live"),
        (tally.oppose, "seg-oppose"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, class)| {
        let w = f64::from(width) * f64::from(n) / f64::from(total.max(1));
        let rect = view! { <rect class=class x=format!("{x:.1}") y="0" width=format!("{w:.1}") height="10" /> };
        x += w;
        rect
    })
    .collect();
    view! {
        <svg class="stance-bar" width=width height="10" viewBox=format!("0 0 {width} 10") role="img" aria-label=label>
            <title>{label}</title>
            <rect class="seg-empty" x="0" y="0" width=width height="10" />
            {segments}
        </svg>
    }
}

/// A word-level difference: deleted words struck through, inserted ones underlined.
pub(super) fn diff_view(pieces: Vec<Piece>) -> AnyView {
    pieces
        .into_iter()
        .map(|p| match p {
            Piece::Same(t) => t.into_any(),
            Piece::Deleted(t) => view! { <del>{t}</del> }.into_any(),
            Piece::Inserted(t) => view! { <ins>{t}</ins> }.into_any(),
        })
        .collect_view()
        .into_any()
}

/// The first `n` characters of `text`, with an ellipsis when there is more.
pub(super) fn excerpt(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        out = out.trim_end().to_string();
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_time_writes_a_moment_in_utc_in_each_language() {
        let at = 1_795_716_240;
        // English must read as it did before the catalogue: browser tests look for it.
        assert_eq!(format_time_in(Locale::en, at), "26 Nov 2026, 18:04 UTC");
        assert_eq!(format_time_in(Locale::en, at), domain::time::format(at));
        assert_eq!(format_time_in(Locale::fr, at), "26 nov. 2026, 18:04 UTC");
        assert_eq!(format_time_in(Locale::zh, at), "2026年11月26日 18:04 UTC");
        assert_eq!(format_time_in(Locale::ru, 0), "1 янв. 1970 г., 00:00 UTC");
    }
}

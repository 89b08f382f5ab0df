//! `@` mentions in comments: a textarea that, on `@` and the start of a name, offers the
//! people of the document (its group's members and whoever commented on it) in a list to pick
//! from with the arrow keys and Enter or Tab, or by pointer; the pick is written in as
//! `@Full Name `. Without JavaScript it is a plain textarea, and typing `@` and a person's full
//! name mentions them the same way: the server finds mentions in the posted words
//! (`domain::notice::mentioned`) and tells each person mentioned.

use accord_i18n::{t, t_string, use_i18n};
use leptos::{html, prelude::*};

/// The names a comment on `doc` may mention, for the requester (who must be able to comment).
#[server(prefix = "/_fn", endpoint = "mention_names")]
pub async fn mention_names(doc: String) -> Result<Vec<String>, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::feedback::mention_names(&core, &who, &doc)
        .await
        .map_err(crate::serve::page_error)
}

/// How many names the list offers at once.
const OFFERED: usize = 6;

/// The words being typed as a mention: from the `@` before the caret (at the start or after a
/// space) to the caret, if there is one, with the `@`'s position (in UTF-16 units).
pub fn fragment(text: &str, caret: usize) -> Option<(usize, String)> {
    let before: Vec<u16> = text.encode_utf16().take(caret).collect();
    let before = String::from_utf16_lossy(&before);
    let at = before.rfind('@')?;
    let typed = &before[at + 1..];
    let starts_word = before[..at]
        .chars()
        .next_back()
        .is_none_or(char::is_whitespace);
    let plausible = typed.chars().count() <= 40 && !typed.contains(['\n', '@']);
    (starts_word && plausible).then(|| (before[..at].encode_utf16().count(), typed.to_string()))
}

/// The names that `typed` could begin: matching the start of the name or of one of its words,
/// ignoring case.
pub fn offered(names: &[String], typed: &str) -> Vec<String> {
    let typed = typed.to_lowercase();
    names
        .iter()
        .filter(|n| {
            let n = n.to_lowercase();
            n.starts_with(&typed) || n.split_whitespace().any(|w| w.starts_with(&typed))
        })
        .take(OFFERED)
        .cloned()
        .collect()
}

/// A comment's textarea with mention completion.
#[component]
pub fn MentionArea(
    doc: String,
    id: String,
    name: &'static str,
    rows: u32,
    /// Words shown in the empty box, in the reader's language.
    #[prop(optional, into)]
    placeholder: MaybeProp<String>,
    #[prop(optional)] text: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let area = NodeRef::<html::Textarea>::new();
    let names = RwSignal::new(None::<Vec<String>>);
    let shown = RwSignal::new(Vec::<String>::new());
    let active = RwSignal::new(0usize);
    let list_id = format!("{id}-people");
    let option_id = {
        let list_id = list_id.clone();
        move |i: usize| format!("{list_id}-{i}")
    };
    // Reads the fragment at the caret and offers the names it could begin.
    let look = {
        let doc = doc.clone();
        move || {
            let Some(ta) = area.get_untracked() else {
                return;
            };
            let caret = ta.selection_start().ok().flatten().unwrap_or(0) as usize;
            let Some((_, typed)) = fragment(&ta.value(), caret) else {
                shown.set(Vec::new());
                return;
            };
            match names.get_untracked() {
                Some(all) => {
                    shown.set(offered(&all, &typed));
                    active.set(0);
                }
                None => {
                    let doc = doc.clone();
                    leptos::task::spawn_local(async move {
                        let all = mention_names(doc).await.unwrap_or_default();
                        shown.set(offered(&all, &typed));
                        active.set(0);
                        names.set(Some(all));
                    });
                }
            }
        }
    };
    // Writes the picked name in place of the fragment, with a space after it.
    let pick = move |name: String| {
        let Some(ta) = area.get_untracked() else {
            return;
        };
        let value = ta.value();
        let caret = ta.selection_start().ok().flatten().unwrap_or(0) as usize;
        let Some((at, _)) = fragment(&value, caret) else {
            return;
        };
        let units: Vec<u16> = value.encode_utf16().collect();
        let inserted = format!("@{name} ");
        let mut next = String::from_utf16_lossy(&units[..at]);
        next.push_str(&inserted);
        next.push_str(&String::from_utf16_lossy(&units[caret.min(units.len())..]));
        ta.set_value(&next);
        let end = (at + inserted.encode_utf16().count()) as u32;
        let _ = ta.set_selection_range(end, end);
        let _ = ta.focus();
        shown.set(Vec::new());
    };
    let keys = move |ev: leptos::ev::KeyboardEvent| {
        let n = shown.with_untracked(Vec::len);
        if n == 0 {
            return;
        }
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 1) % n);
            }
            "ArrowUp" => {
                ev.prevent_default();
                active.update(|a| *a = (*a + n - 1) % n);
            }
            "Enter" | "Tab" => {
                ev.prevent_default();
                if let Some(name) = shown.with_untracked(|s| s.get(active.get_untracked()).cloned())
                {
                    pick(name);
                }
            }
            "Escape" => {
                ev.prevent_default();
                shown.set(Vec::new());
            }
            _ => {}
        }
    };
    let look_on_input = look.clone();
    let expanded = move || (!shown.with(Vec::is_empty)).to_string();
    let descendant = {
        let option_id = option_id.clone();
        move || (!shown.with(Vec::is_empty)).then(|| option_id(active.get()))
    };
    view! {
        <div class="mention-wrap">
            <textarea id=id.clone() name=name rows=rows.to_string() required maxlength="5000" placeholder=move || placeholder.get()
                node_ref=area
                role="combobox" aria-autocomplete="list" aria-controls=list_id.clone()
                aria-expanded=expanded aria-activedescendant=descendant
                aria-describedby=format!("{id}-hint")
                on:input=move |_| look_on_input()
                on:keydown=keys
                on:blur=move |_| shown.set(Vec::new())
            >{text}</textarea>
            <p class="visually-hidden" id=format!("{id}-hint")>{t!(i18n, feedback.mention_hint)}</p>
            <ul class="mention-list" role="listbox" id=list_id
                aria-label=move || t_string!(i18n, feedback.mention_list_label).to_string()
                hidden=move || shown.with(Vec::is_empty)>
                {move || shown.get().into_iter().enumerate().map(|(i, name)| {
                    let picked = name.clone();
                    view! {
                        <li role="option" id=option_id(i) aria-selected=move || (active.get() == i).to_string()
                            // Before the textarea's blur closes the list.
                            on:mousedown=move |ev| { ev.prevent_default(); pick(picked.clone()); }>
                            {name}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_starts_at_an_at_sign_that_starts_a_word() {
        assert_eq!(fragment("Thanks @Ami", 11), Some((7, "Ami".into())));
        assert_eq!(fragment("@", 1), Some((0, String::new())));
        assert_eq!(fragment("mail me at a@b", 14), None);
        assert_eq!(
            fragment("@Amina Chair and", 16),
            Some((0, "Amina Chair and".into()))
        );
        assert_eq!(fragment("no mention", 10), None);
        assert_eq!(fragment("« @Ami", 6), Some((2, "Ami".into())));
    }

    #[test]
    fn names_are_offered_by_the_start_of_any_of_their_words() {
        let names = vec!["Amina Chair".to_string(), "Diego Drafter".to_string()];
        assert_eq!(offered(&names, "ami"), ["Amina Chair"]);
        assert_eq!(offered(&names, "dra"), ["Diego Drafter"]);
        assert_eq!(offered(&names, ""), names);
        assert!(offered(&names, "zz").is_empty());
    }
}

//! The notices page (`/notifications`): what a person was told about, newest first, with the
//! unread ones marked, a button that marks them all read, their Atom feed's address and whether
//! they are also mailed; and the page a mail's unsubscribe link opens (`/unsubscribe`).

use accord_i18n::{t, t_string, use_i18n};
use domain::notice::{Notice, NoticeKind, Place};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};
use serde::{Deserialize, Serialize};

use super::{
    parts::{error_text, LocalTime},
    words::{self, I18n},
};

/// Bumped when the notices page marks notices read, so that the bell asks again.
#[derive(Clone, Copy, Default)]
pub struct NoticesSeen(pub RwSignal<u32>);

/// What the notices page shows.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NoticesPage {
    pub notices: Vec<Notice>,
    /// The path of the person's Atom feed.
    pub feed: String,
    /// Whether notices are also mailed.
    pub mail: bool,
}

/// `None` when nobody is signed in.
#[server(prefix = "/_fn", endpoint = "notices")]
pub async fn get_notices() -> Result<Option<NoticesPage>, ServerFnError> {
    use crate::serve::page_error;
    let (core, who) = crate::serve::requester().await?;
    let Some(me) = accord_core::people::whoami(&core, &who)
        .await
        .map_err(page_error)?
    else {
        return Ok(None);
    };
    let notices = accord_core::notices::list(&core, &who)
        .await
        .map_err(page_error)?;
    let feed = accord_core::notices::feed_path(&core, &who)
        .await
        .map_err(page_error)?;
    Ok(Some(NoticesPage {
        notices,
        feed,
        mail: me.mail_notices,
    }))
}

#[server(prefix = "/_fn", endpoint = "read_notices")]
pub async fn read_notices() -> Result<(), ServerFnError> {
    crate::serve::write("/notifications", async |core, who| {
        accord_core::notices::read_all(core, who).await
    })
    .await
}

/// `mail` is the checkbox: present when ticked.
#[server(prefix = "/_fn", endpoint = "notice_mail")]
pub async fn notice_mail(mail: Option<String>) -> Result<(), ServerFnError> {
    crate::serve::write("/notifications", async |core, who| {
        accord_core::notices::set_mail(core, who, mail.is_some()).await
    })
    .await
}

#[server(prefix = "/_fn", endpoint = "unsubscribe")]
pub async fn unsubscribe(key: String) -> Result<(), ServerFnError> {
    let core = crate::serve::core()?;
    match accord_core::notices::unsubscribe(&core, &key).await {
        Ok(true) => {
            crate::serve::go("/unsubscribe?done=1");
            Ok(())
        }
        Ok(false) => Err(crate::serve::refused(
            domain::refusal::Refusal::UnsubscribeLinkDead,
        )),
        Err(e) => Err(crate::serve::page_error(e)),
    }
}

#[component]
pub fn NoticesPageView() -> impl IntoView {
    let read = ServerAction::<ReadNotices>::new();
    let mail = ServerAction::<NoticeMail>::new();
    let page = Resource::new(
        move || (read.version().get(), mail.version().get()),
        |_| get_notices(),
    );
    let seen = expect_context::<NoticesSeen>().0;
    let i18n = use_i18n();
    Effect::new(move |_| {
        if read.value().with(|v| matches!(v, Some(Ok(())))) {
            seen.update(|n| *n = n.wrapping_add(1));
        }
    });
    view! {
        <Title text=move || t_string!(i18n, notices.notices_title).to_string() />
        <section class="form-page notices">
            <h1>{t!(i18n, notices.notices_title)}</h1>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(Some(p)) => notices_view(i18n, p, read, mail).into_any(),
                        Ok(None) => view! {
                            <p>
                                {t!(i18n, notices.notices_signed_out,
                                    link = move || view! { <A href="/login?next=/notifications">{t!(i18n, common.sign_in)}</A> })}
                            </p>
                        }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn notices_view(
    i18n: I18n,
    p: NoticesPage,
    read: ServerAction<ReadNotices>,
    mail: ServerAction<NoticeMail>,
) -> impl IntoView {
    let unread = p.notices.iter().filter(|n| !n.read).count();
    let list = match p.notices.is_empty() {
        true => view! {
            <p class="muted">{t!(i18n, notices.notices_empty)}</p>
        }
        .into_any(),
        false => view! {
            <ol class="notice-list">
                {p.notices.into_iter().map(|n| {
                    let class = if n.read { "notice-item" } else { "notice-item unread" };
                    view! {
                        <li class=class>
                            {(!n.read).then(|| view! { <span class="badge">{t!(i18n, notices.notices_new_badge)}</span> " " })}
                            <a href=n.link.clone()>{notice_words(i18n, &n)}</a>
                            " · " <LocalTime at=n.at />
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
        .into_any(),
    };
    view! {
        <p class="muted" role="status">{move || match unread {
            0 => t_string!(i18n, notices.notices_all_read).to_string(),
            n => t_string!(i18n, notices.notices_unread, count = n).to_string(),
        }}</p>
        {(unread > 0).then(|| view! {
            <ActionForm action=read attr:class="inline-form">
                <button type="submit" class="button small">{t!(i18n, notices.notices_mark_all_read)}</button>
            </ActionForm>
        })}
        {list}
        <h2>{t!(i18n, notices.notices_elsewhere_title)}</h2>
        <ActionForm action=mail attr:class="stack small-form">
            <label class="choice">
                <input type="checkbox" name="mail" value="on" checked=p.mail />
                {t!(i18n, notices.notices_mail_label)}
            </label>
            {move || error_text(mail.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="actions"><button type="submit" class="button small">{t!(i18n, notices.notices_save)}</button></div>
        </ActionForm>
        <p class="small">
            {t!(i18n, notices.notices_feed,
                link = move || view! { <a href=p.feed.clone() type="application/atom+xml">{t!(i18n, notices.notices_feed_link)}</a> })}
        </p>
    }
}

/// Where a mail's unsubscribe link leads: one button, so that a mail scanner opening the link
/// changes nothing.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Unsubscribe>::new();
    let query = use_query_map();
    let key = move || query.read().get("key").unwrap_or_default();
    let done = move || {
        query.read().get("done").is_some() || action.value().get().is_some_and(|r| r.is_ok())
    };
    view! {
        <Title text=move || t_string!(i18n, notices.unsubscribe_title).to_string() />
        <section class="form-page">
            <h1>{t!(i18n, notices.unsubscribe_title)}</h1>
            {move || match done() {
                true => view! {
                    <p role="status">{t!(i18n, notices.unsubscribe_done)}</p>
                }.into_any(),
                false => view! {
                    <ActionForm action attr:class="stack">
                        <input type="hidden" name="key" value=key />
                        <p>{t!(i18n, notices.unsubscribe_question)}</p>
                        {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                        <div class="actions"><button type="submit" class="button primary">{t!(i18n, notices.unsubscribe_submit)}</button></div>
                    </ActionForm>
                }.into_any(),
            }}
        </section>
    }
}

/// What happened, in a sentence in the reader's language ([`Notice::words`] is the English one,
/// for mail and the feed).
fn notice_words(i18n: I18n, n: &Notice) -> String {
    let (person, document) = (n.by.as_str(), n.document_title.as_str());
    let place = || place_words(i18n, &n.place);
    match n.kind {
        NoticeKind::Reply => t_string!(
            i18n,
            notices.notice_reply,
            person = person,
            place = place(),
            document = document
        )
        .to_string(),
        NoticeKind::Response => t_string!(
            i18n,
            notices.notice_response,
            person = person,
            place = place(),
            document = document
        )
        .to_string(),
        NoticeKind::Decision => {
            let amendment = match n.place.strip_prefix("amendment ") {
                Some(number) => {
                    t_string!(i18n, notices.notice_amendment, number = number).to_string()
                }
                None => n.place.clone(),
            };
            t_string!(
                i18n,
                notices.notice_decision,
                person = person,
                amendment = amendment,
                document = document
            )
            .to_string()
        }
        NoticeKind::Objection => t_string!(
            i18n,
            notices.notice_objection,
            person = person,
            place = place(),
            document = document
        )
        .to_string(),
        NoticeKind::Phase => t_string!(
            i18n,
            notices.notice_phase,
            document = document,
            phase = phase_words(i18n, &n.place)
        )
        .to_string(),
        NoticeKind::Mention => t_string!(
            i18n,
            notices.notice_mention,
            person = person,
            place = place(),
            document = document
        )
        .to_string(),
        NoticeKind::Deadline => t_string!(
            i18n,
            notices.notice_deadline,
            phase = phase_words(i18n, &n.place),
            document = document
        )
        .to_string(),
    }
}

/// A phase as a notice names it: its name in lower case, as the English sentence runs on
/// ("is now in public consultation"). A name no phase has is shown as it is.
fn phase_words(i18n: I18n, place: &str) -> String {
    match Place::read(place) {
        Place::Phase(phase) => words::phase(i18n, phase).to_lowercase(),
        _ => place.to_string(),
    }
}

/// A paragraph as a notice names it, inside a sentence ("paragraph 8(a)").
fn place_words(i18n: I18n, place: &str) -> String {
    match Place::read(place) {
        Place::Paragraph(number) => {
            t_string!(i18n, notices.notice_place_paragraph, number = number).to_string()
        }
        Place::Heading(excerpt) => {
            t_string!(i18n, notices.notice_place_heading, excerpt = excerpt).to_string()
        }
        Place::Unnumbered(excerpt) => {
            t_string!(i18n, notices.notice_place_unnumbered, excerpt = excerpt).to_string()
        }
        Place::Deleted(id) => t_string!(i18n, notices.notice_place_deleted, id = id).to_string(),
        _ => place.to_string(),
    }
}

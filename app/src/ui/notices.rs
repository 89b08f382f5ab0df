//! The notices page (`/notifications`): what a person was told about, newest first, with the
//! unread ones marked, a button that marks them all read, their Atom feed's address and whether
//! they are also mailed; and the page a mail's unsubscribe link opens (`/unsubscribe`).

use domain::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};
use serde::{Deserialize, Serialize};

use super::parts::{error_text, LocalTime};

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
    Effect::new(move |_| {
        if read.value().with(|v| matches!(v, Some(Ok(())))) {
            seen.update(|n| *n = n.wrapping_add(1));
        }
    });
    view! {
        <Title text="Notifications" />
        <section class="form-page notices">
            <h1>"Notifications"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(Some(p)) => notices_view(p, read, mail).into_any(),
                        Ok(None) => view! {
                            <p>"Sign in to see your notifications. " <A href="/login?next=/notifications">"Sign in"</A></p>
                        }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn notices_view(
    p: NoticesPage,
    read: ServerAction<ReadNotices>,
    mail: ServerAction<NoticeMail>,
) -> impl IntoView {
    let unread = p.notices.iter().filter(|n| !n.read).count();
    let list = match p.notices.is_empty() {
        true => view! {
            <p class="muted">"Nothing yet. You are told here when someone answers or mentions you, decides your amendments, objects where you chair, or moves a document you take part in to another phase, and a day before its phase ends."</p>
        }
        .into_any(),
        false => view! {
            <ol class="notice-list">
                {p.notices.into_iter().map(|n| {
                    let class = if n.read { "notice-item" } else { "notice-item unread" };
                    view! {
                        <li class=class>
                            {(!n.read).then(|| view! { <span class="badge">"New"</span> " " })}
                            <a href=n.link.clone()>{n.words()}</a>
                            " · " <LocalTime at=n.at />
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
        .into_any(),
    };
    view! {
        <p class="muted" role="status">{match unread {
            0 => "All read.".to_string(),
            1 => "1 unread.".to_string(),
            n => format!("{n} unread."),
        }}</p>
        {(unread > 0).then(|| view! {
            <ActionForm action=read attr:class="inline-form">
                <button type="submit" class="button small">"Mark all as read"</button>
            </ActionForm>
        })}
        {list}
        <h2>"Elsewhere"</h2>
        <ActionForm action=mail attr:class="stack small-form">
            <label class="choice">
                <input type="checkbox" name="mail" value="on" checked=p.mail />
                "Also mail me each notification"
            </label>
            {move || error_text(mail.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="actions"><button type="submit" class="button small">"Save"</button></div>
        </ActionForm>
        <p class="small">
            "Your Atom feed, for a feed reader (keep its address to yourself: whoever has it reads your notifications): "
            <a href=p.feed.clone() type="application/atom+xml">"feed of your notifications"</a>
        </p>
    }
}

/// Where a mail's unsubscribe link leads: one button, so that a mail scanner opening the link
/// changes nothing.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let action = ServerAction::<Unsubscribe>::new();
    let query = use_query_map();
    let key = move || query.read().get("key").unwrap_or_default();
    let done = move || {
        query.read().get("done").is_some() || action.value().get().is_some_and(|r| r.is_ok())
    };
    view! {
        <Title text="Stop notification mail" />
        <section class="form-page">
            <h1>"Stop notification mail"</h1>
            {move || match done() {
                true => view! {
                    <p role="status">"Done: no more notification mail. Your notifications stay on the site, under the bell; you can turn mail on again there."</p>
                }.into_any(),
                false => view! {
                    <ActionForm action attr:class="stack">
                        <input type="hidden" name="key" value=key />
                        <p>"Stop mailing you notifications from Accord? They stay on the site, under the bell."</p>
                        {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                        <div class="actions"><button type="submit" class="button primary">"Stop the mail"</button></div>
                    </ActionForm>
                }.into_any(),
            }}
        </section>
    }
}

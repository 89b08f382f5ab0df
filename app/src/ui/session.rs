//! Live sessions: the list on a document with a chair's form to schedule one
//! (`/documents/{id}/sessions`), the session's page (`/live/{id}`: the item on every screen, the
//! check of the sense of the room, the speaking queue, the poll, and the controls of whoever
//! runs or records it) and the projector view for the room's screen (`/live/{id}/projector`).
//!
//! Every form is a plain post that comes back to the page, so all of it works without
//! JavaScript (the page then reloads itself every 15 seconds). In the browser the page follows
//! the session's event stream and redraws as soon as anything changes; timers tick.

use accord_i18n::{t, t_string, use_i18n};
use domain::{
    api::{Check, DocumentDetail, LiveSession, LiveSessionSummary, Member, QueuedHand, Role},
    consensus::{Stance, Tally},
    profile::StakeholderGroup,
    session::{ItemKind, PollRound, Source, POLL_SCALE},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::parts::{error_text, kept_text, LocalTime};
use super::words::{self, I18n};
use super::{get_document, NotFound};

/// The session as the requester sees it; `None` if there is none by that id.
#[server(prefix = "/_fn", endpoint = "live_session")]
pub async fn get_live_session(id: String) -> Result<Option<LiveSession>, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    match accord_core::sessions::view(&core, &who, &id).await {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.status() == 404 => Ok(None),
        Err(e) => Err(crate::serve::page_error(e)),
    }
}

#[server(prefix = "/_fn", endpoint = "live_sessions")]
pub async fn list_live_sessions(doc: String) -> Result<Vec<LiveSessionSummary>, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::sessions::list(&core, &who, &doc)
        .await
        .map_err(crate::serve::page_error)
}

/// Who may be named facilitator or rapporteur: the group's members (for whoever may schedule).
#[server(prefix = "/_fn", endpoint = "live_session_people")]
pub async fn session_people(doc: String) -> Result<Vec<Member>, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    accord_core::sessions::people(&core, &who, &doc)
        .await
        .map_err(crate::serve::page_error)
}

/// A chair schedules a session. `agenda` holds an item per line: a paragraph's number ("8(a)")
/// puts that paragraph on the agenda, anything else is a free question; `poll` a question per
/// line.
#[server(prefix = "/_fn", endpoint = "schedule_live_session")]
pub async fn schedule_live(
    doc: String,
    title: String,
    agenda: String,
    #[server(default)] facilitator: String,
    #[server(default)] rapporteur: String,
    #[server(default)] poll: String,
) -> Result<(), ServerFnError> {
    use domain::api::{NewAgendaItem, ScheduleSession};
    let (core, who) = crate::serve::requester().await?;
    let detail = accord_core::documents::detail_for(&core, &who, &doc)
        .await
        .map_err(crate::serve::page_error)?;
    let items = agenda
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let number = line.trim_start_matches('¶').trim();
            match detail
                .paragraphs
                .iter()
                .find(|p| p.number.as_deref() == Some(number))
            {
                Some(p) => NewAgendaItem {
                    kind: ItemKind::Paragraph,
                    target: p.id.clone(),
                },
                None => NewAgendaItem {
                    kind: ItemKind::Question,
                    target: line.to_string(),
                },
            }
        })
        .collect();
    let someone = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    let req = ScheduleSession {
        title,
        starts_at: None,
        items,
        facilitator: someone(facilitator),
        rapporteur: someone(rapporteur),
        poll: poll
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
    };
    let s = accord_core::sessions::schedule(&core, &who, &doc, req)
        .await
        .map_err(crate::serve::page_error)?;
    crate::serve::go(&format!("/live/{}", s.id));
    Ok(())
}

/// Runs a session write for the requester and sends a plain post back to the session's page;
/// the browser gets the session as the writer now sees it.
#[cfg(feature = "ssr")]
async fn write_live(
    live: &str,
    w: impl AsyncFnOnce(
        &accord_core::Accord,
        &accord_core::auth::Principal,
    ) -> Result<LiveSession, accord_core::error::Error>,
) -> Result<LiveSession, ServerFnError> {
    let (core, who) = crate::serve::requester().await?;
    let s = w(&core, &who).await.map_err(crate::serve::page_error)?;
    crate::serve::go(&format!("/live/{live}"));
    Ok(s)
}

/// A stakeholder group chosen in a form ("" for none).
#[cfg(feature = "ssr")]
fn chosen_group(key: &str) -> Result<Option<StakeholderGroup>, ServerFnError> {
    match key.trim() {
        "" => Ok(None),
        k => StakeholderGroup::parse(k).map(Some).ok_or_else(|| {
            crate::serve::refused(domain::refusal::Refusal::Choose {
                what: domain::refusal::Choice::StakeholderGroup,
            })
        }),
    }
}

#[server(prefix = "/_fn", endpoint = "live_stance")]
pub async fn live_stance(
    live: String,
    check: String,
    #[server(default)] stance: Option<String>,
    #[server(default)] reason: String,
    #[server(default)] in_room: String,
) -> Result<LiveSession, ServerFnError> {
    let stance = super::parts::chosen_stance(stance)?;
    let req = domain::api::CheckStanceBody {
        stance,
        reason: Some(reason).filter(|r| !r.trim().is_empty()),
        in_room: !in_room.is_empty(),
    };
    write_live(&live, async |core, who| {
        accord_core::sessions::take_stance(core, who, &live, &check, req).await
    })
    .await
}

#[server(prefix = "/_fn", endpoint = "live_move")]
pub async fn live_move(live: String, item: String) -> Result<LiveSession, ServerFnError> {
    let req = domain::api::MoveToItem { item };
    write_live(&live, async |core, who| {
        accord_core::sessions::move_to(core, who, &live, req).await
    })
    .await
}

/// Opens a check on the current item (counting down `seconds` if given), or closes `check`.
#[server(prefix = "/_fn", endpoint = "live_check")]
pub async fn live_check(
    live: String,
    #[server(default)] check: String,
    #[server(default)] seconds: String,
) -> Result<LiveSession, ServerFnError> {
    let seconds = match seconds.trim() {
        "" => None,
        s => Some(
            s.parse::<u32>()
                .map_err(|_| crate::serve::refused(domain::session::countdown_refused()))?,
        ),
    };
    let req = domain::api::OpenCheck { seconds };
    write_live(&live, async |core, who| match check.as_str() {
        "" => accord_core::sessions::open_check(core, who, &live, req).await,
        c => accord_core::sessions::close_check(core, who, &live, c).await,
    })
    .await
}

/// Raises one's own hand, or (the rapporteur) someone's without a device, by `name`.
#[server(prefix = "/_fn", endpoint = "live_raise")]
pub async fn live_raise(
    live: String,
    #[server(default)] in_room: String,
    #[server(default)] name: String,
    #[server(default)] group: String,
) -> Result<LiveSession, ServerFnError> {
    let req = domain::api::RaiseHand {
        in_room: !in_room.is_empty(),
        name: Some(name).filter(|n| !n.trim().is_empty()),
        group: chosen_group(&group)?,
    };
    write_live(&live, async |core, who| {
        accord_core::sessions::raise_hand(core, who, &live, req).await
    })
    .await
}

/// Gives `hand` the floor (`call` not empty) or lowers it.
#[server(prefix = "/_fn", endpoint = "live_settle")]
pub async fn live_settle(
    live: String,
    hand: String,
    #[server(default)] call: String,
) -> Result<LiveSession, ServerFnError> {
    let req = domain::api::SettleHand {
        call: !call.is_empty(),
    };
    write_live(&live, async |core, who| {
        accord_core::sessions::settle_hand(core, who, &live, &hand, req).await
    })
    .await
}

#[server(prefix = "/_fn", endpoint = "live_hands")]
pub async fn live_hands(
    live: String,
    check: String,
    #[server(default)] group: String,
    #[server(default)] support: String,
    #[server(default)] can_live_with: String,
    #[server(default)] oppose: String,
) -> Result<LiveSession, ServerFnError> {
    let count = |n: &str| match n.trim() {
        "" => Ok(0),
        n => n.parse::<u32>().map_err(|_| {
            crate::serve::refused(domain::refusal::Refusal::TooManyHands {
                limit: domain::session::MAX_HANDS,
            })
        }),
    };
    let req = domain::api::HandsBody {
        group: chosen_group(&group)?,
        support: count(&support)?,
        can_live_with: count(&can_live_with)?,
        oppose: count(&oppose)?,
    };
    write_live(&live, async |core, who| {
        accord_core::sessions::record_hands(core, who, &live, &check, req).await
    })
    .await
}

#[server(prefix = "/_fn", endpoint = "live_floor")]
pub async fn live_floor(
    live: String,
    item: String,
    body: String,
    #[server(default)] speaker: String,
    #[server(default)] group: String,
) -> Result<LiveSession, ServerFnError> {
    let req = domain::api::NoteFloorComment {
        item,
        body,
        speaker: Some(speaker).filter(|s| !s.trim().is_empty()),
        group: chosen_group(&group)?,
    };
    write_live(&live, async |core, who| {
        accord_core::sessions::note_floor_comment(core, who, &live, req).await
    })
    .await
}

#[server(prefix = "/_fn", endpoint = "live_point")]
pub async fn live_point(
    live: String,
    item: String,
    reason: String,
) -> Result<LiveSession, ServerFnError> {
    let req = domain::api::MarkPoint { item, reason };
    write_live(&live, async |core, who| {
        accord_core::sessions::mark_point(core, who, &live, req).await
    })
    .await
}

/// Opens the poll's `round` ("before" or "after"), or closes the poll ("").
#[server(prefix = "/_fn", endpoint = "live_poll_round")]
pub async fn live_poll_round(
    live: String,
    #[server(default)] round: String,
) -> Result<LiveSession, ServerFnError> {
    let round = match round.as_str() {
        "" => None,
        r => Some(
            PollRound::parse(r)
                .ok_or_else(|| crate::serve::refused(domain::refusal::Refusal::PollClosed))?,
        ),
    };
    let req = domain::api::SetPollRound { round };
    write_live(&live, async |core, who| {
        accord_core::sessions::set_poll_round(core, who, &live, req).await
    })
    .await
}

#[server(prefix = "/_fn", endpoint = "live_poll_answer")]
pub async fn live_poll_answer(
    live: String,
    round: String,
    question: String,
    #[server(default)] value: String,
) -> Result<LiveSession, ServerFnError> {
    let round = PollRound::parse(&round)
        .ok_or_else(|| crate::serve::refused(domain::refusal::Refusal::PollClosed))?;
    let value = value.trim().parse::<u8>().map_err(|_| {
        crate::serve::refused(domain::refusal::Refusal::PollScale { max: POLL_SCALE })
    })?;
    let req = domain::api::AnswerPoll {
        round,
        answers: vec![domain::api::PollAnswerBody { question, value }],
    };
    write_live(&live, async |core, who| {
        accord_core::sessions::answer_poll(core, who, &live, req).await
    })
    .await
}

/// `/documents/{id}/sessions`: the document's live sessions, and a chair's form for a new one.
#[component]
pub fn SessionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let doc = Resource::new(id, get_document);
    let sessions = Resource::new(id, list_live_sessions);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match (doc.await, sessions.await) {
                    (Ok(Some(detail)), Ok(list)) => sessions_view(i18n, detail, list).into_any(),
                    (Ok(None), _) => view! { <NotFound what="document".to_string() /> }.into_any(),
                    (Err(e), _) | (_, Err(e)) => view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn sessions_view(
    i18n: I18n,
    detail: DocumentDetail,
    list: Vec<LiveSessionSummary>,
) -> impl IntoView {
    let back = format!("/documents/{}", detail.id);
    let title = detail.title.clone();
    let schedule =
        (detail.your_role == Role::Chair).then(|| view! { <ScheduleForm detail=detail.clone() /> });
    view! {
        <Title text=move || t_string!(i18n, session.list_heading).to_string() />
        <section class="form-page sessions-page">
            <p class="crumbs"><a href=back>{t!(i18n, session.back_to_document)}</a></p>
            <h1>{t!(i18n, session.list_heading)}</h1>
            <p class="muted"><bdi>{title}</bdi></p>
            {match list.is_empty() {
                true => view! { <p class="muted">{t!(i18n, session.list_none)}</p> }.into_any(),
                false => view! {
                    <ul class="hits">
                        {list.into_iter().map(|s| view! {
                            <li>
                                <a href=format!("/live/{}", s.id)><bdi>{s.title}</bdi></a>
                                " " <span class="muted small">{t!(i18n, session.list_starts, time = move || view! { <LocalTime at=s.starts_at /> })}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            {schedule}
        </section>
    }
}

#[component]
fn ScheduleForm(detail: DocumentDetail) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ScheduleLive>::new();
    let doc = detail.id.clone();
    let people = Resource::new(move || doc.clone(), session_people);
    let numbers: Vec<String> = detail
        .paragraphs
        .iter()
        .filter_map(|p| p.number.clone())
        .collect();
    let choices = move |name: &'static str, id: &'static str| {
        view! {
            <select id=id name=name>
                <option value="">{t!(i18n, session.schedule_nobody)}</option>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        people.await.unwrap_or_default().into_iter().map(|m| view! {
                            <option value=m.account>{m.display_name}</option>
                        }).collect_view()
                    })}
                </Suspense>
            </select>
        }
    };
    view! {
        <ActionForm action attr:class="stack schedule-form">
            <h2>{t!(i18n, session.schedule_legend)}</h2>
            <input type="hidden" name="doc" value=detail.id.clone() />
            <label for="s-title">{t!(i18n, session.schedule_title)}</label>
            <input id="s-title" name="title" type="text" required maxlength="200" />
            <label for="s-agenda">{t!(i18n, session.schedule_paragraphs)}</label>
            <p class="small muted" id="s-agenda-hint">{numbers.join(", ")}</p>
            <textarea id="s-agenda" name="agenda" rows="5" required aria-describedby="s-agenda-hint"
                placeholder=move || t_string!(i18n, session.schedule_questions).to_string()></textarea>
            <label for="s-facilitator">{t!(i18n, session.schedule_facilitator)}</label>
            {choices("facilitator", "s-facilitator")}
            <label for="s-rapporteur">{t!(i18n, session.schedule_rapporteur)}</label>
            {choices("rapporteur", "s-rapporteur")}
            <label for="s-poll">{t!(i18n, session.schedule_poll)}</label>
            <textarea id="s-poll" name="poll" rows="3"></textarea>
            {move || error_text(action.value().get()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="actions"><button type="submit" class="button primary">{t!(i18n, session.schedule_submit)}</button></div>
        </ActionForm>
    }
}

/// Every form of the session's page, so that any answer redraws the page with it.
#[derive(Clone, Copy)]
struct Actions {
    stance: ServerAction<LiveStance>,
    moved: ServerAction<LiveMove>,
    check: ServerAction<LiveCheck>,
    raise: ServerAction<LiveRaise>,
    settle: ServerAction<LiveSettle>,
    hands: ServerAction<LiveHands>,
    floor: ServerAction<LiveFloor>,
    point: ServerAction<LivePoint>,
    round: ServerAction<LivePollRound>,
    answer: ServerAction<LivePollAnswer>,
    /// The forms that take typed words or figures, emptied once the server took them (a
    /// rebuilt form keeps what was typed in it), so that a second click posts nothing twice.
    hands_form: NodeRef<leptos::html::Form>,
    floor_form: NodeRef<leptos::html::Form>,
    person_form: NodeRef<leptos::html::Form>,
    point_form: NodeRef<leptos::html::Form>,
}

impl Actions {
    fn new() -> Self {
        Self {
            stance: ServerAction::new(),
            moved: ServerAction::new(),
            check: ServerAction::new(),
            raise: ServerAction::new(),
            settle: ServerAction::new(),
            hands: ServerAction::new(),
            floor: ServerAction::new(),
            point: ServerAction::new(),
            round: ServerAction::new(),
            answer: ServerAction::new(),
            hands_form: NodeRef::new(),
            floor_form: NodeRef::new(),
            person_form: NodeRef::new(),
            point_form: NodeRef::new(),
        }
    }

    /// Each form's answer (the writer's own view of the session), as it comes, goes on screen.
    fn shown_in(self, shown: RwSignal<LiveSession>, mine: RwSignal<LiveSession>) {
        /// One effect per action: its answer goes on screen, and `form`, if named, is emptied.
        fn take<T>(
            action: ServerAction<T>,
            shown: RwSignal<LiveSession>,
            mine: RwSignal<LiveSession>,
            form: Option<NodeRef<leptos::html::Form>>,
        ) where
            T: leptos::server_fn::ServerFn<Output = LiveSession, Error = ServerFnError>
                + Clone
                + Send
                + Sync
                + 'static,
        {
            Effect::new(move |_| {
                if let Some(Ok(s)) = action.value().get() {
                    shown.set(s.clone());
                    mine.set(s);
                    #[cfg(feature = "hydrate")]
                    if let Some(f) = form.and_then(|f| f.get_untracked()) {
                        f.reset();
                    }
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = form;
            });
        }
        take(self.stance, shown, mine, None);
        take(self.moved, shown, mine, None);
        take(self.check, shown, mine, None);
        take(self.raise, shown, mine, Some(self.person_form));
        take(self.settle, shown, mine, None);
        take(self.hands, shown, mine, Some(self.hands_form));
        take(self.floor, shown, mine, Some(self.floor_form));
        take(self.point, shown, mine, Some(self.point_form));
        take(self.round, shown, mine, None);
        take(self.answer, shown, mine, None);
    }
}

/// A form of hidden fields and one button, posting to `action`.
macro_rules! button_form {
    ($action:expr, [$(($name:expr, $value:expr)),* $(,)?], $label:expr, $class:expr) => {{
        let fields: Vec<(&'static str, String)> = vec![$(($name, $value)),*];
        let label: String = $label;
        view! {
            <ActionForm action=$action attr:class="inline-form">
                {fields.into_iter().map(|(n, v)| view! { <input type="hidden" name=n value=v /> }).collect_view()}
                <button type="submit" class=$class>{label}</button>
            </ActionForm>
        }
        .into_any()
    }};
}

/// The refusal of a form's last answer, beside the form.
fn refusal<T>(action: ServerAction<T>) -> impl IntoView
where
    T: leptos::server_fn::ServerFn<Output = LiveSession, Error = ServerFnError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    move || {
        action.value().with(|v| match v {
            Some(Err(e)) => Some(view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e.clone())))}</p> }),
            _ => None,
        })
    }
}

/// `/live/{id}`: the session's page for everyone taking part, running or recording it.
#[component]
pub fn LiveSessionPage() -> impl IntoView {
    session_page(false)
}

/// `/live/{id}/projector`: the room's screen.
#[component]
pub fn ProjectorPage() -> impl IntoView {
    session_page(true)
}

/// The session `/live/{id}` names, on a participant's screen or the projector.
fn session_page(projector: bool) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let session = Resource::new(id, get_live_session);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(s)) => view! { <SessionScreen first=s projector /> }.into_any(),
                    Ok(None) => view! { <NotFound what="page".to_string() /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{error_text(Some(Err::<(), _>(e)))}</p> }.into_any(),
                }
            })}
        </Suspense>
        <Refresh i18n />
    }
}

/// Without JavaScript the page reloads itself; with it, the event stream keeps it current. The
/// browser reads a `<noscript>` as text when scripts run, so its content is written as markup,
/// which hydration does not walk.
#[component]
fn Refresh(i18n: I18n) -> impl IntoView {
    let words = t_string!(i18n, session.refreshes)
        .to_string()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let markup =
        format!(r#"<meta http-equiv="refresh" content="15"><p class="small muted">{words}</p>"#);
    view! { <noscript inner_html=markup></noscript> }
}

/// The session's view, kept current: the stream everyone follows, with the viewer's own part
/// from their last answer.
#[component]
fn SessionScreen(first: LiveSession, projector: bool) -> impl IntoView {
    let i18n = use_i18n();
    let mine = RwSignal::new(first.clone());
    let shown = RwSignal::new(first.clone());
    let connected = RwSignal::new(false);
    let actions = Actions::new();
    actions.shown_in(shown, mine);
    // Seconds since the epoch, ticking in the browser (the timers).
    #[cfg(feature = "ssr")]
    let now = RwSignal::new(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
    );
    #[cfg(not(feature = "ssr"))]
    let now = RwSignal::new(0i64);
    #[cfg(feature = "hydrate")]
    {
        now.set((js_sys::Date::now() / 1000.0) as i64);
        if let Ok(tick) = set_interval_with_handle(
            move || now.set((js_sys::Date::now() / 1000.0) as i64),
            std::time::Duration::from_secs(1),
        ) {
            on_cleanup(move || tick.clear());
        }
        let stop = follow(
            first.id.clone(),
            move |everyone| shown.set(everyone.seen_by(&mine.get_untracked())),
            move |up| connected.set(up),
        );
        on_cleanup(stop);
    }
    let query = use_query_map();
    let reading = move || query.read().get("item");
    // The forms are built from the session without what changes at every stance and hand, so
    // that one being filled in stays as it is while others act.
    let calm = Memo::new(move |_| shown.with(calm));
    if projector {
        return view! { <Projector shown now /> }.into_any();
    }
    let id = first.id.clone();
    let title = first.title.clone();
    view! {
        <Title text=move || t_string!(i18n, session.page_title, title = title.clone()).to_string() />
        <section class="live-page">
            <p class="crumbs"><a href=format!("/documents/{}", first.document)>{t!(i18n, session.back_to_document)}</a></p>
            <header class="live-header">
                <h1><bdi>{first.title.clone()}</bdi></h1>
                <p class="live-links">
                    <span class=move || if connected.get() { "status live" } else { "status" } role="status">
                        {move || if connected.get() { t_string!(i18n, session.following).to_string() } else { String::new() }}
                    </span>
                    <a class="button small" href=format!("/live/{id}/projector")>{t!(i18n, session.projector_link)}</a>
                </p>
            </header>
            <div class="live-layout">
                <div class="live-main">
                    {move || item_view(i18n, &shown.get(), reading(), actions, false)}
                    {move || check_view(i18n, &calm.get(), shown, reading(), actions, now)}
                    {move || poll_view(i18n, &calm.get(), actions)}
                </div>
                <aside class="live-side">
                    {move || queue_view(i18n, &shown.get(), actions, now)}
                    {move || agenda_view(i18n, &calm.get(), reading(), actions)}
                    {move || record_view(i18n, &calm.get(), reading(), actions)}
                    {move || points_view(i18n, &calm.get(), actions)}
                </aside>
            </div>
        </section>
    }
    .into_any()
}

/// The session without what changes at every stance, hand and poll answer: the checks'
/// figures, the queue and its suggestion, and the poll's movement while a round is open (shown
/// once it closes).
fn calm(s: &LiveSession) -> LiveSession {
    let mut c = s.clone();
    for check in &mut c.checks {
        check.figures = Default::default();
    }
    c.queue.clear();
    c.suggested = None;
    if c.poll.round.is_some() {
        for q in &mut c.poll.questions {
            q.movement.clear();
        }
    }
    c
}

/// The number of the item with `id` on the agenda, from 1.
fn number_of(s: &LiveSession, id: &str) -> Option<usize> {
    s.items.iter().position(|i| i.id == id).map(|n| n + 1)
}

fn kind_label(i18n: I18n, kind: ItemKind) -> String {
    match kind {
        ItemKind::Paragraph => t_string!(i18n, session.kind_paragraph),
        ItemKind::Amendment => t_string!(i18n, session.kind_amendment),
        ItemKind::Question => t_string!(i18n, session.kind_question),
    }
    .to_string()
}

/// The item on the screen: the one the session is on, or the one the reader chose to read.
fn item_view(
    i18n: I18n,
    s: &LiveSession,
    reading: Option<String>,
    _actions: Actions,
    large: bool,
) -> AnyView {
    let shown = reading.clone().or_else(|| s.current.clone());
    let Some(item) = shown.and_then(|id| s.items.iter().find(|i| i.id == id)) else {
        return view! { <p class="notice">{t!(i18n, session.no_current_item)}</p> }.into_any();
    };
    let total = s.items.len();
    let number = number_of(s, &item.id).unwrap_or(0);
    let elsewhere = reading.is_some() && s.current.as_deref() != Some(item.id.as_str());
    let back = elsewhere.then(|| {
        let current = s
            .current
            .as_deref()
            .and_then(|c| number_of(s, c))
            .unwrap_or(0);
        view! {
            <p class="notice">
                {t!(i18n, session.reading_elsewhere, number = current)} " "
                <a href=format!("/live/{}", s.id)>{t!(i18n, session.back_to_current)}</a>
            </p>
        }
    });
    let kind = item.kind;
    view! {
        {back}
        <article class=if large { "live-item large" } else { "live-item" } aria-labelledby="live-item-label">
            <p class="muted small" id="live-item-label">
                {t!(i18n, session.item_label, number = number, total = total)} " · " {kind_label(i18n, kind)}
            </p>
            <blockquote class="live-text" dir="auto">{item.text.clone()}</blockquote>
        </article>
    }
    .into_any()
}

/// The check on the shown item: the form to take a stance (built from `s`, the calm session)
/// and the figures as they come (from `shown`).
fn check_view(
    i18n: I18n,
    s: &LiveSession,
    shown: RwSignal<LiveSession>,
    reading: Option<String>,
    actions: Actions,
    now: RwSignal<i64>,
) -> AnyView {
    let item = reading.or_else(|| s.current.clone());
    let Some(check) = s
        .checks
        .iter()
        .rev()
        .find(|c| Some(&c.item) == item.as_ref())
        .cloned()
    else {
        return view! {
            <section class="live-check" aria-labelledby="check-h">
                <h2 id="check-h">{t!(i18n, session.check_heading)}</h2>
                <p class="muted">{t!(i18n, session.check_none)}</p>
            </section>
        }
        .into_any();
    };
    let open = check.closed_at.is_none();
    let form = (open && s.you.may_take_part).then(|| {
        let current = s.you.stance;
        let reason = kept_text::<LiveStance>(&[("check", &check.id)], "reason", String::new());
        let (live, check_id) = (s.id.clone(), check.id.clone());
        view! {
            <ActionForm action=actions.stance attr:class="stance-form live-stance">
                <input type="hidden" name="live" value=live />
                <input type="hidden" name="check" value=check_id />
                <fieldset>
                    <legend>{t!(i18n, session.stance_legend)}</legend>
                    {super::parts::stance_options(current, &[Stance::Support, Stance::CanLiveWith, Stance::Oppose])}
                </fieldset>
                <label for="live-reason" class="small">{t!(i18n, session.stance_reason)}</label>
                <textarea id="live-reason" name="reason" rows="2" maxlength="2000">{reason}</textarea>
                <label class="check-line small"><input type="checkbox" name="in_room" value="yes" />" " {t!(i18n, session.in_room)}</label>
                {refusal(actions.stance)}
                <button type="submit" class="button primary">
                    {match current {
                        Some(_) => t_string!(i18n, session.stance_change),
                        None => t_string!(i18n, session.stance_give),
                    }}
                </button>
                {current.map(|st| view! { <p class="small">{t!(i18n, session.your_stance, stance = words::stance(i18n, st))}</p> })}
            </ActionForm>
        }
        .into_any()
    });
    let sign_in = (open && !s.you.may_take_part).then(|| {
        let login = format!("/login?next=/live/{}", s.id);
        view! {
            <p class="notice small">
                {t!(i18n, session.sign_in_to_take_part)} " "
                <a href=login>{t!(i18n, session.sign_in_link)}</a>
            </p>
        }
    });
    let when = match check.closed_at {
        None => {
            let opened = check.opened_at;
            view! {
                <p class="small muted">
                    {t!(i18n, session.check_open_since, time = move || view! { <LocalTime at=opened /> })}
                    " " <span class="timer" data-since=opened>{move || clock(now.get() - opened)}</span>
                </p>
                {check.ends_at.map(|at| countdown(i18n, at, now))}
            }
            .into_any()
        }
        Some(at) => view! {
            <p class="small muted">{t!(i18n, session.check_closed_at, time = move || view! { <LocalTime at=at /> })}</p>
        }
        .into_any(),
    };
    view! {
        <section class="live-check" aria-labelledby="check-h">
            <h2 id="check-h">{t!(i18n, session.check_heading)}</h2>
            {when}
            {form}
            {sign_in}
            {move || {
                shown.with(|s| {
                    s.checks.iter().find(|c| c.id == check.id).map(|c| figures_view(i18n, c, false))
                })
            }}
        </section>
    }
    .into_any()
}

/// The facilitator's form opening a check on the current item, with a countdown to choose.
fn open_check_form(i18n: I18n, action: ServerAction<LiveCheck>, live: String) -> AnyView {
    let choices = [15u32, 30, 60, 120, 180, 300]
        .into_iter()
        .map(|s| view! { <option value=s.to_string()>{clock(i64::from(s))}</option> })
        .collect_view();
    view! {
        <ActionForm action=action attr:class="inline-form">
            <input type="hidden" name="live" value=live />
            <label class="small">{t!(i18n, session.run_countdown)} " "
                <select name="seconds">
                    <option value="">{t!(i18n, session.run_countdown_none)}</option>
                    {choices}
                </select>
            </label>
            " " <button type="submit" class="button small primary">{t!(i18n, session.run_open_check)}</button>
        </ActionForm>
    }
    .into_any()
}

/// A check's countdown: the time left, ticking with `now` (or with `reader.js` for a page
/// read without the app), then that the time is up. The facilitator still closes the check.
fn countdown(i18n: I18n, ends_at: i64, now: RwSignal<i64>) -> impl IntoView {
    let up = move || now.get() >= ends_at;
    view! {
        <p class="countdown" class:up=up role="timer" data-until=ends_at>
            <span class="left" hidden=up>
                {t!(i18n, session.time_left)} " " <span class="clock">{move || clock(ends_at - now.get())}</span>
            </span>
            <span class="over" hidden=move || !up()>{t!(i18n, session.time_up)}</span>
        </p>
    }
}

/// Minutes and seconds: "4:07".
fn clock(seconds: i64) -> String {
    let s = seconds.max(0);
    format!("{}:{:02}", s / 60, s % 60)
}

/// One tally as a bar in three parts (an SVG: the same drawn by the server and in the browser),
/// with its figures.
fn bar(i18n: I18n, label: String, t: Tally) -> impl IntoView {
    let total = t.total().max(1) as f64;
    let share = |n: u32| n as f64 * 100.0 / total;
    let (support, live_with, oppose) = (share(t.support), share(t.can_live_with), share(t.oppose));
    let words = format!(
        "{}: {} {}, {} {}, {} {}",
        label,
        words::stance(i18n, Stance::Support),
        t.support,
        words::stance(i18n, Stance::CanLiveWith),
        t.can_live_with,
        words::stance(i18n, Stance::Oppose),
        t.oppose
    );
    view! {
        <li class="tally-row">
            <span class="tally-label"><bdi>{label}</bdi></span>
            <svg class="tally-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label=words>
                <rect class="part support" x="0" y="0" height="10" width=format!("{support:.2}") />
                <rect class="part can-live-with" x=format!("{support:.2}") y="0" height="10" width=format!("{live_with:.2}") />
                <rect class="part oppose" x=format!("{:.2}", support + live_with) y="0" height="10" width=format!("{oppose:.2}") />
            </svg>
            <span class="tally-figures" aria-hidden="true">{t.support} " · " {t.can_live_with} " · " {t.oppose}</span>
        </li>
    }
}

/// A check's figures: the tally, where the stances came from, each stakeholder group and region,
/// and the objections' reasons.
fn figures_view(i18n: I18n, check: &Check, large: bool) -> impl IntoView {
    let f = check.figures.clone();
    let total = f.tally.total();
    let not_stated = || t_string!(i18n, consensus.not_stated).to_string();
    let sources = [
        (t_string!(i18n, session.source_online).to_string(), f.online),
        (t_string!(i18n, session.source_room).to_string(), f.room),
        (
            t_string!(i18n, session.source_recorded).to_string(),
            f.recorded,
        ),
    ];
    let groups: Vec<_> = f
        .by_group
        .iter()
        .filter(|g| g.tally.total() > 0)
        .map(|g| {
            (
                g.group.map_or_else(not_stated, |x| words::group(i18n, x)),
                g.tally,
            )
        })
        .collect();
    let regions: Vec<_> = f
        .by_region
        .iter()
        .filter(|r| r.tally.total() > 0)
        .map(|r| {
            (
                r.region.map_or_else(not_stated, |x| words::region(i18n, x)),
                r.tally,
            )
        })
        .collect();
    let reasons = f.reasons.clone();
    view! {
        <div class=if large { "figures large" } else { "figures" } aria-live="polite">
            <p class="tally-total">
                <span class="stance-figure support">{words::stance(i18n, Stance::Support)} " " <strong>{f.tally.support}</strong></span>
                <span class="stance-figure can-live-with">{words::stance(i18n, Stance::CanLiveWith)} " " <strong>{f.tally.can_live_with}</strong></span>
                <span class="stance-figure oppose">{words::stance(i18n, Stance::Oppose)} " " <strong>{f.tally.oppose}</strong></span>
                <span class="muted">{t!(i18n, session.figures_total, count = total)}</span>
            </p>
            <h3>{t!(i18n, session.figures_by_source)}</h3>
            <ul class="tally-rows">{sources.into_iter().map(|(l, t)| bar(i18n, l, t)).collect_view()}</ul>
            <h3>{t!(i18n, session.figures_by_group)}</h3>
            <ul class="tally-rows">{groups.into_iter().map(|(l, t)| bar(i18n, l, t)).collect_view()}</ul>
            <h3>{t!(i18n, session.figures_by_region)}</h3>
            <ul class="tally-rows">{regions.into_iter().map(|(l, t)| bar(i18n, l, t)).collect_view()}</ul>
            <h3>{t!(i18n, session.figures_reasons)}</h3>
            {match reasons.is_empty() {
                true => view! { <p class="muted small">{t!(i18n, session.figures_no_reasons)}</p> }.into_any(),
                false => view! {
                    <ul class="reasons">{reasons.into_iter().rev().map(|r| view! { <li dir="auto">{r}</li> }).collect_view()}</ul>
                }.into_any(),
            }}
        </div>
    }
}

fn source_label(i18n: I18n, source: Source) -> String {
    match source {
        Source::Online => t_string!(i18n, session.source_online),
        Source::Room => t_string!(i18n, session.source_room),
        Source::Recorded => t_string!(i18n, session.source_recorded),
    }
    .to_string()
}

/// Whoever runs the session gives `hand` the floor (`call`) or lowers it; its owner lowers it.
fn settle_form(i18n: I18n, actions: Actions, live: String, hand: String, call: bool) -> AnyView {
    let label = match call {
        true => t_string!(i18n, session.queue_call),
        false => t_string!(i18n, session.queue_lower),
    };
    match call {
        true => button_form!(
            actions.settle,
            [("live", live), ("hand", hand), ("call", "yes".to_string())],
            label.to_string(),
            "button small"
        ),
        false => button_form!(
            actions.settle,
            [("live", live), ("hand", hand)],
            label.to_string(),
            "button small"
        ),
    }
}

/// Who a hand is: "Ana Silva (Civil society, in the room)".
fn hand_words(i18n: I18n, h: &QueuedHand) -> String {
    let mut about = Vec::new();
    if let Some(g) = h.group {
        about.push(words::group(i18n, g));
    }
    about.push(source_label(i18n, h.source));
    format!("{} ({})", h.name, about.join(", "))
}

/// The speaking queue: who speaks, who waits (the suggested next marked), who spoke; one's own
/// hand to raise or lower; for whoever runs the session, the floor to give.
fn queue_view(i18n: I18n, s: &LiveSession, actions: Actions, now: RwSignal<i64>) -> impl IntoView {
    let speaking: Vec<QueuedHand> = s
        .queue
        .iter()
        .filter(|h| h.called_at.is_some() && h.lowered_at.is_none())
        .cloned()
        .collect();
    let waiting: Vec<QueuedHand> = s
        .queue
        .iter()
        .filter(|h| h.called_at.is_none() && h.lowered_at.is_none())
        .cloned()
        .collect();
    let spoke: Vec<QueuedHand> = s
        .queue
        .iter()
        .filter(|h| h.called_at.is_some() && h.lowered_at.is_some())
        .cloned()
        .collect();
    let runs = s.you.may_run;
    let live = s.id.clone();
    let settle = move |hand: &QueuedHand, call: bool| {
        settle_form(i18n, actions, live.clone(), hand.id.clone(), call)
    };
    let mine = s
        .queue
        .iter()
        .find(|h| h.yours && h.lowered_at.is_none())
        .cloned();
    let own_live = s.id.clone();
    let own = match (&mine, s.you.may_take_part) {
        (Some(h), _) if h.called_at.is_none() => Some(settle(h, false).into_any()),
        (None, true) => Some(
            view! {
                <ActionForm action=actions.raise attr:class="inline-form">
                    <input type="hidden" name="live" value=own_live />
                    <label class="check-line small"><input type="checkbox" name="in_room" value="yes" />" " {t!(i18n, session.in_room)}</label>
                    <button type="submit" class="button small primary">{t!(i18n, session.queue_raise)}</button>
                </ActionForm>
            }
            .into_any(),
        ),
        _ => None,
    };
    let suggested = s.suggested.clone();
    view! {
        <section class="live-queue" aria-labelledby="queue-h">
            <h2 id="queue-h">{t!(i18n, session.queue_heading)}</h2>
            {speaking.into_iter().map(|h| {
                let called = h.called_at.unwrap_or_default();
                view! {
                    <p class="speaking">
                        <strong>{t!(i18n, session.queue_speaking)}</strong> " " <bdi>{hand_words(i18n, &h)}</bdi> " "
                        <span class="timer" data-since=called>{move || clock(now.get() - called)}</span>
                        {runs.then(|| settle(&h, false))}
                    </p>
                }
            }).collect_view()}
            {match waiting.is_empty() {
                true => view! { <p class="muted small">{t!(i18n, session.queue_empty)}</p> }.into_any(),
                false => view! {
                    <h3>{t!(i18n, session.queue_waiting)}</h3>
                    <ol class="queue">
                        {waiting.into_iter().map(|h| {
                            let next = suggested.as_deref() == Some(h.id.as_str());
                            view! {
                                <li class=if next { "suggested" } else { "" }>
                                    <bdi>{hand_words(i18n, &h)}</bdi>
                                    {h.yours.then(|| view! { " " <span class="badge">{t!(i18n, session.queue_yours)}</span> })}
                                    {next.then(|| view! { " " <span class="small muted">{t!(i18n, session.queue_suggested)}</span> })}
                                    {runs.then(|| view! { {settle(&h, true)} {settle(&h, false)} })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
            {refusal(actions.raise)}
            {refusal(actions.settle)}
            {own}
            {(!spoke.is_empty()).then(|| view! {
                <details>
                    <summary>{t!(i18n, session.queue_spoke)}</summary>
                    <ul class="small">{spoke.into_iter().map(|h| view! { <li><bdi>{hand_words(i18n, &h)}</bdi></li> }).collect_view()}</ul>
                </details>
            })}
        </section>
    }
}

/// The agenda, each item a link to read it; for whoever runs the session, the buttons that put
/// an item on every screen and open or close its check, and the poll's rounds.
fn agenda_view(
    i18n: I18n,
    s: &LiveSession,
    reading: Option<String>,
    actions: Actions,
) -> impl IntoView {
    let runs = s.you.may_run;
    let open_check = s.checks.iter().find(|c| c.closed_at.is_none()).cloned();
    let live = s.id.clone();
    let items = s.items.iter().enumerate().map(|(n, item)| {
        let current = s.current.as_deref() == Some(item.id.as_str());
        let point = s.points.iter().any(|p| p.item == item.id);
        let read = reading.as_deref() == Some(item.id.as_str());
        let excerpt: String = match item.text.chars().count() > 80 {
            true => item.text.chars().take(79).chain(['…']).collect(),
            false => item.text.clone(),
        };
        let move_form = (runs && !current).then(|| {
            button_form!(
                actions.moved,
                [("live", live.clone()), ("item", item.id.clone())],
                t_string!(i18n, session.run_make_current).to_string(),
                "button small"
            )
        });
        view! {
            <li class=if current { "current" } else { "" } aria-current=(current).then_some("step")>
                <a href=format!("/live/{}?item={}", live, item.id) aria-current=read.then_some("page")>
                    {n + 1} ". " {kind_label(i18n, item.kind)}
                </a>
                {current.then(|| view! { " " <span class="badge live">{t!(i18n, session.agenda_current)}</span> })}
                {point.then(|| view! { " " <span class="badge">{t!(i18n, session.agenda_point)}</span> })}
                <p class="small muted" dir="auto">{excerpt}</p>
                {move_form}
            </li>
        }
    }).collect_view();
    let controls = runs.then(|| {
        let check_form = match (&open_check, &s.current) {
            (Some(c), _) => Some(button_form!(
                actions.check,
                [("live", s.id.clone()), ("check", c.id.clone())],
                t_string!(i18n, session.run_close_check).to_string(),
                "button small"
            )),
            (None, Some(_)) => Some(open_check_form(i18n, actions.check, s.id.clone())),
            (None, None) => None,
        };
        let round = |value: &'static str, label: String| {
            button_form!(
                actions.round,
                [("live", s.id.clone()), ("round", value.to_string())],
                label,
                "button small"
            )
        };
        let polls = (!s.poll.questions.is_empty()).then(|| match s.poll.round {
            None => view! {
                {round("before", t_string!(i18n, session.run_poll_before).to_string())}
                {round("after", t_string!(i18n, session.run_poll_after).to_string())}
            }
            .into_any(),
            Some(_) => round("", t_string!(i18n, session.run_poll_close).to_string()).into_any(),
        });
        view! {
            <div class="run-controls">
                <h3>{t!(i18n, session.run_heading)}</h3>
                {check_form}
                {polls}
                {refusal(actions.check)}
                {refusal(actions.moved)}
                {refusal(actions.round)}
            </div>
        }
    });
    view! {
        <section class="live-agenda" aria-labelledby="agenda-h">
            <h2 id="agenda-h">{t!(i18n, session.agenda_heading)}</h2>
            {controls}
            <ol class="agenda">{items}</ol>
        </section>
    }
}

/// The deliberative poll: the open round's questions to answer on the scale, and how opinions
/// moved.
fn poll_view(i18n: I18n, s: &LiveSession, actions: Actions) -> Option<impl IntoView> {
    if s.poll.questions.is_empty() {
        return None;
    }
    let round = s.poll.round;
    let heading = match round {
        Some(PollRound::Before) => t_string!(i18n, session.poll_round_before).to_string(),
        Some(PollRound::After) => t_string!(i18n, session.poll_round_after).to_string(),
        None => t_string!(i18n, session.poll_closed).to_string(),
    };
    let live = s.id.clone();
    let may = s.you.may_take_part;
    let questions = s.poll.questions.iter().enumerate().map(|(n, q)| {
        let yours = match round {
            Some(PollRound::Before) => q.yours_before,
            Some(PollRound::After) => q.yours_after,
            None => None,
        };
        let form = round.filter(|_| may).map(|r| {
            let name = format!("poll-{n}");
            let (live, question, text) = (live.clone(), q.id.clone(), q.text.clone());
            view! {
                <ActionForm action=actions.answer attr:class="poll-form">
                    <input type="hidden" name="live" value=live />
                    <input type="hidden" name="round" value=r.key() />
                    <input type="hidden" name="question" value=question />
                    <fieldset>
                        <legend dir="auto">{text}</legend>
                        <p class="small muted">{t!(i18n, session.poll_scale)}</p>
                        <div class="scale">
                            {(1..=POLL_SCALE).map(|v| view! {
                                <label><input type="radio" name="value" value=v.to_string() checked=yours == Some(v)
                                    id=format!("{name}-{v}") />{v}</label>
                            }).collect_view()}
                        </div>
                    </fieldset>
                    <button type="submit" class="button small">{t!(i18n, session.poll_answer)}</button>
                    {yours.map(|v| view! { <span class="small">" " {t!(i18n, session.poll_answered, value = v)}</span> })}
                </ActionForm>
            }
        });
        let moved = q.movement.iter().filter(|m| m.answered_both > 0).map(|m| {
            let who = match (m.everyone, m.group) {
                (true, _) => t_string!(i18n, session.poll_everyone).to_string(),
                (false, Some(g)) => words::group(i18n, g),
                (false, None) => t_string!(i18n, consensus.not_stated).to_string(),
            };
            let mean = |x: Option<f64>| x.map_or("–".to_string(), |v| format!("{v:.1}"));
            view! {
                <li><bdi>{who}</bdi> ": "
                    {t!(i18n, session.poll_moved, before = mean(m.mean_before), after = mean(m.mean_after), count = m.answered_both)}</li>
            }
        }).collect_view();
        let any_moved = q.movement.iter().any(|m| m.answered_both > 0);
        view! {
            <li class="poll-question">
                {match form {
                    Some(f) => f.into_any(),
                    None => view! { <p dir="auto"><strong>{q.text.clone()}</strong></p> }.into_any(),
                }}
                <h4 class="small">{t!(i18n, session.poll_movement)}</h4>
                {match any_moved {
                    true => view! { <ul class="small">{moved}</ul> }.into_any(),
                    false => view! { <p class="small muted">{t!(i18n, session.poll_no_movement)}</p> }.into_any(),
                }}
            </li>
        }
    }).collect_view();
    Some(view! {
        <section class="live-poll" aria-labelledby="poll-h">
            <h2 id="poll-h">{t!(i18n, session.poll_heading)}</h2>
            <p class="muted small">{heading}</p>
            {refusal(actions.answer)}
            <ol class="poll">{questions}</ol>
        </section>
    })
}

/// The rapporteur's forms: a show of hands for the open check, someone without a device in the
/// queue, a comment from the floor on the shown item.
fn record_view(
    i18n: I18n,
    s: &LiveSession,
    reading: Option<String>,
    actions: Actions,
) -> Option<impl IntoView> {
    if !s.you.may_record {
        return None;
    }
    let groups = move || {
        view! {
            <option value="">{t!(i18n, session.record_hands_unsaid)}</option>
            {StakeholderGroup::ALL.iter().map(|g| view! { <option value=g.key()>{words::group(i18n, *g)}</option> }).collect_view()}
        }
    };
    let open = s.checks.iter().find(|c| c.closed_at.is_none()).cloned();
    let live = s.id.clone();
    let hands_live = live.clone();
    let hands = open.map(|c| view! {
        <ActionForm action=actions.hands node_ref=actions.hands_form attr:class="stack record-form">
            <fieldset>
                <legend>{t!(i18n, session.record_hands_legend)}</legend>
                <input type="hidden" name="live" value=hands_live />
                <input type="hidden" name="check" value=c.id />
                <label for="h-group">{t!(i18n, session.record_hands_group)}</label>
                <select id="h-group" name="group">{groups()}</select>
                <label for="h-support">{words::stance(i18n, Stance::Support)}</label>
                <input id="h-support" name="support" type="number" min="0" max="10000" inputmode="numeric" />
                <label for="h-live">{words::stance(i18n, Stance::CanLiveWith)}</label>
                <input id="h-live" name="can_live_with" type="number" min="0" max="10000" inputmode="numeric" />
                <label for="h-oppose">{words::stance(i18n, Stance::Oppose)}</label>
                <input id="h-oppose" name="oppose" type="number" min="0" max="10000" inputmode="numeric" />
            </fieldset>
            {refusal(actions.hands)}
            <button type="submit" class="button small">{t!(i18n, session.record_hands_submit)}</button>
        </ActionForm>
    });
    let item = reading.or_else(|| s.current.clone());
    let floor_live = live.clone();
    let floor = item.map(|item| {
        let body = kept_text::<LiveFloor>(&[("item", &item)], "body", String::new());
        let live = floor_live;
        view! {
            <ActionForm action=actions.floor node_ref=actions.floor_form attr:class="stack record-form">
                <fieldset>
                    <legend>{t!(i18n, session.record_floor_legend)}</legend>
                    <input type="hidden" name="live" value=live />
                    <input type="hidden" name="item" value=item />
                    <label for="f-speaker">{t!(i18n, session.record_floor_speaker)}</label>
                    <input id="f-speaker" name="speaker" type="text" maxlength="200" />
                    <label for="f-group">{t!(i18n, session.record_hands_group)}</label>
                    <select id="f-group" name="group">{groups()}</select>
                    <label for="f-body">{t!(i18n, session.record_floor_body)}</label>
                    <textarea id="f-body" name="body" rows="3" required maxlength="2000">{body}</textarea>
                </fieldset>
                {refusal(actions.floor)}
                <button type="submit" class="button small">{t!(i18n, session.record_floor_submit)}</button>
            </ActionForm>
        }
    });
    Some(view! {
        <section class="live-record" aria-labelledby="record-h">
            <h2 id="record-h">{t!(i18n, session.record_heading)}</h2>
            {hands}
            <ActionForm action=actions.raise node_ref=actions.person_form attr:class="stack record-form">
                <fieldset>
                    <legend>{t!(i18n, session.record_person_legend)}</legend>
                    <input type="hidden" name="live" value=live />
                    <input type="hidden" name="in_room" value="yes" />
                    <label for="p-name">{t!(i18n, session.record_person_name)}</label>
                    <input id="p-name" name="name" type="text" required maxlength="200" />
                    <label for="p-group">{t!(i18n, session.record_hands_group)}</label>
                    <select id="p-group" name="group">{groups()}</select>
                </fieldset>
                <button type="submit" class="button small">{t!(i18n, session.record_person_submit)}</button>
            </ActionForm>
            {floor}
        </section>
    })
}

/// Points of consensus, comments from the floor, and a chair's form to mark a point.
fn points_view(i18n: I18n, s: &LiveSession, actions: Actions) -> impl IntoView {
    let number = |item: &str| number_of(s, item).unwrap_or(0);
    let points = s
        .points
        .iter()
        .map(|p| {
            let n = number(&p.item);
            view! { <li><strong>{t!(i18n, session.item_label, number = n, total = s.items.len())}</strong> " — " <span dir="auto">{p.reason.clone()}</span></li> }
        })
        .collect_view();
    let floor = s
        .floor
        .iter()
        .map(|f| {
            let who = match (&f.speaker, f.group) {
                (Some(name), Some(g)) => format!("{name} ({})", words::group(i18n, g)),
                (Some(name), None) => name.clone(),
                (None, Some(g)) => format!("{} ({})", t_string!(i18n, session.floor_anonymous), words::group(i18n, g)),
                (None, None) => t_string!(i18n, session.floor_anonymous).to_string(),
            };
            view! { <li><strong><bdi>{who}</bdi></strong> ": " <span dir="auto">{f.body.clone()}</span></li> }
        })
        .collect_view();
    // Chairs mark points (a named facilitator runs the session but does not).
    let marks = (s.you.may_run && s.you.part.is_none()).then(|| {
        let reason = kept_text::<LivePoint>(&[], "reason", String::new());
        let live = s.id.clone();
        let options: Vec<(String, String, bool)> = s
            .items
            .iter()
            .enumerate()
            .map(|(n, i)| {
                let label = format!("{}. {}", n + 1, kind_label(i18n, i.kind));
                (i.id.clone(), label, s.current.as_deref() == Some(i.id.as_str()))
            })
            .collect();
        view! {
            <ActionForm action=actions.point node_ref=actions.point_form attr:class="stack point-form">
                <fieldset>
                    <legend>{t!(i18n, session.run_point_legend)}</legend>
                    <input type="hidden" name="live" value=live />
                    <label for="pt-item">{t!(i18n, session.run_point_item)}</label>
                    <select id="pt-item" name="item">
                        {options.into_iter().map(|(id, label, selected)| view! {
                            <option value=id selected=selected>{label}</option>
                        }).collect_view()}
                    </select>
                    <label for="pt-reason">{t!(i18n, session.run_point_reason)}</label>
                    <textarea id="pt-reason" name="reason" rows="2" required maxlength="2000">{reason}</textarea>
                </fieldset>
                {refusal(actions.point)}
                <button type="submit" class="button small">{t!(i18n, session.run_point_submit)}</button>
            </ActionForm>
        }
    });
    view! {
        <section class="live-points" aria-labelledby="points-h">
            <h2 id="points-h">{t!(i18n, session.points_heading)}</h2>
            {match s.points.is_empty() {
                true => view! { <p class="muted small">{t!(i18n, session.points_none)}</p> }.into_any(),
                false => view! { <ul>{points}</ul> }.into_any(),
            }}
            {marks}
            {(!s.floor.is_empty()).then(|| view! {
                <h3>{t!(i18n, session.floor_heading)}</h3>
                <ul class="small">{floor}</ul>
            })}
        </section>
    }
}

/// The projector: the item large, the open check's figures as they come, who speaks.
#[component]
fn Projector(shown: RwSignal<LiveSession>, now: RwSignal<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let title = shown.with_untracked(|s| s.title.clone());
    view! {
        <Title text=move || t_string!(i18n, session.projector_title, title = title.clone()).to_string() />
        <section class="projector">
            {move || {
                let s = shown.get();
                let check = s.current.as_ref().and_then(|c| s.checks.iter().rev().find(|k| &k.item == c)).cloned();
                let speaking = s.queue.iter().find(|h| h.called_at.is_some() && h.lowered_at.is_none()).cloned();
                view! {
                    <h1 class="projector-title"><bdi>{s.title.clone()}</bdi></h1>
                    {item_view(i18n, &s, None, Actions::new(), true)}
                    {check.map(|c| {
                        let opened = c.opened_at;
                        let open = c.closed_at.is_none();
                        let ends = c.ends_at.filter(|_| open);
                        view! {
                            {open.then(|| view! {
                                <p class="projector-timer">{t!(i18n, session.projector_open_for)} " "
                                    <span class="timer" data-since=opened>{move || clock(now.get() - opened)}</span></p>
                            })}
                            {ends.map(|at| countdown(i18n, at, now))}
                            {figures_view(i18n, &c, true)}
                        }
                    })}
                    {speaking.map(|h| {
                        let called = h.called_at.unwrap_or_default();
                        view! {
                            <p class="projector-speaking">{t!(i18n, session.projector_speaking)} ": " <bdi>{hand_words(i18n, &h)}</bdi> " "
                                <span class="timer" data-since=called>{move || clock(now.get() - called)}</span></p>
                        }
                    })}
                }
            }}
        </section>
    }
}

/// Follows session `id`'s event stream: `on_session` gets the session as everyone sees it at
/// every change, `on_state` whether the stream is up. The browser reconnects by itself.
/// Returns the function that stops it (for `on_cleanup`).
#[cfg(feature = "hydrate")]
fn follow(
    id: String,
    on_session: impl Fn(LiveSession) + 'static,
    on_state: impl Fn(bool) + 'static,
) -> impl FnOnce() + Send + Sync + 'static {
    use std::{cell::RefCell, collections::HashMap, rc::Rc};
    use wasm_bindgen::{prelude::*, JsCast};

    type Handlers = Vec<Closure<dyn FnMut(web_sys::Event)>>;
    thread_local! {
        static FOLLOWING: RefCell<HashMap<u32, (web_sys::EventSource, Handlers)>> =
            RefCell::new(HashMap::new());
        static NEXT: RefCell<u32> = const { RefCell::new(0) };
    }
    let key = NEXT.with(|n| {
        let mut n = n.borrow_mut();
        *n += 1;
        *n
    });
    if let Ok(source) = web_sys::EventSource::new(&format!("/api/v1/live/{id}/events")) {
        let on_state = Rc::new(on_state);
        let up = on_state.clone();
        let opened = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| up(true));
        let down = on_state.clone();
        let failed = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| down(false));
        let message = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            let data = e
                .dyn_ref::<web_sys::MessageEvent>()
                .and_then(|m| m.data().as_string());
            if let Some(s) = data.and_then(|d| serde_json::from_str::<LiveSession>(&d).ok()) {
                on_session(s);
            }
        });
        source.set_onopen(Some(opened.as_ref().unchecked_ref()));
        source.set_onerror(Some(failed.as_ref().unchecked_ref()));
        let _ =
            source.add_event_listener_with_callback("session", message.as_ref().unchecked_ref());
        FOLLOWING.with(|f| {
            f.borrow_mut()
                .insert(key, (source, vec![opened, failed, message]))
        });
    }
    move || {
        if let Some((source, _)) = FOLLOWING.with(|f| f.borrow_mut().remove(&key)) {
            source.close();
        }
    }
}

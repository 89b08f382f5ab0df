//! Accord's server: a thin axum binary around the app crate. It owns SQL (`store`), sockets
//! (`ws`, `rooms`) and files; what it decides about a document it asks `domain`.

// The pages' view types nest deeply; checking that their futures are `Send` needs the room.
#![recursion_limit = "256"]

pub mod accounts;
pub mod amendments;
pub mod archive;
pub mod auth;
pub mod documents;
pub mod docx;
pub mod endorsements;
pub mod error;
pub mod feedback;
pub mod feedback_store;
pub mod http;
pub mod people;
pub mod phases;
pub mod record;
pub mod relay;
pub mod report;
pub mod rooms;
pub mod seed;
pub mod store;
pub mod versions;
pub mod ws;

use std::sync::Arc;

use app::{
    backend::{AmendmentWrite, Backend, BackendError, BackendHandle, BoxFuture, FeedbackWrite},
    ui::{shell, App},
};
use axum::{extract::FromRef, Router};
use domain::{
    api::{
        AmendmentFilter, AmendmentView, CreateDocument, CreateGroup, CreateInvitation, Created,
        DocumentDetail, DocumentFeedback, DocumentSummary, Group, GroupPage, InvitationCreated,
        Login, Me, MembershipView, ProfileUpdate, Register, Role, SetPhase, Thread,
    },
    api::{Comparison, Endorse, NewVersion, ParagraphHistory, Version, VersionSummary},
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};

use crate::{error::ApiError, rooms::Rooms, store::Store};

#[derive(Clone)]
pub struct AppState {
    pub rooms: Rooms,
    pub leptos: LeptosOptions,
    pub auth: auth::Auth,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos.clone()
    }
}

impl AppState {
    pub fn new(store: Store, leptos: LeptosOptions) -> Self {
        Self::with_clock(store, leptos, auth::system_clock())
    }

    /// A state whose notion of "now" is `clock` (tests move time by hand).
    pub fn with_clock(store: Store, leptos: LeptosOptions, clock: auth::Clock) -> Self {
        Self {
            rooms: Rooms::new(store),
            leptos,
            auth: auth::Auth::new(clock),
        }
    }
}

/// The pages' view of the server: the same rules as the API, for the requester the headers
/// name.
struct PageBackend(AppState);

fn backend_error(e: ApiError) -> BackendError {
    match e {
        ApiError::NotFound(m) => BackendError::NotFound(m),
        ApiError::Internal(cause) => {
            tracing::error!("page backend: {cause}");
            BackendError::Internal
        }
        other => BackendError::Invalid(other.to_string()),
    }
}

impl PageBackend {
    /// Runs `f` for the requester `headers` name, with errors in the words a page may show.
    fn as_requester<'a, T, Fut>(
        &'a self,
        headers: axum::http::HeaderMap,
        f: impl FnOnce(&'a AppState, auth::Principal) -> Fut + Send + 'a,
    ) -> BoxFuture<'a, Result<T, BackendError>>
    where
        Fut: std::future::Future<Output = Result<T, ApiError>> + Send + 'a,
        T: 'a,
    {
        Box::pin(async move {
            let address = headers
                .get(auth::CLIENT_ADDRESS_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("page")
                .to_string();
            let who = auth::Principal::from_headers(&self.0, &headers, address)
                .await
                .map_err(backend_error)?;
            f(&self.0, who).await.map_err(backend_error)
        })
    }
}

type Headers = axum::http::HeaderMap;

impl Backend for PageBackend {
    fn list_documents(&self) -> BoxFuture<'_, Result<Vec<DocumentSummary>, BackendError>> {
        Box::pin(async move { documents::list(&self.0.rooms).await.map_err(backend_error) })
    }

    fn document(
        &self,
        h: Headers,
        id: String,
    ) -> BoxFuture<'_, Result<DocumentDetail, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            documents::detail_for(s, &who, &id).await
        })
    }

    fn create_document(
        &self,
        h: Headers,
        req: CreateDocument,
    ) -> BoxFuture<'_, Result<Created, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            documents::create_as(s, &who, req).await
        })
    }

    fn me(&self, h: Headers) -> BoxFuture<'_, Result<Option<Me>, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            match who.account_id() {
                None => Ok(None),
                Some(id) => Ok(s.rooms.store().me(id).await?),
            }
        })
    }

    fn login(&self, h: Headers, login: Login) -> BoxFuture<'_, Result<String, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            Ok(people::login(s, &who, login).await?.1)
        })
    }

    fn register(&self, h: Headers, r: Register) -> BoxFuture<'_, Result<String, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            Ok(people::register(s, &who, r).await?.1)
        })
    }

    fn logout(&self, h: Headers) -> BoxFuture<'_, Result<String, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            people::logout(s, &who).await?;
            Ok(s.auth.clear_cookie())
        })
    }

    fn update_profile(
        &self,
        h: Headers,
        u: ProfileUpdate,
    ) -> BoxFuture<'_, Result<Me, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            people::update_profile(s, &who, u).await
        })
    }

    fn group_page(
        &self,
        h: Headers,
        group: String,
    ) -> BoxFuture<'_, Result<GroupPage, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            people::group_page(s, &who, &group).await
        })
    }

    fn create_group(
        &self,
        h: Headers,
        g: CreateGroup,
    ) -> BoxFuture<'_, Result<Group, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            people::create_group(s, &who, g).await
        })
    }

    fn invite(
        &self,
        h: Headers,
        group: String,
        inv: CreateInvitation,
    ) -> BoxFuture<'_, Result<InvitationCreated, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            people::create_invitation(s, &who, &group, inv).await
        })
    }

    fn revoke_invitation(
        &self,
        h: Headers,
        group: String,
        invitation: String,
    ) -> BoxFuture<'_, Result<(), BackendError>> {
        self.as_requester(h, move |s, who| async move {
            people::revoke_invitation(s, &who, &group, &invitation).await
        })
    }

    fn set_role(
        &self,
        h: Headers,
        group: String,
        account: String,
        role: Role,
    ) -> BoxFuture<'_, Result<(), BackendError>> {
        self.as_requester(h, move |s, who| async move {
            people::set_role(s, &who, &group, &account, role).await
        })
    }

    fn accept_invitation(
        &self,
        h: Headers,
        token: String,
    ) -> BoxFuture<'_, Result<MembershipView, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            people::accept_invitation_view(s, &who, &token).await
        })
    }

    fn feedback(
        &self,
        h: Headers,
        doc: String,
    ) -> BoxFuture<'_, Result<DocumentFeedback, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            feedback::document_feedback(s, &who, &doc).await
        })
    }

    fn thread(
        &self,
        h: Headers,
        doc: String,
        paragraph: String,
    ) -> BoxFuture<'_, Result<Thread, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            feedback::thread(s, &who, &doc, &paragraph).await
        })
    }

    fn write_feedback(
        &self,
        h: Headers,
        doc: String,
        write: FeedbackWrite,
    ) -> BoxFuture<'_, Result<(), BackendError>> {
        self.as_requester(h, move |s, who| async move {
            let (who, doc) = (&who, doc.as_str());
            match write {
                FeedbackWrite::Comment { paragraph, comment } => {
                    feedback::comment(s, who, doc, &paragraph, comment).await?;
                }
                FeedbackWrite::Edit { comment, edit } => {
                    feedback::edit_comment(s, who, doc, comment, edit).await?;
                }
                FeedbackWrite::Stance { paragraph, stance } => {
                    feedback::set_stance(s, who, doc, &paragraph, stance).await?;
                }
                FeedbackWrite::RespondToComment { comment, respond } => {
                    let target = feedback_store::Target::Comment(comment);
                    feedback::respond(s, who, doc, target, respond).await?;
                }
                FeedbackWrite::RespondToObjection { objection, respond } => {
                    let target = feedback_store::Target::Objection(objection);
                    feedback::respond(s, who, doc, target, respond).await?;
                }
                FeedbackWrite::Hide { comment, hide } => {
                    feedback::hide(s, who, doc, comment, hide).await?;
                }
            }
            Ok(())
        })
    }

    fn amendments(
        &self,
        h: Headers,
        doc: String,
        filter: AmendmentFilter,
    ) -> BoxFuture<'_, Result<Vec<AmendmentView>, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            amendments::list(s, &who, &doc, filter).await
        })
    }

    fn set_phase(
        &self,
        h: Headers,
        doc: String,
        phase: SetPhase,
    ) -> BoxFuture<'_, Result<(), BackendError>> {
        self.as_requester(h, move |s, who| async move {
            phases::set(s, &who, &doc, phase).await?;
            Ok(())
        })
    }

    fn versions(
        &self,
        h: Headers,
        doc: String,
    ) -> BoxFuture<'_, Result<Vec<VersionSummary>, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            versions::list(s, &who, &doc).await
        })
    }

    fn version(
        &self,
        h: Headers,
        doc: String,
        name: String,
    ) -> BoxFuture<'_, Result<Version, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            versions::get(s, &who, &doc, &name).await
        })
    }

    fn compare(
        &self,
        h: Headers,
        doc: String,
        from: String,
        to: String,
    ) -> BoxFuture<'_, Result<Comparison, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            versions::compare(s, &who, &doc, &from, &to).await
        })
    }

    fn cut_version(
        &self,
        h: Headers,
        doc: String,
        version: NewVersion,
    ) -> BoxFuture<'_, Result<(), BackendError>> {
        self.as_requester(h, move |s, who| async move {
            versions::cut(s, &who, &doc, version).await?;
            Ok(())
        })
    }

    fn paragraph_history(
        &self,
        h: Headers,
        doc: String,
        paragraph: String,
    ) -> BoxFuture<'_, Result<ParagraphHistory, BackendError>> {
        self.as_requester(h, move |s, who| async move {
            versions::history(s, &who, &doc, &paragraph).await
        })
    }

    fn endorse(
        &self,
        h: Headers,
        doc: String,
        endorse: Option<Endorse>,
    ) -> BoxFuture<'_, Result<(), BackendError>> {
        self.as_requester(h, move |s, who| async move {
            match endorse {
                Some(e) => endorsements::endorse(s, &who, &doc, e).await?,
                None => endorsements::withdraw(s, &who, &doc).await?,
            };
            Ok(())
        })
    }

    fn write_amendment(
        &self,
        h: Headers,
        doc: String,
        write: AmendmentWrite,
    ) -> BoxFuture<'_, Result<(), BackendError>> {
        self.as_requester(h, move |s, who| async move {
            match write {
                AmendmentWrite::Propose(n) => amendments::propose(s, &who, &doc, n).await?,
                AmendmentWrite::Decide { amendment, decide } => {
                    amendments::decide(s, &who, &doc, amendment, decide).await?
                }
                AmendmentWrite::Withdraw { amendment } => {
                    amendments::withdraw(s, &who, &doc, amendment).await?
                }
                AmendmentWrite::Sponsor { amendment } => {
                    amendments::sponsor(s, &who, &doc, amendment).await?
                }
                AmendmentWrite::Stance { amendment, stance } => {
                    amendments::set_stance(s, &who, &doc, amendment, stance).await?
                }
            };
            Ok(())
        })
    }
}

/// The whole HTTP surface: the JSON API, the sync WebSocket, server-rendered pages and assets.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let backend = BackendHandle(Arc::new(PageBackend(state.clone())));
    let options = state.leptos.clone();
    http::routes()
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(backend.clone());
                // A fresh nonce per page for the Content-Security-Policy (see `app::ui::shell`).
                leptos::nonce::provide_nonce();
            },
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::csrf_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::stamp_client_address,
        ))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

/// Headers every response carries. Pages also get a Content-Security-Policy with a per-request
/// nonce, set where the page is rendered (`app::ui::shell`).
async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    resp
}

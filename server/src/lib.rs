//! Accord's server: a thin axum binary around the app crate. It owns SQL (`store`), sockets
//! (`ws`, `rooms`) and files; what it decides about a document it asks `app::model`.

pub mod accounts;
pub mod auth;
pub mod documents;
pub mod error;
pub mod http;
pub mod people;
pub mod relay;
pub mod rooms;
pub mod seed;
pub mod store;
pub mod ws;

use std::sync::Arc;

use app::{
    api::{
        CreateDocument, CreateGroup, CreateInvitation, Created, DocumentDetail, DocumentSummary,
        Group, GroupPage, InvitationCreated, Login, Me, MembershipView, Register, Role,
    },
    backend::{Backend, BackendError, BackendHandle, BoxFuture},
    ui::{shell, App},
};
use axum::{extract::FromRef, Router};
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
    async fn principal(
        &self,
        headers: &axum::http::HeaderMap,
    ) -> Result<auth::Principal, ApiError> {
        auth::Principal::from_headers(&self.0, headers, "page".into()).await
    }
}

impl Backend for PageBackend {
    fn list_documents(&self) -> BoxFuture<'_, Result<Vec<DocumentSummary>, BackendError>> {
        Box::pin(async move { documents::list(&self.0.rooms).await.map_err(backend_error) })
    }

    fn document(
        &self,
        headers: axum::http::HeaderMap,
        id: String,
    ) -> BoxFuture<'_, Result<DocumentDetail, BackendError>> {
        Box::pin(async move {
            let who = self.principal(&headers).await.map_err(backend_error)?;
            documents::detail_for(&self.0, &who, &id)
                .await
                .map_err(backend_error)
        })
    }

    fn create_document(
        &self,
        headers: axum::http::HeaderMap,
        req: CreateDocument,
    ) -> BoxFuture<'_, Result<Created, BackendError>> {
        Box::pin(async move {
            let who = self.principal(&headers).await.map_err(backend_error)?;
            documents::create_as(&self.0, &who, req)
                .await
                .map_err(backend_error)
        })
    }

    fn me(
        &self,
        headers: axum::http::HeaderMap,
    ) -> BoxFuture<'_, Result<Option<Me>, BackendError>> {
        Box::pin(async move {
            let who = self.principal(&headers).await.map_err(backend_error)?;
            match &who.account {
                None => Ok(None),
                Some(a) => self
                    .0
                    .rooms
                    .store()
                    .me(&a.id)
                    .await
                    .map_err(|e| backend_error(e.into())),
            }
        })
    }

    fn login(
        &self,
        headers: axum::http::HeaderMap,
        login: Login,
    ) -> BoxFuture<'_, Result<String, BackendError>> {
        Box::pin(async move {
            let who = self.principal(&headers).await.map_err(backend_error)?;
            people::login(&self.0, &who, login)
                .await
                .map(|(_, c)| c)
                .map_err(backend_error)
        })
    }

    fn register(
        &self,
        headers: axum::http::HeaderMap,
        r: Register,
    ) -> BoxFuture<'_, Result<String, BackendError>> {
        Box::pin(async move {
            let who = self.principal(&headers).await.map_err(backend_error)?;
            people::register(&self.0, &who, r)
                .await
                .map(|(_, c)| c)
                .map_err(backend_error)
        })
    }

    fn group_page(
        &self,
        headers: axum::http::HeaderMap,
        group: String,
    ) -> BoxFuture<'_, Result<GroupPage, BackendError>> {
        Box::pin(async move {
            let who = self.principal(&headers).await.map_err(backend_error)?;
            people::group_page(&self.0, &who, &group)
                .await
                .map_err(backend_error)
        })
    }

    fn create_group(
        &self,
        headers: axum::http::HeaderMap,
        g: CreateGroup,
    ) -> BoxFuture<'_, Result<Group, BackendError>> {
        Box::pin(async move {
            let who = self.principal(&headers).await.map_err(backend_error)?;
            people::create_group(&self.0, &who, g)
                .await
                .map_err(backend_error)
        })
    }

    fn invite(
        &self,
        headers: axum::http::HeaderMap,
        group: String,
        inv: CreateInvitation,
    ) -> BoxFuture<'_, Result<InvitationCreated, BackendError>> {
        Box::pin(async move {
            let who = self.principal(&headers).await.map_err(backend_error)?;
            people::create_invitation(&self.0, &who, &group, inv)
                .await
                .map_err(backend_error)
        })
    }

    fn revoke_invitation(
        &self,
        headers: axum::http::HeaderMap,
        group: String,
        invitation: String,
    ) -> BoxFuture<'_, Result<(), BackendError>> {
        Box::pin(async move {
            let who = self.principal(&headers).await.map_err(backend_error)?;
            people::revoke_invitation(&self.0, &who, &group, &invitation)
                .await
                .map_err(backend_error)
        })
    }

    fn set_role(
        &self,
        headers: axum::http::HeaderMap,
        group: String,
        account: String,
        role: Role,
    ) -> BoxFuture<'_, Result<(), BackendError>> {
        Box::pin(async move {
            let who = self.principal(&headers).await.map_err(backend_error)?;
            people::set_role(&self.0, &who, &group, &account, role)
                .await
                .map_err(backend_error)
        })
    }

    fn accept_invitation(
        &self,
        headers: axum::http::HeaderMap,
        token: String,
    ) -> BoxFuture<'_, Result<MembershipView, BackendError>> {
        Box::pin(async move {
            let who = self.principal(&headers).await.map_err(backend_error)?;
            people::accept_invitation_view(&self.0, &who, &token)
                .await
                .map_err(backend_error)
        })
    }

    fn logout(
        &self,
        headers: axum::http::HeaderMap,
    ) -> BoxFuture<'_, Result<String, BackendError>> {
        Box::pin(async move {
            let who = self.principal(&headers).await.map_err(backend_error)?;
            people::logout(&self.0, &who).await.map_err(backend_error)?;
            Ok(self.0.auth.clear_cookie())
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

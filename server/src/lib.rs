//! Accord's server: a thin axum binary around the app crate. It owns SQL (`store`), sockets
//! (`ws`, `rooms`) and files; what it decides about a document it asks `app::model`.

pub mod documents;
pub mod error;
pub mod http;
pub mod relay;
pub mod rooms;
pub mod seed;
pub mod store;
pub mod ws;

use std::sync::Arc;

use app::{
    api::{CreateDocument, Created, DocumentDetail, DocumentSummary},
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
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos.clone()
    }
}

impl AppState {
    pub fn new(store: Store, leptos: LeptosOptions) -> Self {
        Self {
            rooms: Rooms::new(store),
            leptos,
        }
    }
}

/// The pages' view of the server.
struct PageBackend(Rooms);

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

impl Backend for PageBackend {
    fn list_documents(&self) -> BoxFuture<'_, Result<Vec<DocumentSummary>, BackendError>> {
        Box::pin(async move { documents::list(&self.0).await.map_err(backend_error) })
    }

    fn document(&self, id: String) -> BoxFuture<'_, Result<DocumentDetail, BackendError>> {
        Box::pin(async move { documents::detail(&self.0, &id).await.map_err(backend_error) })
    }

    fn create_document(&self, req: CreateDocument) -> BoxFuture<'_, Result<Created, BackendError>> {
        Box::pin(async move { documents::create(&self.0, req).await.map_err(backend_error) })
    }
}

/// The whole HTTP surface: the JSON API, the sync WebSocket, server-rendered pages and assets.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let backend = BackendHandle(Arc::new(PageBackend(state.rooms.clone())));
    let options = state.leptos.clone();
    http::routes()
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(backend.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

//! Accord's server: the HTTP and WebSocket edges around the core and the pages. It turns
//! requests into calls of `accord_core` (the JSON API in `http`, the sync socket in `ws`),
//! serves the pages of `app` with the core in their context, and adds the headers and guards
//! every response and request needs.

// The pages' view types nest deeply; checking that their futures are `Send` needs the room.
#![recursion_limit = "256"]

pub mod auth;
pub mod error;
pub mod http;
pub mod kept;
pub mod language;
pub mod listen;
pub mod params;
pub mod ws;

use accord_core::{auth as core_auth, store::Store, Accord};
use app::ui::{shell, App};
use axum::{extract::FromRef, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};

/// The router's state: the core, and the options the pages are rendered with.
#[derive(Clone)]
pub struct AppState {
    pub core: Accord,
    pub leptos: LeptosOptions,
}

impl std::ops::Deref for AppState {
    type Target = Accord;
    fn deref(&self) -> &Accord {
        &self.core
    }
}

impl std::ops::DerefMut for AppState {
    fn deref_mut(&mut self) -> &mut Accord {
        &mut self.core
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos.clone()
    }
}

impl AppState {
    pub fn new(store: Store, leptos: LeptosOptions) -> Self {
        Self::with_clock(store, leptos, core_auth::system_clock())
    }

    /// A state whose notion of "now" is `clock` (tests move time by hand).
    pub fn with_clock(store: Store, leptos: LeptosOptions, clock: core_auth::Clock) -> Self {
        Self {
            core: Accord::with_clock(store, clock),
            leptos,
        }
    }
}

/// The longest one request may take to be answered (a WebSocket's life is not a request's).
pub const REQUEST_TIME: std::time::Duration = std::time::Duration::from_secs(60);

/// The whole HTTP surface: the JSON API, the sync WebSocket, server-rendered pages and assets.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let core = state.core.clone();
    let options = state.leptos.clone();
    http::routes()
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(core.clone());
                // A fresh nonce per page for the Content-Security-Policy (see `app::ui::shell`).
                leptos::nonce::provide_nonce();
            },
            move || shell(options.clone()),
        )
        .nest_service("/pkg", static_files(&state.leptos))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            kept::keep_refused_forms,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::csrf_guard,
        ))
        // Outside the guard, so that its refusal too is said in the asker's language.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            language::speak_their_language,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::stamp_client_address,
        ))
        .layer(axum::middleware::from_fn(security_headers))
        // However slowly a client sends its body, answering one request ends in time.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIME,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

/// The built bundle, stylesheet and scripts (`/pkg`), served as built: brotli or gzip copies made
/// at build time (no compressing per request). Their names carry their content's hash when
/// `hash_files` is on, so a browser keeps them for a year without asking again; otherwise it
/// asks each time whether they changed.
fn static_files(options: &LeptosOptions) -> Router {
    use axum::http::{header, HeaderValue};
    let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let cache = HeaderValue::from_static(match options.hash_files {
        true => "public, max-age=31536000, immutable",
        false => "no-cache",
    });
    Router::new()
        .fallback_service(
            tower_http::services::ServeDir::new(dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        // Only what was found is kept: a missing file may exist after the next deployment.
        .layer(axum::middleware::map_response(
            move |mut resp: axum::response::Response| {
                let cache = cache.clone();
                async move {
                    if resp.status().is_success() || resp.status().is_redirection() {
                        let h = resp.headers_mut();
                        h.insert(header::CACHE_CONTROL, cache);
                        // Whichever copy was sent, a cache must ask by the encodings accepted.
                        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
                    }
                    resp
                }
            },
        ))
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

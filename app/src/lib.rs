//! Accord's pages: the Leptos UI that renders on the server and hydrates in the browser. The
//! domain and the wire types are the `domain` crate's.

// The document page's view type is deep; Leptos's typed views need more than the default.
#![recursion_limit = "256"]

pub mod refusals;
#[cfg(feature = "ssr")]
pub mod serve;
pub mod ui;

/// The browser's entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A document opened once loads again offline (public/sw.js); the editor keeps what is typed.
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().service_worker().register("/sw.js");
    }
    leptos::mount::hydrate_body(ui::App);
}

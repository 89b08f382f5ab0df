//! Accord's application: the pure domain model, the wire types, and the Leptos UI that renders on
//! the server and hydrates in the browser.

// The document page's view type is deep; Leptos's typed views need more than the default.
#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod model;
pub mod ui;

/// The browser's entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(ui::App);
}

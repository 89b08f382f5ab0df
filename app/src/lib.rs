//! Accord's application: the pure domain model, the wire types, and the Leptos UI that renders on
//! the server and hydrates in the browser.

pub mod model;

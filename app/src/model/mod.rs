//! The domain, pure: the document schema over automerge, paragraph operations, numbering and
//! Markdown. Nothing here knows Leptos, HTTP, SQL or the clock; it compiles for wasm32 and native.

pub mod document;
pub mod limits;
pub mod markdown;
pub mod numbering;
pub mod order;
pub mod policy;
pub mod profile;

pub use document::{Outline, Paragraph, ParagraphKind};

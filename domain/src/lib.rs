//! The domain, pure: the document schema over automerge, paragraph operations, numbering,
//! Markdown, the rules that read no state, and the wire types (`api`). Nothing here knows Leptos,
//! HTTP, SQL or the clock; it compiles for wasm32 and native.

/// A closed set of choices with a stable key (wire and storage) and the words shown to people.
macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal / $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $(#[serde(rename = $key)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable key used on the wire and in storage.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// The words shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(key: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.key() == key)
            }
        }
    };
}

pub mod amendment;
pub mod anchor;
pub mod api;
pub mod bursts;
pub mod charts;
pub mod compare;
pub mod consensus;
pub mod diff;
pub mod document;
pub mod export;
pub mod limits;
pub mod markdown;
pub mod notice;
pub mod numbering;
pub mod order;
pub mod phase;
pub mod policy;
pub mod profile;
pub mod record;
pub mod refusal;
pub mod report;
pub mod rules;
pub mod search;
pub mod series;
pub mod session;
pub mod time;
pub mod undo;

pub use document::{Outline, Paragraph, ParagraphKind};

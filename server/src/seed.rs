//! First-start content: a demo group and the sample draft, so that a new installation has
//! something to open.

use app::api::CreateDocument;

use crate::{documents, error::ApiError, rooms::Rooms};

/// The sample draft shipped with the repository.
pub const SAMPLE_DRAFT: &str = include_str!("../../samples/written-outputs-draft.md");

/// Seeds an empty database; does nothing when any group exists.
pub async fn seed_if_empty(rooms: &Rooms) -> Result<bool, ApiError> {
    if rooms.store().has_groups().await? {
        return Ok(false);
    }
    rooms
        .store()
        .create_group(
            "bpf-outcomes",
            "Best Practice Forum on Forum Outcomes",
            "bpf",
        )
        .await?;
    documents::create(
        rooms,
        CreateDocument {
            title: None,
            markdown: Some(SAMPLE_DRAFT.to_string()),
        },
    )
    .await?;
    Ok(true)
}
